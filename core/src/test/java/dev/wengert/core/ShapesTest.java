package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shape helpers: sizes and their limits, strides, NumPy broadcasting, axes. */
class ShapesTest {

    @Test
    void sizeIsTheProductOfTheSizesAndOneForAScalar() {
        assertEquals(1, Shapes.size(Shapes.SCALAR));
        assertEquals(24, Shapes.size(new int[] {2, 3, 4}));
        assertEquals(0, Shapes.size(new int[] {3, 0, 5}), "an empty axis is allowed");
        assertEquals(0, Shapes.size(new int[] {0}));
    }

    @Test
    void sizeAcceptsExactlyTheLargestArrayLength() {
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[] {Integer.MAX_VALUE}));
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[] {1, Integer.MAX_VALUE, 1}));
        // 2^31 = 65536 * 32768: one element too many.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.size(new int[] {65536, 32768}));
        assertTrue(e.getMessage().contains("[65536,32768]") && e.getMessage().contains("2147483648 elements"),
                e.getMessage());
        // The product is checked after every factor, so a later zero does not hide an overflow.
        assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {65536, 65536, 0}));
    }

    @Test
    void aNegativeSizeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {2, -1}));
        assertEquals("shape [2,-1] has a negative size -1 (axis 1)", e.getMessage());
    }

    @Test
    void stridesAreRowMajor() {
        assertArrayEquals(new int[] {12, 4, 1}, Shapes.strides(new int[] {2, 3, 4}));
        assertArrayEquals(new int[] {1}, Shapes.strides(new int[] {5}));
        assertArrayEquals(new int[0], Shapes.strides(Shapes.SCALAR));
        assertArrayEquals(new int[] {0, 3, 1}, Shapes.strides(new int[] {4, 0, 3}));
    }

    @Test
    void strAndSame() {
        assertEquals("[]", Shapes.str(Shapes.SCALAR));
        assertEquals("[2,3]", Shapes.str(new int[] {2, 3}));
        assertTrue(Shapes.same(new int[] {2, 3}, new int[] {2, 3}));
        assertTrue(Shapes.same(Shapes.SCALAR, new int[0]));
        assertFalse(Shapes.same(new int[] {2, 3}, new int[] {3, 2}));
        assertFalse(Shapes.same(new int[] {2}, new int[] {2, 1}));
    }

    @Test
    void broadcastAlignsTrailingAxesAndStretchesOnes() {
        assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcast("add", new int[] {2, 1, 4}, new int[] {3, 1}));
        assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcast("add", new int[] {3, 1}, new int[] {2, 1, 4}));
        assertArrayEquals(new int[] {5, 4}, Shapes.broadcast("add", Shapes.SCALAR, new int[] {5, 4}));
        assertArrayEquals(new int[] {5, 4}, Shapes.broadcast("add", new int[] {5, 4}, Shapes.SCALAR));
        assertArrayEquals(new int[] {3, 0}, Shapes.broadcast("add", new int[] {3, 1}, new int[] {0}));
        assertArrayEquals(new int[] {1, 1}, Shapes.broadcast("add", new int[] {1}, new int[] {1, 1}));
        assertArrayEquals(new int[] {2, 2}, Shapes.broadcast("add", new int[] {2, 2}, new int[] {2, 2}));
    }

    @Test
    void incompatibleShapesNameTheOpAndTheAxis() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shapes.broadcast("mul", new int[] {2, 3}, new int[] {4, 3}));
        assertEquals("mul: shapes [2,3] and [4,3] do not broadcast (axis -2: 2 vs 4)", e.getMessage());
        ShapeException last = assertThrows(ShapeException.class,
                () -> Shapes.broadcast("sub", new int[] {5, 2}, new int[] {3}));
        assertEquals("sub: shapes [5,2] and [3] do not broadcast (axis -1: 2 vs 3)", last.getMessage());
        ShapeException lead = assertThrows(ShapeException.class,
                () -> Shapes.broadcast("sub", new int[] {3}, new int[] {5, 2}));
        assertEquals("sub: shapes [3] and [5,2] do not broadcast (axis -1: 3 vs 2)", lead.getMessage());
    }

    @Test
    void broadcastsToIsOneWay() {
        assertTrue(Shapes.broadcastsTo(new int[] {3, 1}, new int[] {2, 3, 4}));
        assertTrue(Shapes.broadcastsTo(Shapes.SCALAR, new int[] {2}));
        assertTrue(Shapes.broadcastsTo(new int[] {2, 3}, new int[] {2, 3}));
        assertTrue(Shapes.broadcastsTo(new int[] {1, 3}, new int[] {4, 3}));
        assertFalse(Shapes.broadcastsTo(new int[] {2, 3, 4}, new int[] {3, 4}), "more axes than the target");
        assertFalse(Shapes.broadcastsTo(new int[] {2, 4}, new int[] {2, 3, 4}), "2 does not stretch to 3");
        assertFalse(Shapes.broadcastsTo(new int[] {4, 3}, new int[] {1, 3}), "4 does not shrink to 1");
        assertFalse(Shapes.broadcastsTo(new int[] {3}, new int[] {3, 4}), "trailing axes align");
        assertFalse(Shapes.broadcastsTo(new int[] {2}, new int[] {2, 3}));
    }

    @Test
    void axesMayCountFromTheEnd() {
        assertEquals(0, Shapes.axis("sum", 0, 3));
        assertEquals(2, Shapes.axis("sum", 2, 3));
        assertEquals(2, Shapes.axis("sum", -1, 3));
        assertEquals(0, Shapes.axis("sum", -3, 3));
        ShapeException high = assertThrows(ShapeException.class, () -> Shapes.axis("sum", 3, 3));
        assertEquals("sum: axis 3 is out of range for rank 3", high.getMessage());
        ShapeException low = assertThrows(ShapeException.class, () -> Shapes.axis("max", -4, 3));
        assertEquals("max: axis -4 is out of range for rank 3", low.getMessage());
        assertThrows(ShapeException.class, () -> Shapes.axis("sum", 0, 0));
    }

    @Test
    void prependAndDropFirst() {
        assertArrayEquals(new int[] {4, 2, 3}, Shapes.prepend(4, new int[] {2, 3}));
        assertArrayEquals(new int[] {4}, Shapes.prepend(4, Shapes.SCALAR));
        assertArrayEquals(new int[] {2, 3}, Shapes.dropFirst(new int[] {4, 2, 3}));
        assertArrayEquals(new int[0], Shapes.dropFirst(new int[] {4}));
    }
}
