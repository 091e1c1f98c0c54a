package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * logSumExp, softmax, logSoftmax and softmaxCrossEntropy (labels and targets) at the extremes: equal huge
 * logits (1e16, ±1e308, the largest double), mixed +1e308 / -1e308 in one row, subnormals, |z| ~ 1000,
 * a dominant entry whose complement is below ulp(1), infinite entries and NaN. For each row and op:
 * the value, the VJP (plain and recorded backward), the JVP, and the Hessian-vector product (reverse
 * over reverse), against {@link Exact} (the formulas derived there, evaluated in 40 digits and rounded
 * once).
 *
 * <p>Infinite logits follow the documented limits, derived from shift invariance
 * {@code softmax(z + c) = softmax(z)}: the entries equal to the maximum share the mass equally, also
 * when the maximum is ±∞ (a row of equal values shifted by ±∞), and an entry below an infinite maximum
 * or a -∞ entry below a finite one has probability 0. So {@code softmax([∞, 1]) = [1, 0]},
 * {@code softmax([∞, ∞, 0]) = [½, ½, 0]}, {@code softmax([-∞, -∞]) = [½, ½]} with logSumExp -∞ and
 * log-softmax {@code -ln 2}, {@code softmax([-∞, 0]) = [0, 1]}. A NaN anywhere in a row makes the whole
 * row NaN, value and derivatives.
 */
class ExtremesTest {
    /** Values and first derivatives: a few ulps of the correctly rounded result. */
    private static final double FIRST = 4;
    /** Second derivatives, normwise: a few ulps of the largest element of the exact result. */
    private static final double SECOND = 8;

    private static final double MAX = Double.MAX_VALUE;
    private static final double TINY = Double.MIN_VALUE;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    static Stream<Arguments> rows() {
        return Stream.of(
                row("equal 1e16", 1e16, 1e16),
                row("equal 1e308", 1e308, 1e308),
                row("equal -1e308", -1e308, -1e308),
                row("equal MAX_VALUE, three times", MAX, MAX, MAX),
                row("mixed +1e308 / -1e308", 1e308, -1e308, 1e308),
                row("-MAX_VALUE, MAX_VALUE", -MAX, MAX),
                row("1e16 and its neighbours", 1e16, 1e16 + 2, 1e16 - 4),
                row("subnormals and zero", TINY, 0, -TINY),
                row("subnormal, smallest normal, zero", TINY, Double.MIN_NORMAL, 0),
                row("|z| ~ 1000", 1000, 999, 998.5),
                row("|z| ~ 1000, negative", -1000, -999.25, -1001),
                row("|z| ~ 1e5", 1e5, 1e5 - 0.5),
                row("dominant: complement below ulp(1)", 0, -40),
                row("dominant, three", 3, -37, -50),
                row("wide spread", 700, 0, -700),
                row("spread", 20, 0, -30, 5),
                row("a subnormal probability", 0, -740, -1000),
                row("one element", 1e308),
                row("+∞ and a finite entry", INF, 1),
                row("two +∞ and a finite entry", INF, INF, 0),
                row("+∞ and -∞", INF, -INF),
                row("a -∞ entry", -INF, 0, 1),
                row("-∞ next to 1e308", 1e308, -INF, 1e308),
                row("all -∞", -INF, -INF),
                row("all +∞", INF, INF, INF),
                row("one -∞", -INF),
                row("NaN", NAN, 1),
                row("NaN and +∞", INF, NAN),
                row("NaN and -∞", -INF, NAN, 0));
    }

    private static Arguments row(String label, double... z) {
        return Arguments.of(label, z);
    }

    // ---------------------------------------------------------------- the ops on one row

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void logSumExp(String label, double[] z) {
        Exact.Row r = reference(z);
        double w = 1.5;
        double[] t = tangent(z.length);
        probe("logSumExp", x -> Ops.logSumExp(x), z, new double[] {w}, t,
                r == null ? null : r.lse(),
                r == null ? null : r.lseVjp(w),
                r == null ? null : r.lseJvp(t),
                r == null ? null : r.lseHvp(w, t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void softmax(String label, double[] z) {
        Exact.Row r = reference(z);
        double[] w = cotangent(z.length);
        double[] t = tangent(z.length);
        probe("softmax", x -> Ops.softmax(x), z, w, t,
                r == null ? null : r.softmax(),
                r == null ? null : r.softmaxVjp(w),
                r == null ? null : r.softmaxJvp(t),
                r == null ? null : r.softmaxHvp(w, t));
        // The derivative of one probability: the cotangent e_0.
        double[] e0 = new double[z.length];
        e0[0] = 1;
        probe("softmax, ∂p_0", x -> Ops.softmax(x), z, e0, e0,
                r == null ? null : r.softmax(),
                r == null ? null : r.softmaxVjp(e0),
                r == null ? null : r.softmaxJvp(e0),
                r == null ? null : r.softmaxHvp(e0, e0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void logSoftmax(String label, double[] z) {
        Exact.Row r = reference(z);
        double[] w = cotangent(z.length);
        double[] t = tangent(z.length);
        probe("logSoftmax", x -> Ops.logSoftmax(x), z, w, t,
                r == null ? null : r.logSoftmax(),
                r == null ? null : r.logSoftmaxVjp(w),
                r == null ? null : r.logSoftmaxJvp(t),
                r == null ? null : r.logSoftmaxHvp(w, t));
        double[] e0 = new double[z.length];
        e0[0] = 1;
        probe("logSoftmax, ∂ log p_0", x -> Ops.logSoftmax(x), z, e0, e0,
                r == null ? null : r.logSoftmax(),
                r == null ? null : r.logSoftmaxVjp(e0),
                r == null ? null : r.logSoftmaxJvp(e0),
                r == null ? null : r.logSoftmaxHvp(e0, e0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void crossEntropyWithLabels(String label, double[] z) {
        Exact.Row r = reference(z);
        double w = 0.75;
        double[] t = tangent(z.length);
        for (int c : new int[] {0, z.length - 1}) {
            probe("softmaxCrossEntropy, label " + c, x -> Ops.reshape(Ops.softmaxCrossEntropy(
                    Ops.reshape(x, 1, z.length), c), 1), z, new double[] {w}, t,
                    r == null ? null : r.ceLabel(c),
                    r == null ? null : r.ceLabelVjp(c, w),
                    r == null ? null : r.ceLabelJvp(c, t),
                    r == null ? null : r.ceHvp(w, t));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void crossEntropyWithTargets(String label, double[] z) {
        Exact.Row r = reference(z);
        double w = 0.75;
        double[] t = tangent(z.length);
        List<double[]> targets = new ArrayList<>();
        double[] oneHot = new double[z.length];
        oneHot[0] = 1;
        targets.add(oneHot); // a zero target on a class of probability 0 adds 0 to the loss, not 0 · ∞
        double[] weights = new double[z.length];
        for (int i = 0; i < z.length; i++) weights[i] = 0.25 + 0.5 * i; // unnormalised: Στ ≠ 1
        targets.add(weights);
        for (double[] tau : targets) {
            Tensor tauT = Tensor.vector(tau);
            double total = Arrays.stream(tau).sum();
            probe("softmaxCrossEntropy, targets " + Arrays.toString(tau), x -> Ops.reshape(
                    Ops.softmaxCrossEntropy(x, tauT), 1), z, new double[] {w}, t,
                    r == null ? null : r.ceTargets(tau),
                    r == null ? null : r.ceTargetsVjp(tau, w),
                    r == null ? null : r.ceTargetsJvp(tau, t),
                    r == null ? null : r.ceHvp(w * total, t));
            // With respect to the targets: the loss is linear in τ, ∂/∂τ = -log p, and the HVP is 0.
            // -log p overflows where the row holds ±1e308 (2e308 > MAX_VALUE); the cotangent and the
            // tangent are at least 1 in magnitude so that the exact products overflow too.
            double wt = 1.5;
            double[] tt = new double[z.length];
            for (int i = 0; i < z.length; i++) tt[i] = i % 2 == 0 ? 1.0 + i : -1.0 - i;
            Tensor zT = Tensor.vector(z);
            probe("softmaxCrossEntropy, d/dτ, logits " + Arrays.toString(z), y -> Ops.reshape(
                    Ops.softmaxCrossEntropy(zT, y), 1), tau, new double[] {wt}, tt,
                    r == null ? null : r.ceTargets(tau),
                    r == null ? null : r.ceTargetsVjpTargets(wt),
                    r == null ? null : r.ceTargetsJvpTargets(tt),
                    new double[z.length]);
        }
    }

    /** The reference, or null for a row with a NaN, whose every result must be NaN. */
    private static Exact.Row reference(double[] z) {
        for (double v : z) {
            if (Double.isNaN(v)) return null;
        }
        return new Exact.Row(z);
    }

    /** A tangent with distinct entries of both signs. */
    private static double[] tangent(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i % 2 == 0 ? 1.0 + i : -0.5 * i;
        return t;
    }

    private static double[] cotangent(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = i % 2 == 0 ? 0.5 - i : 2.0 + i;
        return w;
    }

    // ---------------------------------------------------------------- the harness

    /**
     * Checks f at x: the value; the plain and the recorded VJP of the cotangent w; the JVP along t; the
     * HVP {@code d/dx <VJP_w, t>} by differentiating the recorded VJP. Null expectations mean "every
     * element NaN" (a NaN input).
     */
    private static void probe(String what, UnaryOperator<Tensor> f, double[] x, double[] w, double[] t,
            Exact.Expect value, Exact.Expect vjp, Exact.Expect jvp, double[] hvp) {
        String at = what + " at " + Arrays.toString(x);
        Tensor seed = null;
        try (Tape tape = Tape.open()) {
            Tensor xv = Tensor.vector(x).requiresGrad();
            Tensor y = f.apply(xv);
            seed = Tensor.wrap(w.clone(), y.shape());
            assertFirst(at + ": value", value, y.data());
            assertFirst(at + ": VJP", vjp, tape.gradient(new Tensor[] {y}, new Tensor[] {seed}, xv)[0].data());
        }
        try (Tape tape = Tape.open()) {
            Tensor xv = Tensor.vector(x).requiresGrad();
            Tensor g = tape.recordedGradient(new Tensor[] {f.apply(xv)}, new Tensor[] {seed}, xv)[0];
            assertFirst(at + ": recorded VJP", vjp, g.data());
            // A gradient that does not depend on x (a function linear in x) is not on the tape: HVP 0.
            double[] h = g.isLeaf() ? new double[x.length]
                    : tape.gradient(new Tensor[] {g}, new Tensor[] {Tensor.vector(t)}, xv)[0].data();
            assertSecond(at + ": HVP", hvp, h);
        }
        ForwardMode.Result r = ForwardMode.jvp(f, Tensor.vector(x), Tensor.vector(t));
        assertFirst(at + ": JVP", jvp, r.tangent().data());
    }

    /**
     * Each element within FIRST ulps of the exact one, the ulp taken of the larger of the exact value and
     * its scale (see {@link Exact}); infinities exactly. Null: every element NaN.
     */
    private static void assertFirst(String what, Exact.Expect expected, double[] actual) {
        if (expected == null) {
            assertAllNaN(what, actual);
            return;
        }
        double[] e = expected.value;
        assertEquals(e.length, actual.length, what + ": size");
        for (int i = 0; i < actual.length; i++) {
            double unit = Math.ulp(Math.max(Math.abs(e[i]), expected.scale[i]));
            double u = Double.isFinite(e[i]) && Double.isFinite(actual[i]) ? Math.abs(actual[i] - e[i]) / unit
                    : Exact.ulps(actual[i], e[i]);
            int at = i;
            assertTrue(u <= FIRST, () -> what + ", element " + at + ": " + actual[at] + " vs exact " + e[at]
                    + " (" + u + " ulps of " + Math.max(Math.abs(e[at]), expected.scale[at]) + "); got "
                    + Arrays.toString(actual) + ", exact " + Arrays.toString(e));
        }
    }

    /** Normwise: each element within SECOND ulps of the largest exact element (infinities and NaN exactly). */
    private static void assertSecond(String what, double[] expected, double[] actual) {
        if (expected == null) {
            assertAllNaN(what, actual);
            return;
        }
        assertEquals(expected.length, actual.length, what + ": size");
        double scale = 0;
        for (double e : expected) {
            if (Double.isFinite(e)) scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < actual.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isFinite(e) ? Math.abs(a - e) <= SECOND * Math.ulp(scale) || a == e
                    : Exact.ulps(a, e) == 0;
            int at = i;
            assertTrue(ok, () -> what + ", element " + at + ": " + a + " vs exact " + e + "; got "
                    + Arrays.toString(actual) + ", exact " + Arrays.toString(expected));
        }
    }

    private static void assertAllNaN(String what, double[] actual) {
        for (int i = 0; i < actual.length; i++) {
            int at = i;
            assertTrue(Double.isNaN(actual[i]), () -> what + ": a NaN input must give NaN, element " + at + " is "
                    + actual[at] + " in " + Arrays.toString(actual));
        }
    }

    // ---------------------------------------------------------------- the failures reported by the reference run

    /** The four numbers PyTorch 1.13 (float64) disagreed on, spelled out. */
    @Test
    void theReportedCases() {
        double ln2 = Exact.round(org.apache.commons.math3.dfp.DfpMath.log(Exact.of(2)));
        for (double big : new double[] {1e16, 1e308, -1e308}) {
            try (Tape tape = Tape.open()) {
                Tensor x = Tensor.vector(big, big).requiresGrad();
                // d/dx_i log(e^x_0 + e^x_1) = e^x_i / (e^x_0 + e^x_1) = 1/2 at equal entries, at any size.
                double[] g = tape.gradient(Ops.logSumExp(x), x)[0].data();
                assertEquals(0.5, g[0], 0.0, "∂ logSumExp / ∂x_0 at " + big);
                assertEquals(0.5, g[1], 0.0, "∂ logSumExp / ∂x_1 at " + big);
            }
            // -log(e^z / (e^z + e^z)) = ln 2 for any z.
            Tensor z = Tensor.matrix(new double[][] {{big, big}});
            assertEquals(ln2, Ops.softmaxCrossEntropy(z, 0).item(), 0.0, "cross-entropy with a label at " + big);
            assertEquals(ln2, Ops.softmaxCrossEntropy(z, Tensor.matrix(new double[][] {{0.5, 0.5}})).item(), 0.0,
                    "cross-entropy with soft targets at " + big);
        }
    }
}
