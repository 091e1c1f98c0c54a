package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code clamp(x, lo, hi) = min(max(x, lo), hi)} taken literally, as torch.clamp does: with lo &gt; hi,
 * {@code max(x, lo) ≥ lo > hi}, so every element is hi and the gradient is 0 everywhere (the output is
 * constant). With lo = hi every element is that bound, and the gradient is 1 only at x = lo = hi (the
 * closed interval [lo, hi] of the subgradient convention).
 */
class ClampBoundsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void lowerBoundAboveUpperGivesTheUpperBoundWithGradientZero() {
        double[] x = {-INF, -5, 1, 1.5, 2, 7, INF, Double.NaN};
        double[] y = {1, 1, 1, 1, 1, 1, 1, Double.NaN};
        Tensor xv = Tensor.vector(x).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor out = Ops.clamp(xv, 2, 1);
            assertArrayEquals(y, out.data(), 0.0);
            assertArrayEquals(new double[x.length], tape.recordedGradient(Ops.sum(out), xv)[0].data(), 0.0);
        }
        double[] t = ForwardMode.jvp(v -> Ops.clamp(v, 2, 1), Tensor.vector(x), Tensor.ones(x.length)).tangent().data();
        assertArrayEquals(new double[x.length], t, 0.0);
    }

    @Test
    void equalBoundsPassTheGradientOnlyAtTheBound() {
        Tensor xv = Tensor.vector(0, 1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor out = Ops.clamp(xv, 1, 1);
            assertArrayEquals(new double[] {1, 1, 1}, out.data(), 0.0);
            assertArrayEquals(new double[] {0, 1, 0}, tape.gradient(Ops.sum(out), xv)[0].data(), 0.0);
        }
    }

    @Test
    void infiniteBoundsAreAllowedAndNaNBoundsAreNot() {
        Tensor x = Tensor.vector(-1e308, 3, 1e308);
        assertArrayEquals(x.data(), Ops.clamp(x, -INF, INF).data(), 0.0);
        assertArrayEquals(new double[] {3, 3, 1e308}, Ops.clamp(x, 3, INF).data(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.clamp(x, Double.NaN, 1));
        assertEquals("clamp: the lower bound is NaN (upper bound 1.0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.clamp(x, 0, Double.NaN));
        assertTrue(e.getMessage().startsWith("clamp: the upper bound is NaN"), e.getMessage());
    }

    @Test
    void kinksAreAtBothBoundsAndNowhereWhenTheOutputIsConstant() {
        Clamp c = new Clamp(-1, 2);
        assertTrue(c.hasKinks());
        assertTrue(new Clamp(1, 1).hasKinks(), "lo = hi: one kink");
        Clamp point = new Clamp(1, 1);
        assertTrue(point.branch(new Tensor[] {Tensor.vector(0.5)}, null, null)
                != point.branch(new Tensor[] {Tensor.vector(1.5)}, null, null), "lo = hi: crossing it is seen");
        Tensor[] inside = {Tensor.vector(0.5, -0.5, 1.5)};
        long base = c.branch(inside, null, null);
        // Moving without crossing a bound keeps the fingerprint; crossing lo or hi, or landing on one, changes it.
        assertEquals(base, c.branch(new Tensor[] {Tensor.vector(0.6, -0.4, 1.9)}, null, null));
        for (double[] v : new double[][] {{-1.5, -0.5, 1.5}, {0.5, -0.5, 2.5}, {-1, -0.5, 1.5}, {0.5, -0.5, 2}}) {
            assertTrue(base != c.branch(new Tensor[] {Tensor.vector(v)}, null, null), java.util.Arrays.toString(v));
        }
        // Crossing lo and crossing hi are told apart.
        assertTrue(c.branch(new Tensor[] {Tensor.vector(-1.5, -0.5, 1.5)}, null, null)
                != c.branch(new Tensor[] {Tensor.vector(0.5, -0.5, 2.5)}, null, null));
        Clamp constant = new Clamp(3, 1);
        assertEquals(false, constant.hasKinks(), "lo > hi: the output is hi everywhere");
        assertEquals(0L, constant.branch(inside, null, null));
        assertEquals(0L, constant.branch(new Tensor[] {Tensor.vector(5, 0, 2)}, null, null));
    }

    @Test
    void opsApplyNamesANullOpOrInputsArray() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Ops.apply(null, Tensor.scalar(1)));
        assertEquals("apply: the op is null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Ops.apply(new Clamp(0, 1), (Tensor[]) null));
        assertEquals("clamp: the inputs array is null", e.getMessage());
        assertArrayEquals(new double[] {0, 0.5, 1}, Ops.apply(new Clamp(0, 1), Tensor.vector(-3, 0.5, 7)).data(), 0.0);
    }
}
