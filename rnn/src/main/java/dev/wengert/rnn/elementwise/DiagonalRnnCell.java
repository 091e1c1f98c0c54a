package dev.wengert.rnn.elementwise;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.exp;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.neg;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import java.util.Random;

/**
 * A real diagonal linear RNN:
 * <pre>  h_t = a ⊙ h_{t−1} + B x_t + b,      a = exp(−exp(ν))</pre>
 * Parameters, in order: {@code nu_log [n]}, {@code B [n, m]}, {@code b [n]} (p = n + nm + n). State:
 * {@code h [batch, n]}, which is also the output.
 *
 * <p>Why {@code a = exp(−exp(ν))} rather than {@code a = sigmoid(α)}: both keep {@code 0 < a < 1} (a stable
 * recurrence for every ν), but the LRU's parametrisation resolves the decays near 1 that long memories need
 * ({@code a = 1 − 10⁻⁶} is {@code ν ≈ −13.8}, where sigmoid needs {@code α ≈ 13.8} and its derivative
 * {@code a(1−a)} is as small as exp's {@code exp(ν) a}); it is the real special case of {@link LruCell}'s
 * modulus, so the two layers share one initialisation and one sensitivity for ν. {@code a = 0} (no memory)
 * is reached in floating point for {@code ν ≥ 7} ({@code exp(−e⁷) = exp(−1097)} underflows to 0).
 *
 * <p>Each unit's state depends only on its own decay and its own row of B and b, so the sensitivities
 * {@code ∂h_{t,j}/∂θ} of unit j are non-zero only for unit j's parameters: exact RTRL keeps n + nm + n of
 * them per sequence (see {@code dev.wengert.rnn.online}).
 *
 * <p>Initialisation ({@link #DiagonalRnnCell(int, int, double, double, Random)}): {@code a} on the interval
 * {@code [r_min, r_max]} with {@code a²} uniform (the LRU's ring, on the real line), {@code B ~ N(0, 1/m)},
 * {@code b = 0}.
 */
public final class DiagonalRnnCell extends Cell {
    private final Tensor nuLog;
    private final Tensor b;
    private final Tensor bias;

    /**
     * A cell with the given parameters (copied).
     *
     * @param nuLog {@code ν} of shape {@code [n]}
     * @param b     {@code B} of shape {@code [n, m]}
     * @param bias  {@code b} of shape {@code [n]}
     * @throws NullPointerException naming the parameter when one is null
     * @throws ShapeException       listing the shapes when they do not fit together
     */
    public DiagonalRnnCell(Tensor nuLog, Tensor b, Tensor bias) {
        super(sizes(nuLog, b, bias)[0], sizes(nuLog, b, bias)[1]);
        this.nuLog = addParameter("nu_log", nuLog.copy());
        this.b = addParameter("B", b.copy());
        this.bias = addParameter("b", bias.copy());
    }

    /**
     * A cell with decays {@code a} drawn on {@code [r_min, r_max]} (see the class comment).
     *
     * @param inputSize  m
     * @param hiddenSize n
     * @param rMin       the smallest decay, {@code 0 ≤ r_min < r_max}
     * @param rMax       the largest decay, {@code r_max ≤ 1}
     * @param rng        the random generator of the initialisation
     * @throws IllegalArgumentException naming the argument when a size is not positive or the interval is not
     *                                  as above
     * @throws NullPointerException     when rng is null
     */
    public DiagonalRnnCell(int inputSize, int hiddenSize, double rMin, double rMax, Random rng) {
        this(decays(positive("DiagonalRnnCell", "hidden", hiddenSize), rMin, rMax, nonNull("DiagonalRnnCell", rng)),
                inputWeights(rng, hiddenSize, positive("DiagonalRnnCell", "input", inputSize)),
                Tensor.zeros(hiddenSize));
    }

    private static Tensor decays(int n, double rMin, double rMax, Random rng) {
        if (!(rMin >= 0 && rMin < rMax && rMax <= 1)) {
            throw new IllegalArgumentException("DiagonalRnnCell: need 0 ≤ r_min < r_max ≤ 1, got r_min = " + rMin
                    + ", r_max = " + rMax);
        }
        double[] nu = new double[n];
        for (int j = 0; j < n; j++) {
            double u;
            do {
                u = rng.nextDouble();
            } while (u == 0.0);
            nu[j] = StrictMath.log(-0.5 * StrictMath.log(u * (rMax * rMax - rMin * rMin) + rMin * rMin));
        }
        return Tensor.wrap(nu, n);
    }

    private static Tensor inputWeights(Random rng, int n, int m) {
        return normalRows(rng, n, m);
    }

    /** {m, n} after checking the shapes. */
    private static int[] sizes(Tensor nuLog, Tensor b, Tensor bias) {
        if (nuLog == null) throw new NullPointerException("DiagonalRnnCell: nu_log is null");
        if (b == null) throw new NullPointerException("DiagonalRnnCell: B is null");
        if (bias == null) throw new NullPointerException("DiagonalRnnCell: b is null");
        int n = nuLog.rank() == 1 ? nuLog.dim(0) : -1;
        int m = b.rank() == 2 ? b.dim(1) : -1;
        if (n <= 0 || m <= 0 || !b.hasShape(n, m) || !bias.hasShape(n)) {
            throw new ShapeException("DiagonalRnnCell: parameters of shapes nu_log " + Shapes.str(nuLog.shape())
                    + ", B " + Shapes.str(b.shape()) + ", b " + Shapes.str(bias.shape())
                    + " do not fit together (expected [n], [n,m], [n])");
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
        Tensor a = exp(neg(exp(params[0])));
        return new Tensor[] {add(add(mul(state[0], a), linear(x, params[1])), params[2])};
    }

    /** @return {@code ν} (the live parameter) */
    public Tensor nuLog() {
        return nuLog;
    }

    /** @return {@code B} (the live parameter) */
    public Tensor inputWeights() {
        return b;
    }

    /** @return {@code b} (the live parameter) */
    public Tensor bias() {
        return bias;
    }
}
