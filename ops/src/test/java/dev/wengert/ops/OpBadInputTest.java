package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.AllocationException;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The fuzzing report's cases, by example: slice counts that overflowed, outputs past 2^31 elements or
 * past the heap, negative and overflowing target shapes, and null arguments of the facade. Each gives the
 * right result or a named exception (the op and the argument or value at fault in its message).
 */
class OpBadInputTest {
    private static final Tensor X = Tensor.vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    static <T extends Throwable> T named(Class<T> type, Executable call, String... fragments) {
        Throwable e = assertThrows(Throwable.class, call);
        assertEquals(type, e.getClass(), () -> "expected " + type.getSimpleName() + ", got " + e);
        String m = e.getMessage();
        for (String f : fragments) {
            assertTrue(m != null && m.contains(f), () -> "message '" + m + "' lacks '" + f + "'");
        }
        return type.cast(e);
    }

    private static void assumeHeapBelow16GiB() {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 16L << 30, "needs a heap below 16 GiB");
    }

    @Test
    void sliceWithHugeStepsSelectsTheFirstElement() {
        // The count (end - start + step - 1) / step overflowed: an empty result, or "shape [-1]".
        for (int step : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, 6}) {
            Tensor y = Ops.slice(X, 0, 0, 5, step);
            assertArrayEquals(new double[] {0}, y.data(), "step " + step);
            Tensor z = Ops.slice(X, 0, 4, 10, step);
            assertArrayEquals(new double[] {4}, z.data(), "step " + step);
        }
        assertArrayEquals(new double[] {0, 5}, Ops.slice(X, 0, 0, 10, 5).data());
        assertArrayEquals(new double[] {9}, Ops.slice(X, 0, -1, 10, Integer.MAX_VALUE).data());
    }

    @Test
    void sliceBoundsAtTheIntLimitsAreNamed() {
        named(ShapeException.class, () -> Ops.slice(X, 0, 0, Integer.MAX_VALUE), "slice", "2147483647", "size 10");
        named(ShapeException.class, () -> Ops.slice(X, 0, Integer.MIN_VALUE, 5), "slice", "-2147483648", "size 10");
        named(IllegalArgumentException.class, () -> Ops.slice(X, 0, 0, 5, Integer.MIN_VALUE), "slice", "step",
                "-2147483648");
        named(ShapeException.class, () -> Ops.slice(X, Integer.MIN_VALUE, 0, 1), "slice", "axis -2147483648");
    }

    @Test
    void outputsPastTheLargestArrayNameTheOpAndTheShape() {
        Tensor col = Tensor.zeros(65536, 1);
        Tensor row = Tensor.zeros(1, 65536);
        named(ShapeException.class, () -> Ops.matmul(col, row), "matmul", "[65536,65536]");
        named(ShapeException.class, () -> Ops.add(col, row), "add", "[65536,65536]");
        named(ShapeException.class, () -> Ops.mul(col, row), "mul", "[65536,65536]");
        named(ShapeException.class, () -> Ops.where(Tensor.scalar(1), col, row), "where", "[65536,65536]");
        named(ShapeException.class, () -> Ops.broadcastTo(Tensor.scalar(1), 65536, 65536), "broadcastTo",
                "[65536,65536]");
        named(ShapeException.class, () -> Ops.gather(col, 1, new int[65536], new int[] {65536}), "gather",
                "[65536,65536]");
        named(ShapeException.class, () -> new Unslice(1, 0, 1, Integer.MAX_VALUE).apply(col), "unslice",
                "[65536,2147483647]");
        named(ShapeException.class, () -> new ScatterAdd(1, new int[] {0}, new int[] {1}, Integer.MAX_VALUE).apply(col),
                "scatterAdd", "[65536,2147483647]");
    }

    @Test
    void outputsPastTheHeapAreRefusedUpFront() {
        assumeHeapBelow16GiB();
        // 46,340² elements fit an int; their 16 GiB do not fit the heap.
        Tensor col = Tensor.zeros(46340, 1);
        Tensor row = Tensor.zeros(1, 46340);
        named(AllocationException.class, () -> Ops.matmul(col, row), "matmul", "[46340,46340]", "16.00 GiB");
        named(AllocationException.class, () -> Ops.add(col, row), "add", "[46340,46340]");
        named(AllocationException.class, () -> Ops.where(Tensor.scalar(1), col, row), "where", "[46340,46340]");
        named(AllocationException.class, () -> Ops.broadcastTo(col, 46340, 46340), "broadcastTo", "[46340,46340]");
        named(AllocationException.class, () -> Ops.gather(col, 1, new int[46340], new int[] {46340}), "gather",
                "[46340,46340]");
        named(AllocationException.class, () -> new Unslice(1, 0, 1, 46340).apply(col), "unslice", "[46340,46340]");
    }

    @Test
    void targetShapesWithNegativeOrOverflowingSizesAreNamed() {
        named(ShapeException.class, () -> Ops.broadcastTo(Tensor.scalar(1), -1), "broadcastTo", "[-1]");
        named(ShapeException.class, () -> Ops.broadcastTo(Tensor.scalar(1), 3, -2), "broadcastTo", "[3,-2]");
        // 65536⁴ = 2^64 wrapped to 0 = the size of an empty input, and the reshape was accepted.
        named(ShapeException.class, () -> Ops.reshape(Tensor.zeros(0), 65536, 65536, 65536, 65536), "reshape",
                "[65536,65536,65536,65536]");
        named(ShapeException.class, () -> Ops.reshape(Tensor.zeros(0), 0, 65536, 65536), "reshape", "[0,65536,65536]");
        // Concatenated sizes past 2^31 (empty tensors, so nothing is allocated on the way).
        Tensor big = Tensor.zeros(1 << 30, 0);
        named(ShapeException.class, () -> Ops.concat(0, big, big, big), "concat", "3221225472");
    }

    @Test
    void nullArgumentsOfTheFacadeAreNamed() {
        Tensor m = Tensor.zeros(2, 2);
        named(NullPointerException.class, () -> Ops.matmul(null, m), "matmul", "input 0");
        named(NullPointerException.class, () -> Ops.matmul(m, null, true, false), "matmul", "input 1");
        named(NullPointerException.class, () -> Ops.reshape(null, 4), "reshape", "input 0");
        named(NullPointerException.class, () -> Ops.reshape(m, (int[]) null), "reshape", "shape");
        named(NullPointerException.class, () -> Ops.transpose(null), "transpose", "input 0");
        named(NullPointerException.class, () -> Ops.permute(m, (int[]) null), "transpose", "permutation");
        named(NullPointerException.class, () -> Ops.broadcastTo(null, 2), "broadcastTo", "input 0");
        named(NullPointerException.class, () -> Ops.broadcastTo(m, (int[]) null), "broadcastTo", "shape");
        named(NullPointerException.class, () -> Ops.sumTo(null, 2), "sumTo", "input 0");
        named(NullPointerException.class, () -> Ops.sumTo(m, (int[]) null), "sumTo", "shape");
        named(NullPointerException.class, () -> Ops.expandDims(null, 0), "expandDims", "input 0");
        named(NullPointerException.class, () -> Ops.squeeze(null, 0), "squeeze", "input 0");
        named(NullPointerException.class, () -> Ops.concat(0, (Tensor[]) null), "concat", "tensors");
        named(NullPointerException.class, () -> Ops.stack(0, (Tensor[]) null), "stack", "tensors");
        named(NullPointerException.class, () -> Ops.stack(0, m, null), "stack", "input 1");
        named(NullPointerException.class, () -> Ops.gather(m, 0, (int[]) null), "gather", "indices");
        named(NullPointerException.class, () -> Ops.gather(m, 0, new int[] {0}, null), "gather", "index shape");
        named(NullPointerException.class, () -> Ops.where(null, m, m), "where", "condition");
        named(NullPointerException.class, () -> Ops.mask(null, v -> v > 0), "mask", "input 0");
        named(NullPointerException.class, () -> Ops.mask(m, null), "mask", "test");
        named(NullPointerException.class, () -> Ops.apply(null, m), "apply", "op");
        named(NullPointerException.class, () -> Ops.sum(null), "sum", "input 0");
        named(NullPointerException.class, () -> Ops.min(null), "min", "input 0");
    }
}
