package dev.wengert.rnn.elementwise;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.exp;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.neg;
import static dev.wengert.ops.Ops.sub;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import java.util.Random;

/**
 * The linear recurrent unit (LRU) of Orvieto et al. 2023, "Resurrecting recurrent neural networks for long
 * sequences":
 * <pre>
 *   x_t = Λ x_{t−1} + γ ⊙ (B u_t),        Λ = diag(λ),  λ_j = exp(−exp(ν_j) + i·exp(θ_j)),  γ_j = exp(γlog_j)
 *   y_t = Re(C x_t) + D u_t
 * </pre>
 * with a complex state {@code x ∈ ℂ^N}, complex {@code B ∈ ℂ^{N×m}}, {@code C ∈ ℂ^{H×N}} and a real
 * {@code D ∈ ℝ^{H×m}}. The paper's code uses a diagonal D (H = m); here D is a full matrix so that a layer
 * may change width. D has no recurrence, so this changes nothing in how the layer is learned online.
 *
 * <h2>Complex numbers as real pairs</h2>
 * Every complex quantity is stored as its real and imaginary parts: the parameters are, in order,
 * {@code nu_log [N]}, {@code theta_log [N]}, {@code gamma_log [N]}, {@code B_re, B_im [N, m]},
 * {@code C_re, C_im [H, N]}, {@code D [H, m]} (p = 3N + 2Nm + 2HN + Hm scalars), and the state has three
 * parts, {@code x_re [batch, N]}, {@code x_im [batch, N]} and the output {@code y [batch, H]} (part 2, the
 * {@link #outputPart()}; it is not fed back, it is a state part only so that the generic algorithms see it).
 * One step in real arithmetic, with {@code λ = r (cos φ + i sin φ)}, {@code r = exp(−exp(ν))},
 * {@code φ = exp(θ)}:
 * <pre>
 *   x_re' = r cos φ ⊙ x_re − r sin φ ⊙ x_im + γ ⊙ (B_re u)
 *   x_im' = r sin φ ⊙ x_re + r cos φ ⊙ x_im + γ ⊙ (B_im u)
 *   y     = C_re x_re' − C_im x_im' + D u
 * </pre>
 * This is how {@link #step} writes it, with ops, so the tape (BPTT) and forward mode (generic RTRL)
 * differentiate it with the ops' own real rules; sine and cosine are {@code Trig}'s primitives.
 *
 * <h2>Wirtinger bookkeeping</h2>
 * The fast online learner ({@code dev.wengert.rnn.online}) works in complex arithmetic instead, with these
 * conventions. A loss ℓ is real; for a complex quantity z its cotangent is the pair
 * {@code δz = ∂ℓ/∂z_re + i ∂ℓ/∂z_im} (= 2 ∂ℓ/∂z̄ in Wirtinger terms). Then
 * <ul>
 *   <li>for a real parameter p and a tangent {@code ∂z/∂p ∈ ℂ}: {@code ∂ℓ/∂p = Re(conj(δz) · ∂z/∂p)};</li>
 *   <li>a holomorphic map {@code z ↦ a z} multiplies tangents by {@code a} (forward) and cotangents by
 *       {@code conj(a)} (reverse): the real-pair Jacobian is {@code [[a_re, −a_im], [a_im, a_re]]} and its
 *       transpose is the same matrix for {@code conj(a)};</li>
 *   <li>{@code x_t} is holomorphic in λ, so {@code ∂x_t/∂λ} is an ordinary complex derivative, and
 *       {@code ∂x/∂ν = ∂x/∂λ · (−exp(ν) λ)}, {@code ∂x/∂θ = ∂x/∂λ · (i exp(θ) λ)};</li>
 *   <li>{@code x_j} depends on {@code B_im[j,k]} as {@code i} times its dependence on {@code B_re[j,k]},
 *       so one complex sensitivity serves both: {@code ∂ℓ/∂B_re = Re(conj(δx) E)},
 *       {@code ∂ℓ/∂B_im = Re(conj(δx) i E) = −Im(conj(δx) E)};</li>
 *   <li>through {@code y = Re(C x)}: {@code δx = C^H δy} in the pair sense, i.e.
 *       {@code δx_re = C_reᵀ δy}, {@code δx_im = −C_imᵀ δy}.</li>
 * </ul>
 *
 * <h2>Initialisation</h2>
 * {@link #ring}: as in the paper's code, {@code |λ|} uniform on the ring {@code r_min ≤ |λ| ≤ r_max}
 * (uniform in area: {@code |λ|² = u (r_max² − r_min²) + r_min²}, u ~ U(0,1)), phase {@code φ = max_phase · u'};
 * {@code ν = log(−log|λ|)}, {@code θ = log φ}; {@code γ_j = √(1 − |λ_j|²)} (the normalisation that keeps the
 * state's variance from growing as |λ| → 1); {@code B_re, B_im ~ N(0, 1/(2m))}, {@code C_re, C_im ~ N(0, 1/N)};
 * D ~ N(0, 1/m) (the paper draws its diagonal D from N(0, 1)).
 */
public final class LruCell extends Cell {
    private final int states;
    private final Tensor nuLog;
    private final Tensor thetaLog;
    private final Tensor gammaLog;
    private final Tensor bRe;
    private final Tensor bIm;
    private final Tensor cRe;
    private final Tensor cIm;
    private final Tensor d;

    /**
     * An LRU with the given parameters (copied).
     *
     * @param nuLog    {@code ν} of shape {@code [N]}: {@code |λ| = exp(−exp(ν))}
     * @param thetaLog {@code θ} of shape {@code [N]}: the phase of λ is {@code exp(θ)}
     * @param gammaLog {@code log γ} of shape {@code [N]}
     * @param bRe      {@code Re B} of shape {@code [N, m]}
     * @param bIm      {@code Im B} of shape {@code [N, m]}
     * @param cRe      {@code Re C} of shape {@code [H, N]}
     * @param cIm      {@code Im C} of shape {@code [H, N]}
     * @param d        {@code D} of shape {@code [H, m]}
     * @throws NullPointerException naming the parameter when one is null
     * @throws ShapeException       listing all shapes when they do not fit together
     */
    public LruCell(Tensor nuLog, Tensor thetaLog, Tensor gammaLog, Tensor bRe, Tensor bIm, Tensor cRe, Tensor cIm,
            Tensor d) {
        super(sizes(nuLog, thetaLog, gammaLog, bRe, bIm, cRe, cIm, d)[0],
                sizes(nuLog, thetaLog, gammaLog, bRe, bIm, cRe, cIm, d)[2]);
        this.states = nuLog.dim(0);
        this.nuLog = addParameter("nu_log", nuLog.copy());
        this.thetaLog = addParameter("theta_log", thetaLog.copy());
        this.gammaLog = addParameter("gamma_log", gammaLog.copy());
        this.bRe = addParameter("B_re", bRe.copy());
        this.bIm = addParameter("B_im", bIm.copy());
        this.cRe = addParameter("C_re", cRe.copy());
        this.cIm = addParameter("C_im", cIm.copy());
        this.d = addParameter("D", d.copy());
    }

    /**
     * An LRU with the paper's default ring: {@code r_min = 0}, {@code r_max = 1}, {@code max_phase = 2π}.
     *
     * @param inputSize  m, the width of u
     * @param stateSize  N, the number of complex state units
     * @param outputSize H, the width of y
     * @param rng        the random generator of the initialisation
     * @return the cell
     * @throws IllegalArgumentException when a size is not positive
     * @throws NullPointerException     when rng is null
     */
    public static LruCell ring(int inputSize, int stateSize, int outputSize, Random rng) {
        return ring(inputSize, stateSize, outputSize, 0.0, 1.0, 2 * Math.PI, rng);
    }

    /**
     * An LRU initialised on the ring {@code r_min ≤ |λ| ≤ r_max}, phases in {@code [0, max_phase]} (see the
     * class comment).
     *
     * @param inputSize  m, the width of u
     * @param stateSize  N, the number of complex state units
     * @param outputSize H, the width of y
     * @param rMin       the smallest modulus of λ, {@code 0 ≤ r_min < r_max}
     * @param rMax       the largest modulus of λ, {@code r_max ≤ 1}
     * @param maxPhase   the largest phase, positive
     * @param rng        the random generator of the initialisation
     * @return the cell
     * @throws IllegalArgumentException naming the argument when a size is not positive or the ring or phase is
     *                                  not as above
     * @throws NullPointerException     when rng is null
     */
    public static LruCell ring(int inputSize, int stateSize, int outputSize, double rMin, double rMax,
            double maxPhase, Random rng) {
        int m = positive("LruCell", "input", inputSize);
        int n = positive("LruCell", "state", stateSize);
        int h = positive("LruCell", "output", outputSize);
        if (!(rMin >= 0 && rMin < rMax && rMax <= 1)) {
            throw new IllegalArgumentException("LruCell.ring: need 0 ≤ r_min < r_max ≤ 1, got r_min = " + rMin
                    + ", r_max = " + rMax);
        }
        if (!(maxPhase > 0) || Double.isInfinite(maxPhase)) {
            throw new IllegalArgumentException("LruCell.ring: max_phase must be positive and finite, got " + maxPhase);
        }
        nonNull("LruCell", rng);
        double[] nu = new double[n];
        double[] theta = new double[n];
        double[] gamma = new double[n];
        for (int j = 0; j < n; j++) {
            double modSquared = open(rng) * (rMax * rMax - rMin * rMin) + rMin * rMin;
            nu[j] = StrictMath.log(-0.5 * StrictMath.log(modSquared));
            theta[j] = StrictMath.log(maxPhase * open(rng));
            gamma[j] = 0.5 * StrictMath.log(1 - modSquared);
        }
        return new LruCell(Tensor.wrap(nu, n), Tensor.wrap(theta, n), Tensor.wrap(gamma, n), scaled(rng, n, m, 2 * m),
                scaled(rng, n, m, 2 * m), scaled(rng, h, n, n), scaled(rng, h, n, n), scaled(rng, h, m, m));
    }

    /** U(0, 1) without its end points, so that no log in the initialisation sees 0 or 1. */
    private static double open(Random rng) {
        double u;
        do {
            u = rng.nextDouble();
        } while (u == 0.0);
        return u;
    }

    /** N(0, 1/variance) entries of shape {@code [rows, cols]}. */
    private static Tensor scaled(Random rng, int rows, int cols, int variance) {
        Tensor w = Tensor.randn(rng, rows, cols);
        double[] v = w.mutableData();
        double s = Math.sqrt(1.0 / variance);
        for (int i = 0; i < v.length; i++) v[i] *= s;
        return w;
    }

    /** {m, N, H} after checking the shapes. */
    private static int[] sizes(Tensor nuLog, Tensor thetaLog, Tensor gammaLog, Tensor bRe, Tensor bIm, Tensor cRe,
            Tensor cIm, Tensor d) {
        String[] names = {"nu_log", "theta_log", "gamma_log", "B_re", "B_im", "C_re", "C_im", "D"};
        Tensor[] all = {nuLog, thetaLog, gammaLog, bRe, bIm, cRe, cIm, d};
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) throw new NullPointerException("LruCell: " + names[i] + " is null");
        }
        int n = nuLog.rank() == 1 ? nuLog.dim(0) : -1;
        int m = bRe.rank() == 2 ? bRe.dim(1) : -1;
        int h = cRe.rank() == 2 ? cRe.dim(0) : -1;
        boolean fit = n > 0 && m > 0 && h > 0 && thetaLog.hasShape(n) && gammaLog.hasShape(n) && bRe.hasShape(n, m)
                && bIm.hasShape(n, m) && cRe.hasShape(h, n) && cIm.hasShape(h, n) && d.hasShape(h, m);
        if (!fit) {
            StringBuilder sb = new StringBuilder("LruCell: parameters of shapes");
            for (int i = 0; i < all.length; i++) sb.append(i == 0 ? " " : ", ").append(names[i]).append(' ')
                    .append(Shapes.str(all[i].shape()));
            throw new ShapeException(sb.append(" do not fit together (expected [N], [N], [N], [N,m], [N,m], [H,N], "
                    + "[H,N], [H,m])").toString());
        }
        return new int[] {m, n, h};
    }

    /** @return the number N of complex state units */
    public int states() {
        return states;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {states, states, hiddenSize()};
    }

    @Override
    public int outputPart() {
        return 2;
    }

    @Override
    public Tensor[] step(Tensor[] params, Tensor[] state, Tensor x) {
        checkStep(params, state, x);
        Tensor modulus = exp(neg(exp(params[0])));
        Tensor phase = exp(params[1]);
        Tensor lamRe = mul(modulus, Trig.cos(phase));
        Tensor lamIm = mul(modulus, Trig.sin(phase));
        Tensor gamma = exp(params[2]);
        Tensor inRe = mul(linear(x, params[3]), gamma);
        Tensor inIm = mul(linear(x, params[4]), gamma);
        Tensor xRe = add(sub(mul(state[0], lamRe), mul(state[1], lamIm)), inRe);
        Tensor xIm = add(add(mul(state[0], lamIm), mul(state[1], lamRe)), inIm);
        Tensor y = add(sub(linear(xRe, params[5]), linear(xIm, params[6])), linear(x, params[7]));
        return new Tensor[] {xRe, xIm, y};
    }

    @Override
    public String name() {
        return "LruCell(" + inputSize() + "→" + states + "→" + hiddenSize() + ")";
    }

    /** @return {@code ν} (the live parameter) */
    public Tensor nuLog() {
        return nuLog;
    }

    /** @return {@code θ} (the live parameter) */
    public Tensor thetaLog() {
        return thetaLog;
    }

    /** @return {@code log γ} (the live parameter) */
    public Tensor gammaLog() {
        return gammaLog;
    }

    /** @return {@code Re B} (the live parameter) */
    public Tensor bRe() {
        return bRe;
    }

    /** @return {@code Im B} (the live parameter) */
    public Tensor bIm() {
        return bIm;
    }

    /** @return {@code Re C} (the live parameter) */
    public Tensor cRe() {
        return cRe;
    }

    /** @return {@code Im C} (the live parameter) */
    public Tensor cIm() {
        return cIm;
    }

    /** @return {@code D} (the live parameter) */
    public Tensor d() {
        return d;
    }
}
