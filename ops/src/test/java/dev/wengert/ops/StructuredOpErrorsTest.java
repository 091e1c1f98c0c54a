package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad inputs to max, logsumexp, softmax, log-softmax, softmax-cross-entropy, slice, unslice, concat,
 * gather and scatter-add: each throws the documented exception, and its message names the op, the
 * argument and the shapes or values at fault.
 */
class StructuredOpErrorsTest {
    private static final Tensor MATRIX = Tensor.zeros(2, 3);
    private static final Tensor SCALAR = Tensor.scalar(1);

    /** Asserts that {@code call} throws {@code type} with a message containing every fragment. */
    private static <T extends Throwable> void fails(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        String m = e.getMessage();
        for (String f : fragments) {
            assertTrue(m != null && m.contains(f), () -> "message '" + m + "' lacks '" + f + "'");
        }
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void maxAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.max(MATRIX, 2), "max", "axis 2", "rank 2");
        fails(ShapeException.class, () -> Ops.max(MATRIX, -3), "max", "axis -3", "rank 2");
    }

    @Test
    void maxRepeatedAxis() {
        fails(ShapeException.class, () -> Ops.max(MATRIX, 1, -1), "max", "repeated", "[1,-1]");
    }

    @Test
    void maxOverZeroElements() {
        fails(ShapeException.class, () -> Ops.max(Tensor.zeros(2, 0), 1), "max", "zero elements", "[1]", "[2,0]");
    }

    @Test
    void logSumExpAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.logSumExp(MATRIX, 5), "logSumExp", "axis 5", "rank 2");
        fails(ShapeException.class, () -> Ops.logSumExpKeepDims(MATRIX, 0, 0), "logSumExp", "repeated");
    }

    // ---------------------------------------------------------------- softmax family

    @Test
    void softmaxAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.softmax(MATRIX, 2), "softmax", "axis 2", "rank 2");
        fails(ShapeException.class, () -> Ops.softmax(SCALAR), "softmax", "axis -1", "rank 0");
    }

    @Test
    void logSoftmaxAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.logSoftmax(MATRIX, -3), "logSoftmax", "axis -3", "rank 2");
        fails(ShapeException.class, () -> Ops.logSoftmax(SCALAR), "logSoftmax", "rank 0");
    }

    // ---------------------------------------------------------------- cross-entropy

    @Test
    void crossEntropyWrongNumberOfLabels() {
        fails(ShapeException.class, () -> Ops.softmaxCrossEntropy(MATRIX, 0, 1, 2), "softmaxCrossEntropy",
                "3 labels", "[2,3]", "2 rows");
    }

    @Test
    void crossEntropyLabelOutOfRange() {
        fails(IndexOutOfBoundsException.class, () -> Ops.softmaxCrossEntropy(MATRIX, 0, 3), "softmaxCrossEntropy",
                "label 3", "row 1", "3 classes");
        fails(IndexOutOfBoundsException.class, () -> Ops.softmaxCrossEntropy(MATRIX, -1, 0), "softmaxCrossEntropy",
                "label -1", "row 0", "3 classes");
    }

    @Test
    void crossEntropyTargetsShapeMismatch() {
        fails(ShapeException.class, () -> Ops.softmaxCrossEntropy(MATRIX, Tensor.zeros(3, 2)), "softmaxCrossEntropy",
                "targets", "[3,2]", "[2,3]");
    }

    @Test
    void crossEntropyRankZeroLogits() {
        fails(ShapeException.class, () -> Ops.softmaxCrossEntropy(SCALAR), "softmaxCrossEntropy", "[]", "rank >= 1");
        fails(ShapeException.class, () -> Ops.softmaxCrossEntropy(SCALAR, SCALAR), "softmaxCrossEntropy", "[]");
    }

    // ---------------------------------------------------------------- slice and unslice

    @Test
    void sliceStepBelowOne() {
        fails(IllegalArgumentException.class, () -> Ops.slice(MATRIX, 1, 0, 2, 0), "slice", "step", "0");
        fails(IllegalArgumentException.class, () -> Ops.slice(MATRIX, 1, 0, 2, -1), "slice", "step", "-1");
    }

    @Test
    void sliceBoundsOutOfRange() {
        fails(ShapeException.class, () -> Ops.slice(MATRIX, 1, 0, 4), "slice", "[0, 4)", "axis 1", "size 3", "[2,3]");
        fails(ShapeException.class, () -> Ops.slice(MATRIX, -1, -4, 2), "slice", "[-4, 2)", "axis -1", "size 3");
        fails(ShapeException.class, () -> Ops.slice(MATRIX, 0, 2, 1), "slice", "[2, 1)", "axis 0", "size 2");
    }

    @Test
    void sliceAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.slice(MATRIX, 2, 0, 1), "slice", "axis 2", "rank 2");
        fails(ShapeException.class, () -> Ops.slice(SCALAR, 0, 0, 1), "slice", "rank 0");
    }

    @Test
    void unsliceDoesNotFit() {
        fails(ShapeException.class, () -> new Unslice(0, 1, 2, 4).apply(Tensor.zeros(3)), "unslice", "3 elements",
                "start 1", "step 2", "size 4");
        fails(IllegalArgumentException.class, () -> new Unslice(0, 0, 0, 4), "unslice", "step");
    }

    // ---------------------------------------------------------------- concat

    @Test
    void concatNoInputs() {
        fails(IllegalArgumentException.class, () -> Ops.concat(0), "concat", "at least one");
    }

    @Test
    void concatRankZeroInput() {
        fails(ShapeException.class, () -> Ops.concat(0, Tensor.zeros(2), SCALAR), "concat", "input 1", "0-d");
    }

    @Test
    void concatOtherAxesDisagree() {
        fails(ShapeException.class, () -> Ops.concat(0, MATRIX, Tensor.zeros(1, 3), Tensor.zeros(2, 4)), "concat",
                "input 2", "[2,4]", "input 0", "[2,3]", "axis 0");
        fails(ShapeException.class, () -> Ops.concat(1, MATRIX, Tensor.zeros(2, 3, 1)), "concat", "input 1",
                "[2,3,1]", "[2,3]");
    }

    @Test
    void concatAxisOutOfRange() {
        fails(ShapeException.class, () -> Ops.concat(2, MATRIX, MATRIX), "concat", "axis 2", "rank 2");
    }

    // ---------------------------------------------------------------- gather and scatter-add

    @Test
    void gatherIndexOutOfRange() {
        fails(IndexOutOfBoundsException.class, () -> Ops.gather(MATRIX, 1, 0, 3), "gather", "index 3", "position 1",
                "size 3", "[2,3]");
    }

    @Test
    void gatherNegativeIndex() {
        fails(IndexOutOfBoundsException.class, () -> Ops.gather(MATRIX, 0, -1), "gather", "index -1", "position 0",
                "size 2");
    }

    @Test
    void gatherIndicesDoNotFillIndexShape() {
        fails(ShapeException.class, () -> Ops.gather(MATRIX, 0, new int[] {0, 1, 1}, new int[] {2, 2}), "gather",
                "3 indices", "[2,2]", "4 elements");
    }

    @Test
    void gatherRankZero() {
        fails(ShapeException.class, () -> Ops.gather(SCALAR, 0, 0), "gather", "rank 0");
    }

    @Test
    void scatterAddBadInput() {
        fails(ShapeException.class, () -> new ScatterAdd(0, new int[] {0, 1}, new int[] {2}, 4).apply(Tensor.zeros(3, 5)),
                "scatterAdd", "[3,5]", "[2]");
        fails(IndexOutOfBoundsException.class,
                () -> new ScatterAdd(1, new int[] {0, 4}, new int[] {2}, 4).apply(Tensor.zeros(3, 2)), "scatterAdd",
                "index 4", "position 1", "size 4");
    }
}
