package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;

/**
 * Derivatives of {@code y = a^b} of every order, at the base 0 in particular.
 *
 * <p>By hand: for an integer {@code n ≥ 0}, {@code d^k/dx^k x^n = n!/(n-k)! x^(n-k)} for {@code k ≤ n} and
 * 0 beyond, so at x = 0 the k-th derivative is exactly {@code n!} at {@code k = n} and 0 at every other
 * order ({@code 0^0 = 1}). For a non-integer or negative exponent, {@code d^k/dx^k x^b = b (b-1) ... (b-k+1)
 * x^(b-k)}, at x = +0 the one-sided limit: 0 where {@code b - k > 0}, ±∞ (the sign of the coefficient)
 * where {@code b - k < 0}. At x = -0 with an integer exponent, {@code (-0)^(b-k)} carries the sign of
 * the odd powers, as IEEE pow does.
 *
 * <p>The exponent derivative {@code ∂y/∂b = a^b ln a} at {@code a = 0} is the limit {@code a → 0+}: for
 * {@code b > 0}, {@code a^b ln a → 0} (and {@code b ↦ 0^b = 0} is constant near b, so 0 is also the
 * derivative along b); for {@code b ≤ 0}, {@code a^b ln a → -∞} (at b = 0 it is {@code ln a}; and
 * {@code b ↦ 0^b} falls from +∞ to 1 to 0 through b = 0, so both one-sided difference quotients tend to
 * -∞ as well). PyTorch masks every {@code b ≥ 0} to 0, which is wrong at b = 0.
 */
class PowDerivativesTest {

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    /**
     * {@code d^k/dx^k} of f at x for k = 0..orders, by differentiating the recorded gradient again and
     * again (a derivative that no longer depends on x is a constant: the rest are 0).
     */
    private static double[] derivatives(java.util.function.UnaryOperator<Tensor> f, double x, int orders) {
        double[] out = new double[orders + 1];
        try (Tape tape = Tape.openRetained()) {
            Tensor xv = Tensor.scalar(x).requiresGrad();
            Tensor d = f.apply(xv);
            for (int k = 0; k <= orders; k++) {
                out[k] = d.item();
                if (k == orders) break;
                if (d.isLeaf()) {
                    // constant in x from here on
                    for (int j = k + 1; j <= orders; j++) out[j] = 0;
                    break;
                }
                d = tape.recordedGradient(d, xv)[0];
            }
        }
        return out;
    }

    private static void same(double expected, double actual, String what) {
        assertTrue(Double.compare(expected, actual) == 0 || (expected == 0 && actual == 0),
                () -> what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void integerExponentsHaveExactDerivativesOfEveryOrderAtZero() {
        for (int n = 0; n <= 6; n++) {
            int orders = n + 4;
            int exponent = n;
            Tensor variableExponent = Tensor.scalar(n).requiresGrad();
            java.util.List<java.util.function.UnaryOperator<Tensor>> forms = java.util.List.of(
                    x -> Ops.pow(x, exponent),
                    x -> Ops.pow(x, Tensor.scalar(exponent)),
                    // a tracked exponent puts its own branches on the tape; the derivatives in x are the same
                    x -> Ops.pow(x, variableExponent));
            for (int form = 0; form < forms.size(); form++) {
                double[] d = derivatives(forms.get(form), 0.0, orders);
                for (int k = 0; k <= orders; k++) {
                    double expected = k == n ? factorial(n) : 0;
                    same(expected, d[k], "d^" + k + "/dx^" + k + " x^" + n + " at 0 (form " + form + ")");
                }
            }
        }
    }

    @Test
    void integerExponentsAgreeWithDerivativeStructureAwayFromZero() {
        int orders = 6;
        for (double x : new double[] {2.0, -1.5, 0.25}) {
            for (int n = 0; n <= 5; n++) {
                int exponent = n;
                double[] d = derivatives(t -> Ops.pow(t, exponent), x, orders);
                DerivativeStructure ds = new DerivativeStructure(1, orders, 0, x).pow(n);
                for (int k = 0; k <= orders; k++) {
                    double e = ds.getPartialDerivative(k);
                    assertEquals(e, d[k], 1e-12 * Math.max(1, Math.abs(e)), "d^" + k + " x^" + n + " at " + x);
                }
            }
        }
    }

    @Test
    void nonIntegerAndNegativeExponentsAtZeroAreTheOneSidedLimits() {
        double inf = Double.POSITIVE_INFINITY;
        // b, then the value and derivatives b (b-1) ... (b-k+1) 0^(b-k) at +0
        double[][] cases = {
            {0.5, 0, inf, -inf, inf},
            {1.5, 0, 0, inf, -inf},
            {2.5, 0, 0, 0, inf, -inf},
            {-0.5, inf, -inf, inf, -inf},
            {-1, inf, -inf, inf, -inf},
            {-2, inf, -inf, inf, -inf},
        };
        for (double[] c : cases) {
            double b = c[0];
            double[] d = derivatives(x -> Ops.pow(x, b), 0.0, c.length - 2);
            for (int k = 0; k < c.length - 1; k++) same(c[k + 1], d[k], "d^" + k + "/dx^" + k + " x^" + b + " at +0");
        }
        // At -0, 1/x: -∞, and every derivative (-1)^k k! / x^(k+1) is -∞ too.
        double[] d = derivatives(x -> Ops.pow(x, -1), -0.0, 3);
        for (int k = 0; k < 4; k++) same(-inf, d[k], "d^" + k + "/dx^" + k + " 1/x at -0");
        // x^3 at -0: value -0, then 0, 0, 6.
        d = derivatives(x -> Ops.pow(x, 3), -0.0, 4);
        double[] cube = {-0.0, 0, 0, 6, 0};
        for (int k = 0; k < 5; k++) same(cube[k], d[k], "d^" + k + "/dx^" + k + " x^3 at -0");
    }

    @Test
    void forwardModeSlopeAtZeroForEveryExponentTheChainMeets() {
        double inf = Double.POSITIVE_INFINITY;
        double[][] cases = {{0, 0}, {1, 1}, {2, 0}, {3, 0}, {0.5, inf}, {1.5, 0}, {-1, -inf}};
        for (double[] c : cases) {
            double b = c[0];
            double t = ForwardMode.jvp(x -> Ops.pow(x, b), Tensor.scalar(0), Tensor.scalar(1)).tangent().item();
            same(c[1], t, "JVP of x^" + b + " at 0");
        }
    }

    /** {@code ∂(a^b)/∂b} at a = 0, with the exponent a tensor that broadcasts against the base. */
    @Test
    void exponentDerivativeAtZeroBaseIsTheLimitFromAbove() {
        double inf = Double.POSITIVE_INFINITY;
        double[] b = {2, 0.5, 1e-300, 0, -0.0, -1, -0.5, Double.NaN, inf, -inf};
        double[] expected = {0, 0, 0, -inf, -inf, -inf, -inf, Double.NaN, 0, -inf};
        for (int i = 0; i < b.length; i++) {
            Tensor bv = Tensor.scalar(b[i]).requiresGrad();
            try (Tape tape = Tape.open()) {
                double g = tape.gradient(Ops.pow(Tensor.scalar(0), bv), bv)[0].item();
                same(expected[i], g, "∂(0^b)/∂b at b = " + b[i]);
            }
        }
        // a of shape [2], b of shape [2, 1]: y = [[0^-1, 2^-1], [0^2, 2^2]] = [[∞, ½], [0, 4]].
        Tensor a = Tensor.vector(0, 2).requiresGrad();
        Tensor e = Tensor.matrix(new double[][] {{-1}, {2}}).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = Ops.pow(a, e);
            Tensor[] g = tape.gradient(Ops.sum(y), a, e);
            // ∂y/∂b = y ln a: [[-∞, ½ ln 2], [0, 4 ln 2]], summed over the broadcast axis of b.
            same(-inf, g[1].data()[0], "∂/∂b, row b = -1");
            assertEquals(4 * Math.log(2), g[1].data()[1], 1e-15, "∂/∂b, row b = 2");
            // ∂y/∂a = b a^(b-1): [[-1 · 0^-2, -1 · 2^-2], [2 · 0, 2 · 2]] = [[-∞, -¼], [0, 4]], summed over rows.
            same(-inf, g[0].data()[0], "∂/∂a at a = 0");
            assertEquals(3.75, g[0].data()[1], 1e-15, "∂/∂a at a = 2");
        }
    }

    /**
     * With a tracked exponent, every second partial of {@code a^b} against DerivativeStructure, b = 0
     * included: {@code ∂²y/∂a∂b = a^(b-1) (1 + b ln a)} is {@code 1/a} there, which masking ∂y/∂a to 0 at
     * b = 0 would lose. At a = 0 with b ≥ 2 the mixed partial is the limit 0 along both orders of
     * differentiation.
     */
    @Test
    void secondPartialsWithATrackedExponent() {
        double[][] points = {{2, 0}, {2, 1}, {0.5, 0}, {3, -1}, {1.5, 2.5}, {0.7, -0.3}};
        for (double[] pt : points) {
            DerivativeStructure da = new DerivativeStructure(2, 2, 0, pt[0]);
            DerivativeStructure db = new DerivativeStructure(2, 2, 1, pt[1]);
            DerivativeStructure y = da.pow(db);
            double[][] h = hessian(pt[0], pt[1]);
            String at = "a^b at (" + pt[0] + ", " + pt[1] + ")";
            assertEquals(y.getPartialDerivative(2, 0), h[0][0], 1e-12, "∂²/∂a² " + at);
            assertEquals(y.getPartialDerivative(1, 1), h[0][1], 1e-12, "∂²/∂a∂b " + at);
            assertEquals(y.getPartialDerivative(1, 1), h[1][0], 1e-12, "∂²/∂b∂a " + at);
            assertEquals(y.getPartialDerivative(0, 2), h[1][1], 1e-12, "∂²/∂b² " + at);
        }
        for (double b : new double[] {2, 3, 4.5}) {
            double[][] h = hessian(0, b);
            same(0, h[0][1], "∂²/∂a∂b at (0, " + b + ")");
            same(0, h[1][0], "∂²/∂b∂a at (0, " + b + ")");
        }
    }

    /** The Hessian of a^b in (a, b), by differentiating the recorded gradient. */
    private static double[][] hessian(double a, double b) {
        double[][] h = new double[2][2];
        try (Tape tape = Tape.openRetained()) {
            Tensor av = Tensor.scalar(a).requiresGrad();
            Tensor bv = Tensor.scalar(b).requiresGrad();
            Tensor[] g = tape.recordedGradient(Ops.pow(av, bv), av, bv);
            for (int i = 0; i < 2; i++) {
                if (g[i].isLeaf()) continue;
                Tensor[] row = tape.gradient(g[i], av, bv);
                h[i][0] = row[0].item();
                h[i][1] = row[1].item();
            }
        }
        return h;
    }
}
