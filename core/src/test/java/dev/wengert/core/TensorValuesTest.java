package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tensor factories, accessors, comparison and printing: exact values and the edges of each. */
class TensorValuesTest {

    @Test
    void randnDrawsStandardNormalsInRowMajorOrder() {
        Tensor t = Tensor.randn(new Random(7), 2, 3);
        Random ref = new Random(7);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = ref.nextGaussian();
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(expected, t.data(), 0.0);
    }

    @Test
    void uniformMapsEachDrawOntoTheInterval() {
        Tensor t = Tensor.uniform(new Random(11), -2.0, 3.0, 4);
        Random ref = new Random(11);
        for (int i = 0; i < 4; i++) {
            double expected = -2.0 + 5.0 * ref.nextDouble();
            assertEquals(expected, t.data()[i], 0.0);
            assertTrue(t.data()[i] >= -2.0 && t.data()[i] < 3.0);
        }
    }

    @Test
    void eyeHasOnesOnTheDiagonalOnly() {
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).data(), 0.0);
        assertArrayEquals(new int[] {3, 3}, Tensor.eye(3).shape());
        assertArrayEquals(new double[] {1}, Tensor.eye(1).data(), 0.0);
    }

    @Test
    void anEmptyMatrixHasShapeZeroByZero() {
        Tensor m = Tensor.matrix(new double[0][]);
        assertArrayEquals(new int[] {0, 0}, m.shape());
        assertEquals(0, m.size());
    }

    @Test
    void toArrayIsACopyAndShapeIsACopy() {
        Tensor t = Tensor.vector(1, 2, 3);
        double[] copy = t.toArray();
        assertArrayEquals(new double[] {1, 2, 3}, copy, 0.0);
        copy[0] = 99;
        assertEquals(1.0, t.get(0));
        int[] shape = t.shape();
        shape[0] = 7;
        assertArrayEquals(new int[] {3}, t.shape());
        assertArrayEquals(new int[0], Tensor.scalar(2).shape());
    }

    @Test
    void hasShapeComparesExactly() {
        Tensor t = Tensor.zeros(2, 3);
        assertTrue(t.hasShape(2, 3));
        assertFalse(t.hasShape(3, 2));
        assertFalse(t.hasShape(6));
        assertTrue(Tensor.scalar(1).hasShape());
    }

    @Test
    void dimCountsNegativeAxesFromTheEnd() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertEquals(2, t.dim(0));
        assertEquals(4, t.dim(-1));
        assertEquals(3, t.dim(-2));
        assertThrows(ShapeException.class, () -> t.dim(3));
    }

    @Test
    void indexingNamesAWrongNumberOfIndices() {
        Tensor t = Tensor.zeros(2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> t.get(1));
        assertEquals("get: 1 indices for a tensor of rank 2 (shape [2,3])", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 3));
        assertEquals(5, t.flatIndex(1, 2));
        assertArrayEquals(new int[] {1, 2}, t.unflatIndex(5));
        assertEquals(0, Tensor.scalar(3).flatIndex());
    }

    @Test
    void isFiniteFindsAnyNanOrInfinity() {
        assertTrue(Tensor.vector(1, -2, 0).isFinite());
        assertTrue(Tensor.zeros(0).isFinite());
        assertFalse(Tensor.vector(1, Double.NaN, 0).isFinite());
        assertFalse(Tensor.vector(1, 2, Double.NEGATIVE_INFINITY).isFinite());
        assertFalse(Tensor.scalar(Double.POSITIVE_INFINITY).isFinite());
    }

    @Test
    void assignReturnsTheTargetWithTheNewValues() {
        Tensor w = Tensor.zeros(2);
        assertSame(w, w.assign(Tensor.vector(3, 4)));
        assertArrayEquals(new double[] {3, 4}, w.data(), 0.0);
    }

    @Test
    void copyIsAnUntrackedLeafWithItsOwnData() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            Tensor c = y.copy();
            assertTrue(c.isLeaf());
            assertFalse(c.isVariable());
            assertNotSame(y.data(), c.data());
            assertArrayEquals(y.data(), c.data(), 0.0);
        }
    }

    @Test
    void recordedTensorsAreNotLeavesAndCannotBeMarked() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        assertTrue(x.isLeaf());
        assertNull(x.node());
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, x).named("square");
            assertFalse(y.isLeaf());
            assertFalse(y.isVariable());
            assertEquals("mul", y.node().op().name());
            IllegalStateException e = assertThrows(IllegalStateException.class, y::requiresGrad);
            assertEquals("requiresGrad: tensor 'square' of shape [] was produced by the recorded op 'mul' and is "
                    + "tracked already; only leaves can be marked", e.getMessage());
            Tensor d = y.detach();
            assertTrue(d.isLeaf());
            assertEquals("square", d.name());
        }
    }

    @Test
    void namesAppearInDescriptions() {
        Tensor t = Tensor.zeros(2, 1).named("bias");
        assertEquals("bias", t.name());
        assertEquals("tensor 'bias' of shape [2,1]", t.describe());
        assertNull(Tensor.zeros(1).name());
        assertEquals("tensor of shape [1]", Tensor.zeros(1).describe());
    }

    @Test
    void tangentIsVisibleOnlyInsideItsForwardModeRun() {
        Tensor x = Tensor.vector(1, 2);
        Tensor[] seen = new Tensor[2];
        ForwardMode.jvp(in -> {
            seen[0] = in.tangent();
            Tensor y = sin(in);
            seen[1] = y.tangent();
            return y;
        }, x, Tensor.vector(1, 0));
        assertArrayEquals(new int[] {1, 2}, seen[0].shape());
        assertArrayEquals(new double[] {1, 0}, seen[0].data(), 0.0);
        assertArrayEquals(new double[] {Math.cos(1), 0}, seen[1].data(), 1e-15);
        assertNull(x.tangent(), "the primal passed in carries no tangent");
        Tensor[] outside = new Tensor[1];
        ForwardMode.jvp(in -> {
            outside[0] = in;
            return sin(in);
        }, x, Tensor.vector(1, 1));
        assertNull(outside[0].tangent(), "outside its run a tensor has no tangent");
    }

    @Test
    void allCloseUsesAbsoluteAndRelativeTolerance() {
        Tensor a = Tensor.vector(1.0, 100.0);
        assertTrue(a.allClose(Tensor.vector(1.0, 100.0), 0, 0));
        assertTrue(a.allClose(Tensor.vector(1.25, 100.0), 0, 0.25));
        assertFalse(a.allClose(Tensor.vector(1.5, 100.0), 0, 0.25));
        // |a - b| <= atol + rtol * |b|: the relative part scales with the second tensor.
        assertTrue(a.allClose(Tensor.vector(1.0, 101.0), 0.01, 0));
        assertFalse(a.allClose(Tensor.vector(1.0, 102.0), 0.01, 0));
        assertTrue(a.allClose(Tensor.vector(1.0, 100.5), 0.0, 0.5), "the bound is inclusive");
        assertTrue(Tensor.vector(-1.0).allClose(Tensor.vector(-1.5), 0.0, 0.5));
        assertFalse(Tensor.vector(-1.0).allClose(Tensor.vector(1.0), 0.0, 1.0));
        assertTrue(Tensor.vector(1.0).allClose(Tensor.vector(-1.0), 1.0, 1.0));
        assertFalse(a.allClose(Tensor.vector(1.0, 100.0, 3.0), 1, 1), "shapes differ");
        assertFalse(Tensor.vector(Double.NaN).allClose(Tensor.vector(Double.NaN), 1, 1), "NaN is close to nothing");
        assertFalse(Tensor.vector(0).allClose(Tensor.vector(Double.NaN), 1, 1));
        assertTrue(Tensor.vector(Double.POSITIVE_INFINITY).allClose(Tensor.vector(Double.POSITIVE_INFINITY), 0, 0));
    }

    @Test
    void printingShowsTheShapeOnlyWhenItIsNotObvious() {
        assertEquals("[1., 2.]", Tensor.vector(1, 2).toString());
        assertEquals("[0., 1., 2., 3., 4., 5.]", Tensor.vector(0, 1, 2, 3, 4, 5).toString());
        assertEquals("[0., 1., 2., ..., 4., 5., 6.] shape=[7]", Tensor.vector(0, 1, 2, 3, 4, 5, 6).toString());
        assertEquals("[[1., 2.]] shape=[1,2]", Tensor.matrix(new double[][] {{1, 2}}).toString());
        assertEquals("2.50000", Tensor.scalar(2.5).toString());
        assertEquals("-3.", Tensor.scalar(-3).toString());
        assertEquals("1.00000e+15", Tensor.scalar(1e15).toString());
        assertEquals("999999999999999.", Tensor.scalar(999999999999999.0).toString());
        assertEquals("[[[0., 1.],\n  [2., 3.]],\n [[4., 5.],\n  [6., 7.]]] shape=[2,2,2]",
                Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2).toString());
    }
}
