package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.sigmoid;
import static dev.wengert.ops.Ops.sub;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.Tensor;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The gated recurrent unit (Cho et al., 2014), with separate matrices per gate as for the LSTM:
 * <pre>
 *   z_t = σ(W^{z,h} h_{t−1} + W^{z,x} x_t + b_z)          update gate
 *   r_t = σ(W^{r,h} h_{t−1} + W^{r,x} x_t + b_r)          reset gate
 *   ñ_t = tanh(W^{n,h} (r_t ⊙ h_{t−1}) + W^{n,x} x_t + b_n)
 *   h_t = (1 − z_t) ⊙ ñ_t + z_t ⊙ h_{t−1}
 * </pre>
 * Parameters, in order, for gates z, r, n: {@code W_gh [n, n]}, {@code W_gx [n, m]}, {@code b_g [n]};
 * {@code p = 3(n² + nm + n)}. State: {@code h}.
 *
 * <p><b>PyTorch's GRU</b> ({@link #torch(int, int, Random)}, {@link #resetAfter()} true) applies the reset
 * gate <em>after</em> the recurrent product and has a second candidate bias {@code b_nh} inside it, as
 * {@code torch.nn.GRU} and cuDNN do (Keras calls it {@code reset_after=True}):
 * <pre>
 *   ñ_t = tanh(W^{n,x} x_t + b_n + r_t ⊙ (W^{n,h} h_{t−1} + b_nh))
 * </pre>
 * with z, r and h_t as above. The two are different functions (r_t ⊙ (W h) is not W (r_t ⊙ h); they agree
 * only in special cases such as {@code W^{n,h} = 0}), so the weights of one do not give the other's outputs.
 * Its parameters are the nine above then
 * {@code b_nh [n]}: {@code p = 3(n² + nm + n) + n}. It has no fused sequence op: BPTT records it step by step.
 *
 * <p><b>Saved layout.</b> The PyTorch variant is saved as {@code nn.GRU(m, n)} (one layer), the gates' blocks
 * in PyTorch's order (r, z, n): {@code weight_ih_l0 = [W_rx; W_zx; W_nx]} {@code [3n, m]},
 * {@code weight_hh_l0 = [W_rh; W_zh; W_nh]} {@code [3n, n]}, {@code bias_ih_l0 = [b_r; b_z; b_n]},
 * {@code bias_hh_l0 = [0; 0; b_nh]}, both {@code [3n]}; loading sets {@code b_r} and {@code b_z} to the sums
 * of their blocks of the two biases (PyTorch only ever adds them), {@code b_n} and {@code b_nh} to theirs
 * exactly. The default GRU (reset before the product) is saved under its in-memory names ({@code W_zh}, ...),
 * never under PyTorch's, because PyTorch would load such a file as its own GRU and compute something else;
 * loading a PyTorch GRU file into it fails, naming the missing and unexpected tensors and this difference.
 */
public final class GruCell extends Cell {
    /** The gates in parameter order. */
    public static final String[] GATES = {"z", "r", "n"};

    /** Our gate (index into {@link #GATES}) of PyTorch's blocks r, z, n. */
    private static final int[] TORCH_ORDER = {1, 0, 2};
    private static final Pattern TORCH_NAME = Pattern.compile("(.*\\.)?(weight|bias)_(ih|hh)_l[0-9]+");

    private final boolean resetAfter;

    /**
     * Weights from N(0, 1/fan_in), zero biases; the reset gate before the recurrent product (Cho et al.).
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param rng        the generator the weights are drawn from
     */
    public GruCell(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, rng, false);
    }

    private GruCell(int inputSize, int hiddenSize, Random rng, boolean resetAfter) {
        super(inputSize, hiddenSize);
        nonNull("GruCell", rng);
        this.resetAfter = resetAfter;
        for (String g : GATES) {
            addParameter("W_" + g + "h", normalRows(rng, hiddenSize, hiddenSize));
            addParameter("W_" + g + "x", normalRows(rng, hiddenSize, inputSize));
            addParameter("b_" + g, Tensor.zeros(hiddenSize));
        }
        if (resetAfter) addParameter("b_nh", Tensor.zeros(hiddenSize));
    }

    /**
     * PyTorch's GRU ({@code torch.nn.GRU}'s equations and saved layout): the reset gate applied after the
     * recurrent product, {@code ñ_t = tanh(W^{n,x} x_t + b_n + r_t ⊙ (W^{n,h} h_{t−1} + b_nh))}. Weights from
     * N(0, 1/fan_in) (drawn as for the default cell), zero biases.
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param rng        the generator the weights are drawn from
     * @return a new cell whose {@link #resetAfter()} is true
     * @throws IllegalArgumentException when a size is not positive
     * @throws NullPointerException     when rng is null
     */
    public static GruCell torch(int inputSize, int hiddenSize, Random rng) {
        return new GruCell(inputSize, hiddenSize, rng, true);
    }

    /**
     * {@return whether the reset gate is applied after the recurrent product, with the bias {@code b_nh}
     * (PyTorch's GRU, from {@link #torch(int, int, Random)}), rather than to h before it (the default)}
     */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {hiddenSize()};
    }

    @Override
    public Tensor[] step(Tensor[] p, Tensor[] state, Tensor x) {
        checkStep(p, state, x);
        Tensor h = state[0];
        Tensor z = sigmoid(add(add(linear(h, p[0]), linear(x, p[1])), p[2]));
        Tensor r = sigmoid(add(add(linear(h, p[3]), linear(x, p[4])), p[5]));
        Tensor cand = resetAfter
                ? tanh(add(add(linear(x, p[7]), p[8]), mul(r, add(linear(h, p[6]), p[9]))))
                : tanh(add(add(linear(mul(r, h), p[6]), linear(x, p[7])), p[8]));
        // (1 − z) ñ + z h, written as ñ + z (h − ñ): one multiplication fewer.
        return new Tensor[] {add(cand, mul(z, sub(h, cand)))};
    }

    @Override
    boolean hasFusedSequence() {
        return !resetAfter;
    }

    @Override
    Tensor sequence(Tensor[] state, Tensor xs) {
        if (resetAfter) return super.sequence(state, xs);
        Tensor[] p = params();
        return dev.wengert.ops.Ops.gruSequence(new Tensor[] {p[0], p[3], p[6]}, new Tensor[] {p[1], p[4], p[7]},
                new Tensor[] {p[2], p[5], p[8]}, state[0], xs);
    }

    @Override
    public String name() {
        return resetAfter ? "GruCell.torch(" + inputSize() + "→" + hiddenSize() + ")" : super.name();
    }

    @Override
    String torchModule() {
        return resetAfter ? "GRU" : null;
    }

    @Override
    Tensor[] toTorch() {
        Tensor[] p = params();
        Tensor[] ih = new Tensor[3];
        Tensor[] hh = new Tensor[3];
        Tensor[] bias = new Tensor[3];
        for (int k = 0; k < 3; k++) {
            int g = TORCH_ORDER[k];
            hh[k] = p[3 * g];
            ih[k] = p[3 * g + 1];
            bias[k] = p[3 * g + 2];
        }
        Tensor zeros = Tensor.zeros(hiddenSize());
        return new Tensor[] {stackRows(ih), stackRows(hh), stackRows(bias), stackRows(zeros, zeros, p[9])};
    }

    @Override
    void fromTorch(Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        Tensor[] p = params();
        Tensor[] ih = new Tensor[3];
        Tensor[] hh = new Tensor[3];
        for (int k = 0; k < 3; k++) {
            int g = TORCH_ORDER[k];
            hh[k] = p[3 * g];
            ih[k] = p[3 * g + 1];
        }
        unstackRows(wih, ih);
        unstackRows(whh, hh);
        int n = hiddenSize();
        // r and z: PyTorch only adds their two biases; n: b_in stays outside the reset gate, b_hn inside it.
        foldBiases(bih, bhh, p[5], p[2]);
        System.arraycopy(bih.data(), 2 * n, p[8].mutableData(), 0, n);
        System.arraycopy(bhh.data(), 2 * n, p[9].mutableData(), 0, n);
    }

    /** Names the difference when a default (reset-before) cell is given PyTorch's recurrent names. */
    @Override
    protected String layoutHint(List<String> unexpected) {
        if (resetAfter) return null;
        for (String k : unexpected) {
            if (TORCH_NAME.matcher(k).matches()) {
                return "a GruCell made with new GruCell(...) applies the reset gate before the recurrent product, "
                        + "tanh(W_nh (r ⊙ h) + W_nx x + b_n), and is saved under its own names; torch.nn.GRU computes "
                        + "tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), a different function: load PyTorch GRU files "
                        + "(weight_ih_l0, ...) into GruCell.torch(...)";
            }
        }
        return null;
    }
}
