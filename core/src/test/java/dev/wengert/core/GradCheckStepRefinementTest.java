package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import org.junit.jupiter.api.Test;

/**
 * A failing element gets one retry at a smaller step: correct derivatives of sharply curved functions
 * pass (the sixth-order truncation error, about (ωh)^6 for sin(ωx), was above the tolerance at the
 * default step), wrong derivatives still fail.
 */
class GradCheckStepRefinementTest {
    private static final Tensor X = Tensor.vector(0.3, -0.7, 1.1);
    private static final Tensor OMEGA = Tensor.full(150.0, 3);

    @Test
    void aCorrectDerivativeOfAFastOscillationPassesInEveryCheck() {
        GradCheck check = GradCheck.of(x -> sin(mul(x[0], OMEGA)), X);
        // Without the retry the default step leaves ~1e-4 relative truncation error here.
        GradCheck.Report coarse = GradCheck.of(x -> sin(mul(x[0], OMEGA)), X).step(8e-3).tolerance(1e-12).checkVjp();
        assertFalse(coarse.passed(), coarse.toString());
        assertTrue(check.checkVjp().passed(), check.checkVjp().toString());
        assertTrue(check.checkJvp().passed(), check.checkJvp().toString());
        assertTrue(check.checkSecondOrder().passed(), check.checkSecondOrder().toString());
    }

    /** sin with a derivative 1e-4 too large, relative: a defect no step size can hide. */
    private static final Primitive SLIGHTLY_WRONG_SIN = new TestOps.Unary() {
        public String name() {
            return "wrongsin";
        }

        protected double f(double a) {
            return Math.sin(a);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, mul(TestOps.cos(n.input(0)), Tensor.full(1.0001, n.input(0).shape())))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return TestOps.scaleBatch(t[0], mul(TestOps.cos(x[0]), Tensor.full(1.0001, x[0].shape())));
        }
    };

    @Test
    void aSlightlyWrongDerivativeStillFails() {
        GradCheck check = GradCheck.of(x -> SLIGHTLY_WRONG_SIN.apply(x[0]), X);
        assertFalse(check.checkVjp().passed());
        assertFalse(check.checkJvp().passed());
    }
}
