package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tensor construction, access, printing and the errors of bad input. */
class TensorTest {
    @Test
    void scalarsAreZeroDimensional() {
        Tensor s = Tensor.scalar(2.5);
        assertEquals(0, s.rank());
        assertArrayEquals(new int[0], s.shape());
        assertEquals(2.5, s.item());
        assertEquals("2.50000", s.toString());
    }

    @Test
    void rowMajorIndexing() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6.0, t.get(1, 2));
        assertEquals(4.0, t.get(1, 0));
        assertArrayEquals(new int[] {1, 1}, t.unflatIndex(4));
        assertEquals(3, t.dim(-1));
    }

    @Test
    void badInputNamesTheProblem() {
        ShapeException size = assertThrows(ShapeException.class, () -> Tensor.wrap(new double[5], 2, 3));
        assertEquals("tensor: 5 values do not fill shape [2,3] (6 elements)", size.getMessage());
        ShapeException item = assertThrows(ShapeException.class, () -> Tensor.zeros(2).item());
        assertTrue(item.getMessage().contains("shape [2] has 2 elements, not 1"), item.getMessage());
        IndexOutOfBoundsException idx = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 2).get(2, 0));
        assertTrue(idx.getMessage().contains("[2, 0] is out of bounds for shape [2,2]"), idx.getMessage());
        ShapeException ragged = assertThrows(ShapeException.class,
                () -> Tensor.matrix(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("row 1 has 1 values, row 0 has 2"), ragged.getMessage());
        ShapeException assign = assertThrows(ShapeException.class, () -> Tensor.zeros(2).assign(Tensor.zeros(3)));
        assertTrue(assign.getMessage().contains("source shape [3] differs from target shape [2]"), assign.getMessage());
    }

    @Test
    void printingElidesLongAxes() {
        String s = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}).toString();
        assertEquals("[0., 1., 2., ..., 7., 8., 9.] shape=[10]", s);
        assertEquals("[[1., 2.],\n [3., 4.]] shape=[2,2]", Tensor.matrix(new double[][] {{1, 2}, {3, 4}}).toString());
    }

    @Test
    void inPlaceUpdatesBumpTheVersion() {
        Tensor w = Tensor.zeros(3);
        assertEquals(0, w.version());
        w.mutableData()[1] = 4;
        w.assign(Tensor.ones(3));
        assertEquals(2, w.version());
        assertArrayEquals(new double[] {1, 1, 1}, w.data());
    }
}
