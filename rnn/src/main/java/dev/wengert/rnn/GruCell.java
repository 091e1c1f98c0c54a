package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.sigmoid;
import static dev.wengert.ops.Ops.sub;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.Tensor;
import java.util.Random;

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
 * with z, r and h_t as above. The two are different functions (r_t ⊙ (W h) is not W (r_t ⊙ h)), so no
 * choice of weights makes one give the other's outputs. Its parameters are the nine above then
 * {@code b_nh [n]}: {@code p = 3(n² + nm + n) + n}. It has no fused sequence op: BPTT records it step by step.
 */
public final class GruCell extends Cell {
    /** The gates in parameter order. */
    public static final String[] GATES = {"z", "r", "n"};

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
}
