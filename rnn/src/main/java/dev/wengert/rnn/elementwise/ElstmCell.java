package dev.wengert.rnn.elementwise;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.sigmoid;
import static dev.wengert.ops.Ops.sub;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import java.util.Random;

/**
 * The element-wise LSTM ("eLSTM", the quasi-LSTM of Irie, Gopalakrishnan and Schmidhuber 2024, "Exploring the
 * promise and limits of real-time recurrent learning"): the gates read the input through full matrices but
 * the previous cell state only through element-wise weights, so unit j's state depends on the past only
 * through its own {@code c_{t−1,j}}. The equations implemented:
 * <pre>
 *   z_t = tanh(W_z x_t + w_z ⊙ c_{t−1} + b_z)
 *   f_t = σ(W_f x_t + w_f ⊙ c_{t−1} + b_f)
 *   c_t = f_t ⊙ c_{t−1} + (1 − f_t) ⊙ z_t
 *   o_t = σ(W_ox x_t + W_oc c_t + b_o)
 *   h_t = o_t ⊙ c_t
 * </pre>
 * As in Irie et al.'s code, the output gate reads the new cell state {@code c_t} (not {@code c_{t−1}}) and
 * the input: it has no recurrence of its own, so its dense {@code W_oc} does not couple the units' histories
 * and its gradient is immediate. The recurrence of unit j is the scalar map
 * {@code c_{t,j} = F(c_{t−1,j}; W_z[j,:], W_f[j,:], w_z[j], w_f[j], b_z[j], b_f[j], x_t)} with derivative
 * <pre>  ∂c_{t,j}/∂c_{t−1,j} = f + (c_{t−1} − z) f (1 − f) w_f + (1 − f)(1 − z²) w_z</pre>
 * (all at unit j), which is what exact RTRL of this cell propagates.
 *
 * <p>Parameters, in order: {@code W_z [n, m]}, {@code W_f [n, m]}, {@code w_z [n]}, {@code w_f [n]},
 * {@code b_z [n]}, {@code b_f [n]}, {@code W_ox [n, m]}, {@code W_oc [n, n]}, {@code b_o [n]}. State: part 0
 * is {@code c [batch, n]}, part 1 is {@code h [batch, n]}, the output (not fed back).
 *
 * <p>Initialisation: the matrices from N(0, 1/fan_in), {@code w_z, w_f ~ N(0, 0.1²)} (Irie et al.'s scale),
 * {@code b_z = b_o = 0}, {@code b_f} the given forget bias (a larger one keeps more of {@code c_{t−1}}).
 */
public final class ElstmCell extends Cell {
    private static final String[] NAMES = {"W_z", "W_f", "w_z", "w_f", "b_z", "b_f", "W_ox", "W_oc", "b_o"};

    /**
     * A cell with the given parameters (copied), in the order of the class comment.
     *
     * @param wz  {@code W_z [n, m]}
     * @param wf  {@code W_f [n, m]}
     * @param vz  {@code w_z [n]}
     * @param vf  {@code w_f [n]}
     * @param bz  {@code b_z [n]}
     * @param bf  {@code b_f [n]}
     * @param wox {@code W_ox [n, m]}
     * @param woc {@code W_oc [n, n]}
     * @param bo  {@code b_o [n]}
     * @throws NullPointerException naming the parameter when one is null
     * @throws ShapeException       listing all shapes when they do not fit together
     */
    public ElstmCell(Tensor wz, Tensor wf, Tensor vz, Tensor vf, Tensor bz, Tensor bf, Tensor wox, Tensor woc,
            Tensor bo) {
        super(sizes(wz, wf, vz, vf, bz, bf, wox, woc, bo)[0], sizes(wz, wf, vz, vf, bz, bf, wox, woc, bo)[1]);
        Tensor[] all = {wz, wf, vz, vf, bz, bf, wox, woc, bo};
        for (int i = 0; i < all.length; i++) addParameter(NAMES[i], all[i].copy());
    }

    /**
     * A cell initialised as in the class comment.
     *
     * @param inputSize  m
     * @param hiddenSize n
     * @param forgetBias the initial {@code b_f}
     * @param rng        the random generator of the initialisation
     * @throws IllegalArgumentException when a size is not positive or the forget bias is not finite
     * @throws NullPointerException     when rng is null
     */
    public ElstmCell(int inputSize, int hiddenSize, double forgetBias, Random rng) {
        this(normalRows(nonNull("ElstmCell", rng), positive("ElstmCell", "hidden", hiddenSize),
                        positive("ElstmCell", "input", inputSize)),
                normalRows(rng, hiddenSize, inputSize), small(rng, hiddenSize), small(rng, hiddenSize),
                Tensor.zeros(hiddenSize), Tensor.full(finite(forgetBias), hiddenSize), normalRows(rng, hiddenSize, inputSize),
                normalRows(rng, hiddenSize, hiddenSize), Tensor.zeros(hiddenSize));
    }

    private static double finite(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("ElstmCell: the forget bias must be finite, got " + v);
        return v;
    }

    private static Tensor small(Random rng, int n) {
        Tensor v = Tensor.randn(rng, n);
        double[] d = v.mutableData();
        for (int i = 0; i < d.length; i++) d[i] *= 0.1;
        return v;
    }

    /** {m, n} after checking the shapes. */
    private static int[] sizes(Tensor... all) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) throw new NullPointerException("ElstmCell: " + NAMES[i] + " is null");
        }
        int n = all[0].rank() == 2 ? all[0].dim(0) : -1;
        int m = all[0].rank() == 2 ? all[0].dim(1) : -1;
        boolean fit = n > 0 && m > 0 && all[1].hasShape(n, m) && all[6].hasShape(n, m) && all[7].hasShape(n, n);
        for (int i : new int[] {2, 3, 4, 5, 8}) fit &= all[i].hasShape(n);
        if (!fit) {
            StringBuilder sb = new StringBuilder("ElstmCell: parameters of shapes");
            for (int i = 0; i < all.length; i++) {
                sb.append(i == 0 ? " " : ", ").append(NAMES[i]).append(' ').append(Shapes.str(all[i].shape()));
            }
            throw new ShapeException(sb.append(" do not fit together (expected [n,m], [n,m], [n], [n], [n], [n], "
                    + "[n,m], [n,n], [n])").toString());
        }
        return new int[] {m, n};
    }

    @Override
    public int[] stateSizes() {
        return new int[] {hiddenSize(), hiddenSize()};
    }

    @Override
    public int outputPart() {
        return 1;
    }

    @Override
    public Tensor[] step(Tensor[] p, Tensor[] state, Tensor x) {
        checkStep(p, state, x);
        Tensor c = state[0];
        Tensor z = tanh(add(add(linear(x, p[0]), mul(c, p[2])), p[4]));
        Tensor f = sigmoid(add(add(linear(x, p[1]), mul(c, p[3])), p[5]));
        Tensor cNew = add(mul(f, c), mul(sub(1.0, f), z));
        Tensor o = sigmoid(add(add(linear(x, p[6]), linear(cNew, p[7])), p[8]));
        return new Tensor[] {cNew, mul(o, cNew)};
    }
}
