package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Random;

/**
 * The vanilla tanh RNN: {@code h_t = tanh(W_hh h_{t−1} + W_xh x_t + b)}.
 *
 * <p>Parameters, in order: {@code W_hh} {@code [n, n]}, {@code W_xh} {@code [n, m]}, {@code b} {@code [n]};
 * {@code p = n² + nm + n} scalars. State: {@code h} of shape {@code [batch, n]}.
 *
 * <p>Saved as PyTorch's {@code nn.RNN(m, n)} (tanh, one layer): {@code weight_ih_l0 = W_xh} {@code [n, m]},
 * {@code weight_hh_l0 = W_hh} {@code [n, n]}, {@code bias_ih_l0 = b} and {@code bias_hh_l0 = 0}, both
 * {@code [n]}; loading sets {@code b = bias_ih_l0 + bias_hh_l0}, PyTorch's
 * {@code h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)} being this cell's equation with that b. In memory
 * the names stay {@code W_hh, W_xh, b} (see {@link Cell}).
 */
public final class RnnCell extends Cell {
    private final Tensor whh;
    private final Tensor wxh;
    private final Tensor b;

    /**
     * Weights from N(0, 1/fan_in), zero bias.
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param rng        the generator the weights are drawn from
     */
    public RnnCell(int inputSize, int hiddenSize, Random rng) {
        // Checked as arguments, before the weights are drawn: a size of 0 is not a shape clash of the weights.
        this(normalRows(nonNull("RnnCell", rng), positive("RnnCell", "hidden", hiddenSize), hiddenSize),
                normalRows(rng, hiddenSize, positive("RnnCell", "input", inputSize)), Tensor.zeros(hiddenSize));
    }

    /**
     * A cell with the given weights (copied): {@code whh [n, n]}, {@code wxh [n, m]}, {@code b [n]}.
     *
     * @param whh the recurrent matrix {@code [n, n]}
     * @param wxh the input matrix {@code [n, m]}
     * @param b   the bias {@code [n]}
     */
    public RnnCell(Tensor whh, Tensor wxh, Tensor b) {
        super(checked(whh, wxh, b)[0], checked(whh, wxh, b)[1]);
        this.whh = addParameter("W_hh", whh.copy());
        this.wxh = addParameter("W_xh", wxh.copy());
        this.b = addParameter("b", b.copy());
    }

    /** {m, n} after checking the weight shapes. */
    private static int[] checked(Tensor whh, Tensor wxh, Tensor b) {
        if (whh == null) throw new NullPointerException("RnnCell: W_hh is null");
        if (wxh == null) throw new NullPointerException("RnnCell: W_xh is null");
        if (b == null) throw new NullPointerException("RnnCell: b is null");
        int n = whh.rank() == 2 ? whh.dim(0) : -1;
        int m = wxh.rank() == 2 ? wxh.dim(1) : -1;
        if (n <= 0 || m <= 0 || !whh.hasShape(n, n) || !wxh.hasShape(n, m) || !b.hasShape(n)) {
            throw new ShapeException("RnnCell: weights of shapes W_hh " + Shapes.str(whh.shape()) + ", W_xh "
                    + Shapes.str(wxh.shape()) + ", b " + Shapes.str(b.shape()) + " do not fit together (expected [n,n], "
                    + "[n,m], [n])");
        }
        return new int[] {m, n};
    }

    @Override
    public int[] stateSizes() {
        return new int[] {hiddenSize()};
    }

    @Override
    public Tensor[] step(Tensor[] params, Tensor[] state, Tensor x) {
        checkStep(params, state, x);
        return new Tensor[] {tanh(add(add(linear(state[0], params[0]), linear(x, params[1])), params[2]))};
    }

    @Override
    boolean hasFusedSequence() {
        return true;
    }

    @Override
    Tensor sequence(Tensor[] state, Tensor xs) {
        return dev.wengert.ops.Ops.tanhRnnSequence(whh, wxh, b, state[0], xs);
    }

    @Override
    String torchModule() {
        return "RNN";
    }

    @Override
    Tensor[] toTorch() {
        return new Tensor[] {wxh.copy(), whh.copy(), b.copy(), Tensor.zeros(hiddenSize())};
    }

    @Override
    void fromTorch(Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        this.wxh.assign(wih);
        this.whh.assign(whh);
        foldBiases(bih, bhh, b);
    }

    /** {@return the recurrent matrix {@code W_hh}, the live parameter} */
    public Tensor whh() {
        return whh;
    }

    /** {@return the input matrix {@code W_xh}, the live parameter} */
    public Tensor wxh() {
        return wxh;
    }

    /** {@return the bias {@code b}, the live parameter} */
    public Tensor bias() {
        return b;
    }
}
