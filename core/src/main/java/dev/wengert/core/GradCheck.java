package dev.wengert.core;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks the derivatives of a function built from primitives against central finite differences and
 * against each other. Use it on your own functions and custom ops:
 *
 * <pre>{@code
 * GradCheck.of(x -> Ops.sum(Ops.tanh(x[0])), x).checkAll().assertPassed();
 * }</pre>
 *
 * <p>What is compared, for {@code y = f(x_0, ..., x_{n-1})}, random {@code u} (shape of y) and random
 * directions {@code v_i} (shapes of the inputs), all drawn from a seeded generator:
 * <ul>
 *   <li>{@link #checkVjp()}: every element of the reverse-mode gradient of {@code φ(x) = <u, f(x)>}
 *       against the finite difference of φ along that coordinate;</li>
 *   <li>{@link #checkJvp()}: every element of the forward-mode {@code J v}, for a batch of
 *       directions, against the finite difference of f along v;</li>
 *   <li>{@link #checkVjpAgainstJvp()}: the dot-product test {@code <J^T u, v> = <u, J v>};</li>
 *   <li>{@link #checkSecondOrder()}: the Hessian-vector product of φ by a recorded backward pass
 *       (reverse over reverse) against the finite difference of the gradient along v.</li>
 * </ul>
 *
 * <p>Finite differences are central: the fourth-order stencil
 * {@code D(h) = (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h} at h and h/2, combined by Richardson
 * extrapolation {@code D(h/2) + (D(h/2) - D(h)) / 15} (sixth order), with {@code h = step * max(1, |x_i|)}
 * along a coordinate and {@code h = step / max(1, |v|_∞)} along a direction v. A difference whose
 * stencil straddles a kink (an op's {@link Primitive#branch} fingerprint changes across it) is skipped
 * and counted. An element that fails is given one retry at step/8, where the sixth-order truncation error
 * is 8^6 times smaller: a correct derivative of a sharply curved function then passes, a wrong one does
 * not (its error does not shrink with the step).
 *
 * <p>An element passes when its relative error {@code |a-b| / max(|a|, |b|, 1e-12)} is at most
 * {@link #tolerance}, or when its absolute error is at most {@code floor * max(1, scale)}, where scale
 * is the largest magnitude among the compared values and the function value: finite differences
 * cannot resolve elements that are zero or cancel to rounding level relative to the rest.
 */
public final class GradCheck {
    /** The default relative tolerance for float64 gradients. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** The finite-difference step, relative to max(1, |x|) along a coordinate. */
    public static final double DEFAULT_STEP = 1e-3;
    /** The absolute floor, relative to the scale of the compared values. */
    public static final double DEFAULT_FLOOR = 1e-9;

    private final Function<Tensor[], Tensor> f;
    private final Tensor[] inputs;
    private double step = DEFAULT_STEP;
    private double tolerance = DEFAULT_TOLERANCE;
    private double floor = DEFAULT_FLOOR;
    private long seed = 42;
    private int directions = 3;

    private GradCheck(Function<Tensor[], Tensor> f, Tensor[] inputs) {
        if (f == null) throw new NullPointerException("gradCheck: f is null");
        if (inputs == null) throw new NullPointerException("gradCheck: the inputs array is null");
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new NullPointerException("gradCheck: input " + i + " is null");
        }
        this.f = f;
        this.inputs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) this.inputs[i] = inputs[i].detach();
    }

    /**
     * A check of {@code f} at {@code inputs} (their values are copied; they are not modified).
     *
     * @param f      the function, from the inputs to one output of any shape; it runs many times
     * @param inputs the point at which to check; copied (detached), never modified
     * @return a check with the default step, tolerance, floor, seed and directions
     */
    public static GradCheck of(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return new GradCheck(f, inputs);
    }

    /**
     * The finite-difference step (default 1e-3, with the fourth-order stencil).
     *
     * @param h the step, finite and positive; relative to {@code max(1, |x_i|)} along a coordinate
     * @return this check
     */
    public GradCheck step(double h) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("gradCheck: the step must be finite and positive, got " + h);
        }
        this.step = h;
        return this;
    }

    /**
     * The relative tolerance (default 1e-6).
     *
     * @param rtol the largest relative error that passes, finite and ≥ 0
     * @return this check
     */
    public GradCheck tolerance(double rtol) {
        if (!(rtol >= 0) || Double.isInfinite(rtol)) {
            throw new IllegalArgumentException("gradCheck: the tolerance must be finite and >= 0, got " + rtol);
        }
        this.tolerance = rtol;
        return this;
    }

    /**
     * The absolute floor, relative to the scale of the compared values (default 1e-9).
     *
     * @param atol the floor, finite and ≥ 0; an element passes when its absolute error is at most {@code atol
     *     * max(1, scale)}
     * @return this check
     */
    public GradCheck floor(double atol) {
        if (!(atol >= 0) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("gradCheck: the floor must be finite and >= 0, got " + atol);
        }
        this.floor = atol;
        return this;
    }

    /**
     * The seed of the random cotangent and directions.
     *
     * @param seed any value; the same seed draws the same u and v
     * @return this check
     */
    public GradCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The number of tangent directions checked at once in {@link #checkJvp()} (default 3).
     *
     * @param k the number of directions, at least 1
     * @return this check
     */
    public GradCheck directions(int k) {
        if (k < 1) throw new IllegalArgumentException("gradCheck: the number of directions must be positive, got " + k);
        this.directions = k;
        return this;
    }

    /**
     * All four checks; the report of the first failing one, or a combined passing report.
     *
     * @return the first failing report (in the order vjp, jvp, vjp-against-jvp, second order), or one passing
     *     report with the counts summed and the largest relative error
     */
    public Report checkAll() {
        Report[] rs = {checkVjp(), checkJvp(), checkVjpAgainstJvp(), checkSecondOrder()};
        for (Report r : rs) {
            if (!r.passed()) return r;
        }
        int checked = 0;
        int skipped = 0;
        double worst = 0;
        for (Report r : rs) {
            checked += r.checked;
            skipped += r.skipped;
            worst = Math.max(worst, r.maxRelError);
        }
        return new Report("all", true, checked, skipped, worst, null);
    }

    // ---------------------------------------------------------------- reverse mode

    /**
     * Each element of the gradient of {@code <u, f(x)>} against a finite difference.
     *
     * @return the report: elements compared and skipped at kinks, the worst element
     */
    public Report checkVjp() {
        SplittableRandom rng = new SplittableRandom(seed);
        Eval center = eval(inputs);
        Tensor u = gaussian(rng, center.y.shapeRef());
        Tensor[] analytic = gradient(inputs, u);
        Worst w = new Worst("vjp", tolerance, floor);
        double scale = Math.abs(dot(u, center.y));
        for (Tensor g : analytic) scale = Math.max(scale, maxAbs(g));
        for (int i = 0; i < inputs.length; i++) {
            double[] x0 = inputs[i].data();
            for (int c = 0; c < x0.length; c++) {
                double h = step * Math.max(1.0, Math.abs(x0[c]));
                Double fd = coordinateDerivative(u, i, c, h, center.branch);
                if (fd == null) {
                    w.skipped++;
                    continue;
                }
                double numeric = fd;
                if (!w.passes(analytic[i].data()[c], numeric, scale)) {
                    // Truncation error grows with the function's higher derivatives: a correct derivative is
                    // approached as the step shrinks, a wrong one is not. One refinement decides.
                    Double refined = coordinateDerivative(u, i, c, h / REFINE, center.branch);
                    if (refined != null) numeric = refined;
                }
                final int ii = i;
                final int cc = c;
                w.compare(analytic[i].data()[c], numeric, scale, () -> "input " + ii + " index "
                        + index(inputs[ii], cc));
            }
        }
        return w.report();
    }

    /**
     * The finite difference of {@code <u, f(x)>} along coordinate c of input i with step h, or null when
     * the stencil crosses a kink.
     */
    private Double coordinateDerivative(Tensor u, int i, int c, double h, long centerBranch) {
        double[] x0 = inputs[i].data();
        Tensor[] xs = inputs.clone();
        double[] phis = new double[STENCIL.length];
        long[] branches = new long[STENCIL.length];
        for (int s = 0; s < STENCIL.length; s++) {
            double[] xd = x0.clone();
            xd[c] += STENCIL[s] * h;
            xs[i] = Tensor.wrapUnchecked(xd, inputs[i].shapeRef());
            Eval e = eval(xs);
            phis[s] = dot(u, e.y);
            branches[s] = e.branch;
        }
        return straddles(branches, centerBranch) ? null : derivative(phis, h);
    }

    // ---------------------------------------------------------------- forward mode

    /**
     * Each element of {@code J v} from forward mode, for a batch of directions, against finite differences.
     *
     * @return the report: elements compared and skipped at kinks, the worst element
     */
    public Report checkJvp() {
        SplittableRandom rng = new SplittableRandom(seed + 1);
        int k = directions;
        Tensor[] vs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) vs[i] = gaussian(rng, Shapes.prepend(k, inputs[i].shapeRef()));
        ForwardMode.Result r = ForwardMode.jvpBatch(k, x -> new Tensor[] {f.apply(x)}, inputs, vs);
        Tensor jv = r.tangent();
        Eval center = eval(inputs);
        int m = center.y.size();
        Worst w = new Worst("jvp", tolerance, floor);
        double scale = Math.max(maxAbs(jv), maxAbs(center.y));
        for (int d = 0; d < k; d++) {
            Tensor[] dir = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                int n = inputs[i].size();
                dir[i] = Tensor.wrapUnchecked(Arrays.copyOfRange(vs[i].data(), d * n, (d + 1) * n), inputs[i].shapeRef());
            }
            double h = step / Math.max(1.0, maxAbs(dir));
            double[] fd = directionalDerivative(dir, h, center.branch);
            if (fd == null) {
                w.skipped += m;
                continue;
            }
            double[] refined = null;
            for (int o = 0; o < m; o++) {
                double numeric = fd[o];
                if (!w.passes(jv.data()[d * m + o], numeric, scale)) { // one refinement, as in checkVjp
                    if (refined == null) refined = directionalDerivative(dir, h / REFINE, center.branch);
                    if (refined != null) numeric = refined[o];
                }
                final int dd = d;
                final int oo = o;
                w.compare(jv.data()[d * m + o], numeric, scale, () -> "direction " + dd + " output index "
                        + index(center.y, oo));
            }
        }
        return w.report();
    }

    /** The finite difference of f along dir with step h, per output element, or null across a kink. */
    private double[] directionalDerivative(Tensor[] dir, double h, long centerBranch) {
        double[][] ys = new double[STENCIL.length][];
        long[] branches = new long[STENCIL.length];
        for (int s = 0; s < STENCIL.length; s++) {
            Eval e = eval(shift(inputs, dir, STENCIL[s] * h));
            ys[s] = e.y.data();
            branches[s] = e.branch;
        }
        if (straddles(branches, centerBranch)) return null;
        int m = ys[0].length;
        double[] out = new double[m];
        double[] column = new double[STENCIL.length];
        for (int o = 0; o < m; o++) {
            for (int q = 0; q < STENCIL.length; q++) column[q] = ys[q][o];
            out[o] = derivative(column, h);
        }
        return out;
    }

    /**
     * The dot-product test: {@code <J^T u, v>} by reverse mode equals {@code <u, J v>} by forward mode.
     *
     * @return the report of the one comparison, for one random u and one random v
     */
    public Report checkVjpAgainstJvp() {
        SplittableRandom rng = new SplittableRandom(seed + 2);
        Eval center = eval(inputs);
        Tensor u = gaussian(rng, center.y.shapeRef());
        Tensor[] v = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) v[i] = gaussian(rng, inputs[i].shapeRef());
        Tensor[] jtu = gradient(inputs, u);
        double viaVjp = 0;
        double scale = 0;
        for (int i = 0; i < inputs.length; i++) {
            viaVjp += dot(jtu[i], v[i]);
            scale += sumAbsProducts(jtu[i], v[i]);
        }
        Tensor jvT = ForwardMode.jvp(x -> new Tensor[] {f.apply(x)}, inputs, v).tangent();
        double viaJvp = dot(u, jvT);
        scale = Math.max(scale, sumAbsProducts(u, jvT));
        Worst w = new Worst("vjp-vs-jvp", tolerance, floor);
        w.compare(viaVjp, viaJvp, scale, () -> "<J^T u, v> vs <u, J v>");
        return w.report();
    }

    // ---------------------------------------------------------------- second order

    /**
     * The Hessian-vector product of {@code φ = <u, f(x)>} by differentiating a recorded gradient, against
     * the finite difference of the gradient along a random direction.
     *
     * @return the report: elements of the Hessian-vector product compared, the worst element
     */
    public Report checkSecondOrder() {
        SplittableRandom rng = new SplittableRandom(seed + 3);
        Eval center = eval(inputs);
        Tensor u = gaussian(rng, center.y.shapeRef());
        Tensor[] v = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) v[i] = gaussian(rng, inputs[i].shapeRef());
        Tensor[] hv = hessianVector(inputs, u, v);
        double h = step / Math.max(1.0, maxAbs(v));
        Worst w = new Worst("second-order", tolerance, floor);
        double[][] fd = gradientDerivative(u, v, h, center.branch);
        if (fd == null) {
            for (Tensor x : inputs) w.skipped += x.size();
            return w.report();
        }
        double scale = 0;
        for (Tensor hvi : hv) scale = Math.max(scale, maxAbs(hvi));
        for (Tensor g : gradient(inputs, u)) scale = Math.max(scale, maxAbs(g));
        double[][] refined = null;
        for (int i = 0; i < inputs.length; i++) {
            for (int c = 0; c < inputs[i].size(); c++) {
                double numeric = fd[i][c];
                if (!w.passes(hv[i].data()[c], numeric, scale)) { // one refinement, as in checkVjp
                    if (refined == null) refined = gradientDerivative(u, v, h / REFINE, center.branch);
                    if (refined != null) numeric = refined[i][c];
                }
                final int ii = i;
                final int cc = c;
                w.compare(hv[i].data()[c], numeric, scale, () -> "input " + ii + " index " + index(inputs[ii], cc));
            }
        }
        return w.report();
    }

    /** The finite difference of the gradient of {@code <u, f>} along v with step h, or null across a kink. */
    private double[][] gradientDerivative(Tensor u, Tensor[] v, double h, long centerBranch) {
        Tensor[][] grads = new Tensor[STENCIL.length][];
        long[] branches = new long[STENCIL.length];
        for (int s = 0; s < STENCIL.length; s++) {
            Tensor[] xs = shift(inputs, v, STENCIL[s] * h);
            grads[s] = gradient(xs, u);
            branches[s] = eval(xs).branch;
        }
        if (straddles(branches, centerBranch)) return null;
        double[][] out = new double[inputs.length][];
        double[] column = new double[STENCIL.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = new double[inputs[i].size()];
            for (int c = 0; c < out[i].length; c++) {
                for (int q = 0; q < STENCIL.length; q++) column[q] = grads[q][i].data()[c];
                out[i][c] = derivative(column, h);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- machinery

    /**
     * The step divisor of the one retry given to an element that fails: the sixth-order truncation error
     * shrinks by 8^6 ≈ 2.6e5 while the rounding error grows by 8, which at the default step stays near
     * 1e-12 relative.
     */
    private static final double REFINE = 8;

    /** Offsets in units of h: the fourth-order stencils at h {-2,-1,1,2} and at h/2 {-1,-.5,.5,1}. */
    private static final double[] STENCIL = {-2, -1, -0.5, 0.5, 1, 2};

    /** Richardson-extrapolated central difference from values at the {@link #STENCIL} offsets. */
    private static double derivative(double[] f, double h) {
        double dh = (f[0] - 8 * f[1] + 8 * f[4] - f[5]) / (12 * h);
        double dHalf = (f[1] - 8 * f[2] + 8 * f[3] - f[4]) / (6 * h);
        return dHalf + (dHalf - dh) / 15;
    }

    private static double maxAbs(Tensor[] ts) {
        double m = 0;
        for (Tensor t : ts) m = Math.max(m, maxAbs(t));
        return m;
    }

    private static final class Eval {
        final Tensor y;
        final long branch;

        Eval(Tensor y, long branch) {
            this.y = y;
            this.branch = branch;
        }
    }

    /** Evaluates f without recording, logging which side of each kink it took. */
    private Eval eval(Tensor[] xs) {
        State s = State.get();
        BranchLog previous = s.branches;
        BranchLog log = new BranchLog();
        s.branches = log;
        s.paused++;
        try {
            Tensor y = f.apply(xs.clone());
            if (y == null) throw new IllegalArgumentException("gradcheck: the function returned null");
            return new Eval(y, log.hash());
        } finally {
            s.paused--;
            s.branches = previous;
        }
    }

    private static boolean straddles(long[] branches, long center) {
        for (long b : branches) {
            if (b != center) return true;
        }
        return false;
    }

    /** Reverse-mode {@code J^T u} at xs, on a tape of its own. */
    private Tensor[] gradient(Tensor[] xs, Tensor u) {
        Tensor[] vars = variables(xs);
        try (Tape tape = Tape.open()) {
            Tensor y = f.apply(vars.clone());
            if (!y.sameShape(u)) throw new ShapeException("gradcheck: output shape changed between evaluations");
            if (!isTracked(y, tape)) return zerosLike(vars);
            return tape.gradient(new Tensor[] {y}, new Tensor[] {u}, vars);
        }
    }

    private Tensor[] hessianVector(Tensor[] xs, Tensor u, Tensor[] v) {
        Tensor[] vars = variables(xs);
        try (Tape tape = Tape.openRetained()) {
            Tensor y = f.apply(vars.clone());
            if (!isTracked(y, tape)) return zerosLike(vars);
            Tensor[] g = tape.recordedGradient(new Tensor[] {y}, new Tensor[] {u}, vars);
            // H v = d/dx <g(x), v>: the gradient of the recorded g with seeds v. Parts of g that do not
            // depend on x (a linear function's constant gradient) contribute nothing.
            int tracked = 0;
            for (Tensor gi : g) if (isTracked(gi, tape)) tracked++;
            if (tracked == 0) return zerosLike(vars);
            Tensor[] gs = new Tensor[tracked];
            Tensor[] seeds = new Tensor[tracked];
            int j = 0;
            for (int i = 0; i < g.length; i++) {
                if (isTracked(g[i], tape)) {
                    gs[j] = g[i];
                    seeds[j++] = v[i];
                }
            }
            return tape.gradient(gs, seeds, vars);
        }
    }

    private static boolean isTracked(Tensor y, Tape tape) {
        return y.isVariable() || (y.node() != null && y.node().tape == tape);
    }

    private static Tensor[] variables(Tensor[] xs) {
        Tensor[] vars = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) vars[i] = xs[i].detach().requiresGrad();
        return vars;
    }

    private static Tensor[] zerosLike(Tensor[] xs) {
        Tensor[] z = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) z[i] = Tensor.zeros(xs[i].shapeRef());
        return z;
    }

    private static Tensor[] shift(Tensor[] xs, Tensor[] dir, double h) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double[] a = xs[i].data();
            double[] d = dir[i].data();
            double[] r = new double[a.length];
            for (int j = 0; j < a.length; j++) r[j] = a[j] + h * d[j];
            out[i] = Tensor.wrapUnchecked(r, xs[i].shapeRef());
        }
        return out;
    }

    private static Tensor gaussian(SplittableRandom rng, int[] shape) {
        double[] d = new double[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = gauss(rng);
        return Tensor.wrapUnchecked(d, shape);
    }

    private static double gauss(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian on JDK 17.
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * StrictMath.log1p(-u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        double[] x = a.data();
        double[] y = b.data();
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    private static double sumAbsProducts(Tensor a, Tensor b) {
        double s = 0;
        double[] x = a.data();
        double[] y = b.data();
        for (int i = 0; i < x.length; i++) s += Math.abs(x[i] * y[i]);
        return s;
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.data()) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static String index(Tensor t, int flat) {
        return t.rank() == 0 ? "[]" : Arrays.toString(t.unflatIndex(flat)).replace(" ", "");
    }

    /**
     * The relative error the checks use: {@code |a-b| / max(|a|, |b|, 1e-12)}; 0 when {@code a == b} (also
     * for two equal infinities).
     *
     * @param a one value, e.g. the analytic derivative
     * @param b the other, e.g. the finite difference
     * @return the relative error, ≥ 0; NaN when either is NaN
     */
    public static double relativeError(double a, double b) {
        if (a == b) return 0.0;
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-12);
    }

    private static final class Worst {
        final String check;
        int checked;
        int skipped;
        double maxRel = 0;
        double worstScore = -1;
        String where;
        double analytic;
        double numeric;
        final double tolerance;
        final double floor;

        Worst(String check, double tolerance, double floor) {
            this.check = check;
            this.tolerance = tolerance;
            this.floor = floor;
        }

        /** How far past the pass line the pair is: at most 1 passes. */
        double score(double a, double n, double scale) {
            double rel = relativeError(a, n);
            if (Double.isNaN(a) || Double.isNaN(n)) rel = Double.POSITIVE_INFINITY;
            double abs = Math.abs(a - n);
            double score = Math.min(rel / tolerance, abs / (floor * Math.max(1, scale)));
            return Double.isNaN(score) ? Double.POSITIVE_INFINITY : score;
        }

        boolean passes(double a, double n, double scale) {
            return score(a, n, scale) <= 1.0;
        }

        void compare(double a, double n, double scale, java.util.function.Supplier<String> location) {
            checked++;
            double rel = relativeError(a, n);
            if (Double.isNaN(a) || Double.isNaN(n)) rel = Double.POSITIVE_INFINITY;
            // Score: how far past the pass line this element is; the worst one is reported.
            double score = score(a, n, scale);
            maxRel = Math.max(maxRel, rel);
            if (score > worstScore) {
                worstScore = score;
                where = location.get();
                analytic = a;
                numeric = n;
            }
        }

        Report report() {
            return new Report(check, worstScore <= 1.0, checked, skipped, maxRel,
                    where == null ? null : where + ": analytic " + analytic + ", numeric " + numeric
                            + ", relative error " + String.format("%.3g", relativeError(analytic, numeric)));
        }
    }

    /** The outcome of one check: whether it passed, how many elements were compared and skipped, the worst. */
    public static final class Report {
        private final String check;
        private final boolean passed;
        final int checked;
        final int skipped;
        final double maxRelError;
        private final String worst;

        Report(String check, boolean passed, int checked, int skipped, double maxRelError, String worst) {
            this.check = check;
            this.passed = passed;
            this.checked = checked;
            this.skipped = skipped;
            this.maxRelError = maxRelError;
            this.worst = worst;
        }

        /** {@return whether every compared element passed} */
        public boolean passed() {
            return passed;
        }

        /** {@return the number of elements compared} */
        public int checked() {
            return checked;
        }

        /** {@return the number of elements skipped because a finite difference straddled a kink} */
        public int skipped() {
            return skipped;
        }

        /** {@return the largest relative error among compared elements} 0 when none was compared. */
        public double maxRelativeError() {
            return maxRelError;
        }

        /**
         * {@return the worst element, or null if none was compared} It names where it is, the analytic and
         * numeric values and the relative error.
         */
        public String worst() {
            return worst;
        }

        /**
         * Throws an {@link AssertionError} carrying this report unless it passed.
         *
         * @return this report, for chaining
         * @throws AssertionError when the check failed; its message is {@link #toString()}
         */
        public Report assertPassed() {
            if (!passed) throw new AssertionError(toString());
            return this;
        }

        @Override
        public String toString() {
            return "gradcheck " + check + ": " + (passed ? "passed" : "FAILED") + ", " + checked + " compared, "
                    + skipped + " skipped at kinks, max relative error " + String.format("%.3g", maxRelError)
                    + (worst != null ? "; worst at " + worst : "");
        }
    }
}
