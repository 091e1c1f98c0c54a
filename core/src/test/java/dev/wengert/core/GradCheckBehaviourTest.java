package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.add;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.relu;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The gradient checker's own behaviour: what each check compares and counts, where its steps land
 * relative to kinks, the pass line (relative tolerance or absolute floor), and its reports. The ops
 * here have derivatives known by hand, some deliberately wrong by a known amount.
 */
class GradCheckBehaviourTest {

    /** max(x - c, 0): a kink at c, reported through its branch fingerprint. First order only. */
    private static Primitive kinkAt(double c) {
        return new TestOps.Unary() {
            public String name() {
                return "hinge";
            }

            protected double f(double a) {
                return Math.max(a - c, 0);
            }

            private Tensor slope(Tensor x) {
                double[] d = x.data();
                double[] m = new double[d.length];
                for (int i = 0; i < d.length; i++) m[i] = d[i] > c ? 1 : 0;
                return Tensor.wrap(m, x.shape());
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return new Tensor[] {mul(g, slope(n.input(0)))};
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return TestOps.scaleBatch(t[0], slope(x[0]));
            }

            public boolean hasKinks() {
                return true;
            }

            public long branch(Tensor[] x, Tensor y, Saved s) {
                long h = 17;
                for (double v : x[0].data()) h = 31 * h + (v > c ? 1 : v < c ? -1 : 0);
                return h;
            }
        };
    }

    /**
     * x^3 / 3 with the derivative x^2 + offset(x) in both modes (so the modes agree with each other and
     * differ from finite differences by exactly the offset). Finite differences of a cubic are exact up
     * to rounding.
     */
    private static Primitive cubeThirdWithSlopeError(DoubleUnaryOperator offset) {
        return new TestOps.Unary() {
            public String name() {
                return "cube3";
            }

            protected double f(double a) {
                return a * a * a / 3;
            }

            private Tensor slope(Tensor x) {
                double[] d = x.data();
                double[] m = new double[d.length];
                for (int i = 0; i < d.length; i++) m[i] = d[i] * d[i] + offset.applyAsDouble(d[i]);
                return Tensor.wrap(m, x.shape());
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return new Tensor[] {mul(g, slope(n.input(0)))};
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return TestOps.scaleBatch(t[0], slope(x[0]));
            }
        };
    }

    /** y = x with a right VJP (g) and a JVP that is {@code factor} times too large. */
    private static Primitive identityWithJvpFactor(double factor) {
        return new TestOps.Unary() {
            public String name() {
                return "scaledtangent";
            }

            protected double f(double a) {
                return a;
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return new Tensor[] {g};
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                double[] d = t[0].data().clone();
                for (int i = 0; i < d.length; i++) d[i] *= factor;
                return Tensor.wrap(d, t[0].shape());
            }
        };
    }

    /** x^3 with a VJP that multiplies by raw data 3x^2: right gradients, but a zero Hessian. */
    private static final Primitive CUBE_RAW_VJP = new TestOps.Unary() {
        public String name() {
            return "rawcube";
        }

        protected double f(double a) {
            return a * a * a;
        }

        private Tensor slope(Tensor x) {
            double[] d = x.data();
            double[] m = new double[d.length];
            for (int i = 0; i < d.length; i++) m[i] = 3 * d[i] * d[i];
            return Tensor.wrap(m, x.shape());
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, slope(n.input(0)))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return TestOps.scaleBatch(t[0], slope(x[0]));
        }
    };

    private static Tensor full(int n, double v) {
        return Tensor.full(v, n);
    }

    @Test
    void theSettersChainAndTheDirectionCountSetsTheForwardModeBatch() {
        Tensor x = Tensor.vector(0.3, -0.8);
        GradCheck.Report r = GradCheck.of(in -> sin(in[0]), x)
                .step(1e-3).tolerance(1e-6).floor(1e-9).seed(7).directions(5).checkJvp().assertPassed();
        assertEquals(5 * 2, r.checked());
        assertEquals(0, r.skipped());
    }

    @Test
    void theToleranceDecidesHowLargeARelativeErrorPasses() {
        Primitive off = cubeThirdWithSlopeError(a -> 1e-5 * a * a); // relative error 1e-5
        Tensor x = Tensor.vector(0.7, -1.3);
        GradCheck.Report strict = GradCheck.of(in -> off.apply(in[0]), x).checkVjp();
        assertFalse(strict.passed(), strict.toString());
        assertTrue(strict.maxRelativeError() > 0.9e-5 && strict.maxRelativeError() < 1.1e-5, strict.toString());
        assertTrue(GradCheck.of(in -> off.apply(in[0]), x).tolerance(2e-5).checkVjp().passed());
    }

    @Test
    void theFloorPassesAnAbsoluteErrorThatIsSmallAgainstTheScale() {
        // x0 = 1e-4: derivative 1e-8, given as 1e-8 + 1e-11 (relative error 1e-3, absolute 1e-11); the
        // scale is set by x1 = 2 (derivative 4), so the pass line for the absolute error is 1e-9 * scale.
        Primitive off = cubeThirdWithSlopeError(a -> Math.abs(a) < 1 ? 1e-11 : 0);
        Tensor x = Tensor.vector(1e-4, 2.0);
        GradCheck.Report r = GradCheck.of(in -> off.apply(in[0]), x).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertTrue(r.maxRelativeError() > 5e-4, r.toString());
        assertFalse(GradCheck.of(in -> off.apply(in[0]), x).floor(1e-13).checkVjp().passed());
    }

    @Test
    void theFloorGrowsWithTheLargestComparedValue() {
        // x1 = 100: derivative 1e4, so the floor is about 1e-9 * 1e4 = 1e-5; an error of 1e-8 on an element
        // of size 1e-5 (relative 1e-3) passes. With the scale divided instead of multiplied it would not.
        Primitive off = cubeThirdWithSlopeError(a -> Math.abs(a) < 1 ? 1e-8 : 0);
        Tensor x = Tensor.vector(Math.sqrt(1e-5), 100.0);
        GradCheck.Report r = GradCheck.of(in -> off.apply(in[0]), x).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertTrue(r.maxRelativeError() > 5e-4, r.toString());
    }

    @Test
    void checkAllReturnsTheFirstFailingCheck() {
        Primitive wrongJvp = identityWithJvpFactor(1.001);
        GradCheck.Report r = GradCheck.of(in -> sin(wrongJvp.apply(in[0])), Tensor.vector(0.2, 0.4)).checkAll();
        assertFalse(r.passed());
        assertTrue(r.toString().startsWith("gradcheck jvp: FAILED"), r.toString());
        assertTrue(r.worst().startsWith("direction "), r.worst());
        assertTrue(r.worst().contains(" output index ["), r.worst());
    }

    @Test
    void checkAllAddsUpWhatTheFourChecksCompared() {
        Tensor x = Tensor.vector(0.3, -1.2, 2.0);
        Tensor y = Tensor.vector(1.1, 0.4, -0.7);
        GradCheck g = GradCheck.of(in -> sin(mul(in[0], in[1])), x, y);
        int sum = g.checkVjp().checked() + g.checkJvp().checked() + g.checkVjpAgainstJvp().checked()
                + g.checkSecondOrder().checked();
        assertEquals(6 + 3 * 3 + 1 + 6, sum);
        GradCheck.Report all = g.checkAll();
        assertTrue(all.passed());
        assertEquals(sum, all.checked());
        assertTrue(all.toString().startsWith("gradcheck all: passed, 22 compared, 0 skipped at kinks"), all.toString());
        GradCheck.Report kinked = GradCheck.of(in -> relu(in[0]), Tensor.vector(0.0, 1.0)).checkAll();
        assertTrue(kinked.passed(), kinked.toString());
        assertEquals(1 + 3 * 2 + 2, kinked.skipped(), kinked.toString()); // vjp, jvp (whole directions), second order
        assertEquals(1 + 1, kinked.checked(), kinked.toString());
    }

    @Test
    void theCoordinateStepScalesWithTheValue() {
        // At x = 1000.5 the step is about 1e-3 * 1000.5 = 1: the stencil (up to 2 steps) reaches the kink
        // at 1000, so the element is skipped rather than compared.
        GradCheck.Report r = GradCheck.of(in -> kinkAt(1000).apply(in[0]), Tensor.vector(1000.5)).checkVjp();
        assertEquals(1, r.skipped(), r.toString());
        assertEquals(0, r.checked(), r.toString());
        GradCheck.Report small = GradCheck.of(in -> kinkAt(1000).apply(in[0]), Tensor.vector(1000.5)).step(1e-4)
                .checkVjp();
        assertEquals(0, small.skipped(), small.toString());
        assertTrue(small.passed());
    }

    @Test
    void aDirectionalStepIsDividedByTheLongestComponent() {
        // Ten elements 2.5e-3 above a kink: a step of 1e-3 / |v|_inf moves no element by more than 2e-3,
        // so no difference straddles the kink, whatever the random directions.
        Tensor x = full(10, 2.5e-3);
        GradCheck g = GradCheck.of(in -> kinkAt(0).apply(in[0]), x).directions(4);
        GradCheck.Report jvp = g.checkJvp();
        assertEquals(0, jvp.skipped(), jvp.toString());
        assertEquals(40, jvp.checked());
        assertTrue(jvp.passed(), jvp.toString());
        GradCheck.Report second = g.checkSecondOrder();
        assertEquals(0, second.skipped(), second.toString());
        assertEquals(10, second.checked());
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void aDirectionThroughAKinkIsSkippedWhole() {
        GradCheck g = GradCheck.of(in -> relu(in[0]), Tensor.vector(0.0, 1.0, -2.0)).directions(3);
        GradCheck.Report jvp = g.checkJvp();
        assertEquals(3 * 3, jvp.skipped(), jvp.toString());
        assertEquals(0, jvp.checked());
        assertTrue(jvp.passed());
        assertNull(jvp.worst(), "nothing was compared");
        assertEquals("gradcheck jvp: passed, 0 compared, 9 skipped at kinks, max relative error 0.00", jvp.toString());
        GradCheck.Report second = g.checkSecondOrder();
        assertEquals(3, second.skipped(), second.toString());
        assertEquals(0, second.checked());
    }

    @Test
    void aKinkInAnEarlierOpIsSeenEvenWhenALaterKinkedOpStaysOnOneSide() {
        // relu(x0) straddles its kink; relu(x1) is far from its own and applied later.
        GradCheck.Report r = GradCheck.of(in -> add(relu(in[0]), relu(in[1])), Tensor.vector(0.0),
                Tensor.vector(5.0)).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertEquals(1, r.skipped(), r.toString());
        assertEquals(1, r.checked(), r.toString());
    }

    @Test
    void richardsonExtrapolationMakesTheDifferenceSixthOrder() {
        // sin(150 x): the fourth-order stencil alone is off by about 2e-6 relative here, the extrapolated
        // one by about 2e-9.
        Tensor k = Tensor.vector(150.0);
        GradCheck.Report r = GradCheck.of(in -> sin(mul(in[0], k)), Tensor.vector(0.3)).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertTrue(r.maxRelativeError() < 1e-7, r.toString());
    }

    @Test
    void theDotProductTestComparesTheTwoModes() {
        Primitive wrongJvp = identityWithJvpFactor(1.001);
        GradCheck.Report r = GradCheck.of(in -> wrongJvp.apply(in[0]), Tensor.vector(0.2, 0.4, 0.6))
                .checkVjpAgainstJvp();
        assertFalse(r.passed());
        assertEquals(1, r.checked());
        assertTrue(r.worst().startsWith("<J^T u, v> vs <u, J v>: analytic "), r.worst());
        assertTrue(Math.abs(r.maxRelativeError() - 0.001 / 1.001) < 1e-12, r.toString());
        assertTrue(GradCheck.of(in -> sin(in[0]), Tensor.vector(0.2, 0.4)).checkVjpAgainstJvp().passed());
    }

    @Test
    void anErrorExactlyAtTheToleranceTolerancePasses() {
        // The JVP is exactly twice the VJP, so <u, J v> = 2 <J^T u, v> in floating point too, and the
        // relative error is exactly 0.5.
        Primitive doubled = identityWithJvpFactor(2.0);
        GradCheck.Report at = GradCheck.of(in -> doubled.apply(in[0]), Tensor.vector(0.2, 0.4)).tolerance(0.5)
                .checkVjpAgainstJvp();
        assertEquals(0.5, at.maxRelativeError());
        assertTrue(at.passed(), at.toString());
        assertFalse(GradCheck.of(in -> doubled.apply(in[0]), Tensor.vector(0.2, 0.4)).tolerance(0.4999)
                .checkVjpAgainstJvp().passed());
    }

    @Test
    void theSecondOrderCheckComparesEveryElementOfTheHessianVectorProduct() {
        Tensor a = Tensor.vector(0.5, -0.4);
        Tensor b = Tensor.vector(0.9, 1.1, -0.3);
        GradCheck.Report r = GradCheck.of(in -> add(TestOps.ADD.apply(mul(in[0], in[0]), in[0]),
                mul(Tensor.vector(2, 3), in[0])), a, b).checkSecondOrder();
        assertTrue(r.passed(), r.toString());
        assertEquals(5, r.checked(), "both inputs, every element, including the one the function ignores");
        assertEquals(0, r.skipped());
    }

    @Test
    void aVjpThatUsesRawDataFailsTheSecondOrderCheckOnly() {
        Tensor x = Tensor.vector(0.5, -1.5);
        GradCheck g = GradCheck.of(in -> CUBE_RAW_VJP.apply(in[0]), x);
        assertTrue(g.checkVjp().passed());
        assertTrue(g.checkJvp().passed());
        GradCheck.Report second = g.checkSecondOrder();
        assertFalse(second.passed(), second.toString());
        assertTrue(second.worst().startsWith("input 0 index ["), second.worst());
        GradCheck.Report all = g.checkAll();
        assertTrue(all.toString().startsWith("gradcheck second-order: FAILED"), all.toString());
    }

    @Test
    void functionsThatIgnoreTheirInputsOrAreLinearPass() {
        Tensor x = Tensor.vector(0.5, -1.5);
        assertTrue(GradCheck.of(in -> Tensor.vector(1, 2), x).checkAll().passed(), "a constant");
        GradCheck.Report identity = GradCheck.of(in -> in[0], x).checkAll();
        assertTrue(identity.passed(), identity.toString());
        assertEquals(2 + 6 + 1 + 2, identity.checked());
        GradCheck.Report linear = GradCheck.of(in -> mul(in[0], Tensor.vector(3, -4)), x).checkAll();
        assertTrue(linear.passed(), linear.toString());
        // Only the second input enters nonlinearly: the first one's gradient is a constant.
        GradCheck.Report mixed = GradCheck.of(in -> add(mul(in[0], Tensor.vector(3, -4)), mul(in[1], in[1])),
                x, Tensor.vector(0.7, 0.1)).checkSecondOrder();
        assertTrue(mixed.passed(), mixed.toString());
        assertEquals(4, mixed.checked());
    }

    @Test
    void aNanGradientFailsWithAnInfiniteRelativeError() {
        Primitive nan = cubeThirdWithSlopeError(a -> a > 0 ? Double.NaN : 0);
        GradCheck.Report r = GradCheck.of(in -> nan.apply(in[0]), Tensor.vector(0.5)).checkVjp();
        assertFalse(r.passed(), r.toString());
        assertEquals(Double.POSITIVE_INFINITY, r.maxRelativeError());
        assertTrue(r.worst().contains("analytic NaN"), r.worst());
    }

    @Test
    void aScalarInputIsIndexedAsEmpty() {
        Primitive off = cubeThirdWithSlopeError(a -> 0.01);
        GradCheck.Report r = GradCheck.of(in -> off.apply(in[0]), Tensor.scalar(0.5)).checkVjp();
        assertFalse(r.passed());
        assertTrue(r.worst().startsWith("input 0 index []: analytic "), r.worst());
        assertTrue(r.toString().startsWith("gradcheck vjp: FAILED, 1 compared, 0 skipped at kinks, max relative error "),
                r.toString());
        assertTrue(r.toString().contains("; worst at input 0 index []"), r.toString());
    }

    @Test
    void assertPassedReturnsThePassingReport() {
        GradCheck.Report r = GradCheck.of(in -> sin(in[0]), Tensor.vector(0.5)).checkVjp();
        assertSame(r, r.assertPassed());
    }

    @Test
    void aFunctionReturningNullIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.of(in -> null, Tensor.vector(1)).checkVjp());
        assertEquals("gradcheck: the function returned null", e.getMessage());
    }

    @Test
    void anOutputWhoseShapeChangesBetweenEvaluationsIsNamed() {
        ShapeException e = assertThrows(ShapeException.class, () -> GradCheck.of(
                in -> Tape.isRecording() ? Tensor.zeros(3) : sin(in[0]), Tensor.vector(1, 2)).checkVjp());
        assertEquals("gradcheck: output shape changed between evaluations", e.getMessage());
    }

    @Test
    void aCheckInsideAnOpenTapeLeavesItRecording() {
        Tensor w = Tensor.vector(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            GradCheck.of(in -> sin(in[0]), Tensor.vector(0.3)).checkAll().assertPassed();
            assertSame(tape, Tape.current());
            assertTrue(Tape.isRecording());
            assertEquals(0, tape.size(), "the check recorded nothing on it");
            sin(w);
            assertEquals(1, tape.size());
        }
    }

    @Test
    void relativeErrorOfEqualValuesIsZeroEvenForInfinities() {
        assertEquals(0.0, GradCheck.relativeError(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertEquals(2.0, GradCheck.relativeError(-2, 2));
        assertEquals(1.0, GradCheck.relativeError(0, -5));
    }

    @Test
    void aNanFiniteDifferenceFailsWithAnInfiniteRelativeError() {
        // x^3/3, undefined below 0: the stencil around 1e-5 reaches -2e-3, and the retry's -2.5e-4, so the
        // difference is NaN at both steps.
        Primitive halfCube = cubeThirdWithSlopeError(a -> a < 0 ? Double.NaN : 0);
        Primitive undefinedBelowZero = new TestOps.Unary() {
            public String name() {
                return "halfcube";
            }

            protected double f(double a) {
                return a < 0 ? Double.NaN : a * a * a / 3;
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return halfCube.vjp(g, n);
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return halfCube.jvp(t, x, y, s);
            }
        };
        GradCheck.Report r = GradCheck.of(in -> undefinedBelowZero.apply(in[0]), Tensor.vector(1e-5)).checkVjp();
        assertFalse(r.passed(), r.toString());
        assertEquals(Double.POSITIVE_INFINITY, r.maxRelativeError());
        assertTrue(r.worst().contains("numeric NaN"), r.worst());
    }

    @Test
    void amongEquallyBadElementsTheFirstIsReported() {
        // A constant, at inputs below 1 so that every element gets the same step: each element's finite
        // difference is computed from the same six values, so every element gets exactly the same score.
        GradCheck.Report r = GradCheck.of(in -> Tensor.vector(4, 5), Tensor.vector(0.1, 0.2, 0.3)).checkVjp();
        assertTrue(r.worst().startsWith("input 0 index [0]: "), r.worst());
    }
}
