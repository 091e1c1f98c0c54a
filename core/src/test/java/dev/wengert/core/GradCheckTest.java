package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.relu;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import org.junit.jupiter.api.Test;

/** The gradient checker passes right derivatives, fails wrong ones with a useful report, skips kinks. */
class GradCheckTest {

    /** sin with a derivative that is off by a factor 1 + 1e-5 in both modes. */
    private static final Primitive SLIGHTLY_WRONG_SIN = new TestOps.Unary() {
        public String name() {
            return "wrongsin";
        }

        protected double f(double a) {
            return Math.sin(a);
        }

        private Tensor slope(Tensor x) {
            double[] d = x.data().clone();
            for (int i = 0; i < d.length; i++) d[i] = Math.cos(d[i]) * (1 + 1e-5);
            return Tensor.wrap(d, x.shape());
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, slope(n.input(0)))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return TestOps.scaleBatch(t[0], slope(x[0]));
        }
    };

    @Test
    void rightDerivativesPassAllFourChecks() {
        Tensor x = Tensor.vector(0.3, -1.2, 2.0);
        Tensor y = Tensor.vector(1.1, 0.4, -0.7);
        GradCheck.Report r = GradCheck.of(in -> sin(mul(in[0], in[1])), x, y).checkAll().assertPassed();
        assertTrue(r.checked() > 6, r.toString());
    }

    @Test
    void aWrongDerivativeFailsAndTheReportNamesTheWorstElement() {
        Tensor x = Tensor.vector(0.3, -1.2, 0.05);
        GradCheck.Report vjp = GradCheck.of(in -> SLIGHTLY_WRONG_SIN.apply(in[0]), x).checkVjp();
        assertFalse(vjp.passed(), vjp.toString());
        assertTrue(vjp.worst().startsWith("input 0 index ["), vjp.worst());
        assertTrue(vjp.maxRelativeError() > 5e-6 && vjp.maxRelativeError() < 2e-5, vjp.toString());
        assertFalse(GradCheck.of(in -> SLIGHTLY_WRONG_SIN.apply(in[0]), x).checkJvp().passed());
        AssertionError e = assertThrows(AssertionError.class, vjp::assertPassed);
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    }

    @Test
    void finiteDifferencesStraddlingAKinkAreSkipped() {
        // relu at exactly 0 and at 1e-4 (within the stencil): both skipped; the rest checked.
        Tensor x = Tensor.vector(0.0, 1e-4, 0.7, -0.4);
        GradCheck.Report r = GradCheck.of(in -> relu(in[0]), x).checkVjp().assertPassed();
        assertEquals(2, r.skipped(), r.toString());
        assertEquals(2, r.checked(), r.toString());
    }

    @Test
    void relativeErrorIsTheNotesDefinition() {
        assertEquals(0.0, GradCheck.relativeError(3, 3));
        assertEquals(0.5, GradCheck.relativeError(1, 2), 1e-15);
        assertEquals(0.1, GradCheck.relativeError(0, 1e-13), 1e-15); // the denominator never drops below 1e-12
    }
}
