package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input to the elementwise, shape and linear-algebra ops: each message names op, argument and shapes. */
class OpErrorsTest {

    private static void fails(Class<? extends Throwable> type, String message, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(message, t.getMessage());
    }

    @Test
    void broadcastingMismatch() {
        fails(ShapeException.class, "add: shapes [2,3] and [4] do not broadcast (axis -1: 3 vs 4)",
                () -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(4)));
        fails(ShapeException.class,
                "where: condition of shape [3] does not broadcast with the values' shape [2] (a [2], b [2])",
                () -> Ops.where(Tensor.ones(3), Tensor.zeros(2), Tensor.zeros(2)));
    }

    @Test
    void matmulShapes() {
        fails(ShapeException.class, "matmul: inner dimensions differ: [5,4] x [3,6]",
                () -> Ops.matmul(Tensor.zeros(5, 4), Tensor.zeros(3, 6)));
        fails(ShapeException.class, "matmul: inner dimensions differ: [5,4]ᵀ x [3,6]",
                () -> Ops.matmul(Tensor.zeros(5, 4), Tensor.zeros(3, 6), true, false));
        fails(ShapeException.class, "matmul: scalar operand ([] x [3]); use mul",
                () -> Ops.matmul(Tensor.scalar(1), Tensor.zeros(3)));
        fails(ShapeException.class,
                "matmul: batch shapes [2] and [3] do not broadcast (axis -1: 2 vs 3) in [2,4,4] x [3,4,4]",
                () -> Ops.matmul(Tensor.zeros(2, 4, 4), Tensor.zeros(3, 4, 4)));
    }

    @Test
    void reshapeTransposeBroadcast() {
        fails(ShapeException.class, "reshape: cannot reshape [2,3] (6 elements) to [4,2] (8 elements)",
                () -> Ops.reshape(Tensor.zeros(2, 3), 4, 2));
        fails(ShapeException.class, "reshape: cannot reshape [2,3] (6 elements) to [4,-1]",
                () -> Ops.reshape(Tensor.zeros(2, 3), 4, -1));
        fails(ShapeException.class, "reshape: more than one -1 in [-1,-1]",
                () -> Ops.reshape(Tensor.zeros(2, 3), -1, -1));
        fails(ShapeException.class, "transpose: [0,0] is not a permutation of the axes 0..1",
                () -> Ops.permute(Tensor.zeros(2, 3), 0, 0));
        fails(ShapeException.class, "transpose: permutation [1,0] has 2 axes, the input [2,3,4] has 3",
                () -> Ops.permute(Tensor.zeros(2, 3, 4), 1, 0));
        fails(ShapeException.class, "transpose: needs rank >= 2, got [3]", () -> Ops.transpose(Tensor.zeros(3)));
        fails(ShapeException.class, "broadcastTo: shape [2,3] cannot be broadcast to [3,3]",
                () -> Ops.broadcastTo(Tensor.zeros(2, 3), 3, 3));
        fails(ShapeException.class, "sumTo: shape [2,3] cannot be summed to [2] (the target must broadcast to the input)",
                () -> Ops.sumTo(Tensor.zeros(2, 3), 2));
        fails(ShapeException.class, "squeeze: axis 0 of [2,1] has size 2", () -> Ops.squeeze(Tensor.zeros(2, 1), 0));
        fails(ShapeException.class, "stack: tensor 1 has shape [3], tensor 0 has [2]",
                () -> Ops.stack(0, Tensor.zeros(2), Tensor.zeros(3)));
    }

    @Test
    void reductionAxes() {
        fails(ShapeException.class, "sum: axis 2 is out of range for rank 2", () -> Ops.sum(Tensor.zeros(2, 3), 2));
        fails(ShapeException.class, "mean: axis -3 is out of range for rank 2", () -> Ops.mean(Tensor.zeros(2, 3), -3));
        fails(ShapeException.class, "sum: axis -2 is repeated in [0,-2] for rank 2", () -> Ops.sum(Tensor.zeros(2, 3), 0, -2));
    }

    @Test
    void clampBounds() {
        fails(IllegalArgumentException.class, "clamp: the lower bound is NaN (upper bound 1.0)",
                () -> Ops.clamp(Tensor.zeros(2), Double.NaN, 1));
        fails(IllegalArgumentException.class, "clamp: the upper bound is NaN (lower bound 2.0)",
                () -> Ops.clamp(Tensor.zeros(2), 2, Double.NaN));
    }
}
