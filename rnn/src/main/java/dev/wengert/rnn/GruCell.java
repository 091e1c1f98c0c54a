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
 */
public final class GruCell extends Cell {
    /** The gates in parameter order. */
    public static final String[] GATES = {"z", "r", "n"};

    /**
     * Weights from N(0, 1/fan_in), zero biases.
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param rng        the generator the weights are drawn from
     */
    public GruCell(int inputSize, int hiddenSize, Random rng) {
        super(inputSize, hiddenSize);
        nonNull("GruCell", rng);
        for (String g : GATES) {
            addParameter("W_" + g + "h", normalRows(rng, hiddenSize, hiddenSize));
            addParameter("W_" + g + "x", normalRows(rng, hiddenSize, inputSize));
            addParameter("b_" + g, Tensor.zeros(hiddenSize));
        }
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
        Tensor cand = tanh(add(add(linear(mul(r, h), p[6]), linear(x, p[7])), p[8]));
        // (1 − z) ñ + z h, written as ñ + z (h − ñ): one multiplication fewer.
        return new Tensor[] {add(cand, mul(z, sub(h, cand)))};
    }

    @Override
    boolean hasFusedSequence() {
        return true;
    }

    @Override
    Tensor sequence(Tensor[] state, Tensor xs) {
        Tensor[] p = params();
        return dev.wengert.ops.Ops.gruSequence(new Tensor[] {p[0], p[3], p[6]}, new Tensor[] {p[1], p[4], p[7]},
                new Tensor[] {p[2], p[5], p[8]}, state[0], xs);
    }
}
