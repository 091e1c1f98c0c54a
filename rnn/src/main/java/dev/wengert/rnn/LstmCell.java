package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.sigmoid;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Random;

/**
 * The LSTM with separate matrices and biases for the forget, input and output gates and the cell
 * candidate,
 * <pre>
 *   f_t = σ(W^{f,h} h_{t−1} + W^{f,x} x_t + b_f)
 *   i_t = σ(W^{i,h} h_{t−1} + W^{i,x} x_t + b_i)
 *   o_t = σ(W^{o,h} h_{t−1} + W^{o,x} x_t + b_o)
 *   c̃_t = tanh(W^{c,h} h_{t−1} + W^{c,x} x_t + b_c)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 *
 * <p>Parameters, in order, for gates g = f, i, o, c: {@code W_gh} {@code [n, n]}, {@code W_gx}
 * {@code [n, m]}, {@code b_g} {@code [n]}; {@code p = 4(n² + nm + n)}. State: {@code (h, c)}, each
 * {@code [batch, n]}; the output is h (part 0).
 *
 * <p>Saved as PyTorch's {@code nn.LSTM(m, n)} (one layer): the gates' blocks stacked in PyTorch's order
 * (i, f, g, o), g being the candidate c̃: {@code weight_ih_l0 = [W_ix; W_fx; W_cx; W_ox]} {@code [4n, m]},
 * {@code weight_hh_l0 = [W_ih; W_fh; W_ch; W_oh]} {@code [4n, n]}, {@code bias_ih_l0 = [b_i; b_f; b_c; b_o]}
 * and {@code bias_hh_l0 = 0}, both {@code [4n]}. Loading sets each {@code b_g} to the sum of its blocks of
 * {@code bias_ih_l0} and {@code bias_hh_l0}, PyTorch's equations being these with that bias. In memory the
 * per-gate names and the order of {@link #GATES} stay (see {@link Cell}).
 */
public final class LstmCell extends Cell {
    /** The gates in parameter order. */
    public static final String[] GATES = {"f", "i", "o", "c"};

    private final Tensor[] wh = new Tensor[4];
    private final Tensor[] wx = new Tensor[4];
    private final Tensor[] b = new Tensor[4];

    /**
     * Weights from N(0, 1/fan_in), biases 0 except the forget gate's, {@code b_f = forgetBias} (1 is the
     * usual choice: the cell remembers by default at the start of training).
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param forgetBias the initial {@code b_f}, finite
     * @param rng        the generator the weights are drawn from
     */
    public LstmCell(int inputSize, int hiddenSize, double forgetBias, Random rng) {
        super(inputSize, hiddenSize);
        if (!Double.isFinite(forgetBias)) {
            throw new IllegalArgumentException("LstmCell: the forget bias must be finite, got " + forgetBias);
        }
        nonNull("LstmCell", rng);
        int n = hiddenSize;
        for (int g = 0; g < 4; g++) {
            wh[g] = addParameter("W_" + GATES[g] + "h", normalRows(rng, n, n));
            wx[g] = addParameter("W_" + GATES[g] + "x", normalRows(rng, n, inputSize));
            b[g] = addParameter("b_" + GATES[g], Tensor.full(g == 0 ? forgetBias : 0.0, n));
        }
    }

    /**
     * Like {@link #LstmCell(int, int, double, Random)} with forget bias 1.
     *
     * @param inputSize  the number of input features m, &gt; 0
     * @param hiddenSize the number of units n, &gt; 0
     * @param rng        the generator the weights are drawn from
     */
    public LstmCell(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, 1.0, rng);
    }

    /**
     * A cell with the given weights (copied), each array in gate order f, i, o, c: {@code wh[g]} of shape
     * {@code [n, n]}, {@code wx[g]} {@code [n, m]}, {@code b[g]} {@code [n]}.
     *
     * @param wh the recurrent weights, four {@code [n, n]}
     * @param wx the input weights, four {@code [n, m]}
     * @param b  the biases, four {@code [n]}
     */
    public LstmCell(Tensor[] wh, Tensor[] wx, Tensor[] b) {
        super(checked(wh, wx, b)[0], checked(wh, wx, b)[1]);
        for (int g = 0; g < 4; g++) {
            this.wh[g] = addParameter("W_" + GATES[g] + "h", wh[g].copy());
            this.wx[g] = addParameter("W_" + GATES[g] + "x", wx[g].copy());
            this.b[g] = addParameter("b_" + GATES[g], b[g].copy());
        }
    }

    /**
     * A scalar LSTM (n = m = 1) from twelve numbers, in the order {@code W^{f,h}, W^{f,x}, b_f, W^{i,h},
     * W^{i,x}, b_i, W^{o,h}, W^{o,x}, b_o, W^{c,h}, W^{c,x}, b_c}.
     *
     * @param w the twelve numbers
     * @return a new cell
     */
    public static LstmCell scalar(double... w) {
        if (w == null) throw new NullPointerException("LstmCell.scalar: the weights are null");
        if (w.length != 12) throw new IllegalArgumentException("LstmCell.scalar: needs 12 numbers, got " + w.length);
        Tensor[] wh = new Tensor[4];
        Tensor[] wx = new Tensor[4];
        Tensor[] b = new Tensor[4];
        for (int g = 0; g < 4; g++) {
            wh[g] = Tensor.of(new double[] {w[3 * g]}, 1, 1);
            wx[g] = Tensor.of(new double[] {w[3 * g + 1]}, 1, 1);
            b[g] = Tensor.vector(w[3 * g + 2]);
        }
        return new LstmCell(wh, wx, b);
    }

    private static int[] checked(Tensor[] wh, Tensor[] wx, Tensor[] b) {
        if (wh == null || wx == null || b == null) {
            throw new NullPointerException("LstmCell: the " + (wh == null ? "W_gh" : wx == null ? "W_gx" : "b_g")
                    + " array is null");
        }
        if (wh.length != 4 || wx.length != 4 || b.length != 4) {
            throw new IllegalArgumentException("LstmCell: needs 4 gates (f, i, o, c) of each of W_gh, W_gx, b_g; got "
                    + wh.length + ", " + wx.length + ", " + b.length);
        }
        for (int g = 0; g < 4; g++) {
            String gate = GATES[g];
            if (wh[g] == null) throw new NullPointerException("LstmCell: W_" + gate + "h is null");
            if (wx[g] == null) throw new NullPointerException("LstmCell: W_" + gate + "x is null");
            if (b[g] == null) throw new NullPointerException("LstmCell: b_" + gate + " is null");
        }
        int n = wh[0].rank() == 2 ? wh[0].dim(0) : -1;
        int m = wx[0].rank() == 2 ? wx[0].dim(1) : -1;
        for (int g = 0; g < 4; g++) {
            if (n <= 0 || m <= 0 || !wh[g].hasShape(n, n) || !wx[g].hasShape(n, m) || !b[g].hasShape(n)) {
                throw new ShapeException("LstmCell: gate " + GATES[g] + " has W_" + GATES[g] + "h "
                        + Shapes.str(wh[g].shape()) + ", W_" + GATES[g] + "x " + Shapes.str(wx[g].shape()) + ", b_"
                        + GATES[g] + " " + Shapes.str(b[g].shape()) + "; expected [n,n], [n,m], [n] with n = " + n
                        + ", m = " + m);
            }
        }
        return new int[] {m, n};
    }

    @Override
    public int[] stateSizes() {
        return new int[] {hiddenSize(), hiddenSize()};
    }

    @Override
    public Tensor[] step(Tensor[] params, Tensor[] state, Tensor x) {
        checkStep(params, state, x);
        Tensor h = state[0];
        Tensor c = state[1];
        Tensor f = sigmoid(pre(params, 0, h, x));
        Tensor i = sigmoid(pre(params, 1, h, x));
        Tensor o = sigmoid(pre(params, 2, h, x));
        Tensor cand = tanh(pre(params, 3, h, x));
        Tensor cNew = add(mul(f, c), mul(i, cand));
        Tensor hNew = mul(o, tanh(cNew));
        return new Tensor[] {hNew, cNew};
    }

    /** The pre-activation of gate g: {@code W_gh h + W_gx x + b_g}. */
    private static Tensor pre(Tensor[] params, int g, Tensor h, Tensor x) {
        return add(add(linear(h, params[3 * g]), linear(x, params[3 * g + 1])), params[3 * g + 2]);
    }

    @Override
    boolean hasFusedSequence() {
        return true;
    }

    @Override
    Tensor sequence(Tensor[] state, Tensor xs) {
        return dev.wengert.ops.Ops.lstmSequence(wh, wx, b, state[0], state[1], xs);
    }

    /** Our gate (index into {@link #GATES}) of PyTorch's blocks i, f, g, o. */
    private static final int[] TORCH_ORDER = {1, 0, 3, 2};

    @Override
    String torchModule() {
        return "LSTM";
    }

    @Override
    Tensor[] toTorch() {
        Tensor[] ih = new Tensor[4];
        Tensor[] hh = new Tensor[4];
        Tensor[] bias = new Tensor[4];
        for (int k = 0; k < 4; k++) {
            ih[k] = wx[TORCH_ORDER[k]];
            hh[k] = wh[TORCH_ORDER[k]];
            bias[k] = b[TORCH_ORDER[k]];
        }
        return new Tensor[] {stackRows(ih), stackRows(hh), stackRows(bias), Tensor.zeros(4 * hiddenSize())};
    }

    @Override
    void fromTorch(Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        Tensor[] ih = new Tensor[4];
        Tensor[] hh = new Tensor[4];
        Tensor[] bias = new Tensor[4];
        for (int k = 0; k < 4; k++) {
            ih[k] = wx[TORCH_ORDER[k]];
            hh[k] = wh[TORCH_ORDER[k]];
            bias[k] = b[TORCH_ORDER[k]];
        }
        unstackRows(wih, ih);
        unstackRows(whh, hh);
        foldBiases(bih, bhh, bias);
    }

    /**
     * {@return {@code W_gh} of gate g, the live parameter}
     *
     * @param g the gate: 0 = f, 1 = i, 2 = o, 3 = c
     */
    public Tensor wh(int g) {
        return wh[g];
    }

    /**
     * {@return {@code W_gx} of gate g, the live parameter}
     *
     * @param g the gate: 0 = f, 1 = i, 2 = o, 3 = c
     */
    public Tensor wx(int g) {
        return wx[g];
    }

    /**
     * {@return {@code b_g} of gate g, the live parameter}
     *
     * @param g the gate: 0 = f, 1 = i, 2 = o, 3 = c
     */
    public Tensor bias(int g) {
        return b[g];
    }
}
