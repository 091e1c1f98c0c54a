package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every op with a kink reports which side of it its inputs are on, so that the gradient checker skips
 * a finite difference whose stencil crosses it (1e-4 from the kink, inside the stencil of 2e-3), and
 * checks the elements away from it. Without the report the difference across the kink would be compared
 * with the one-sided derivative, and fail.
 */
class KinkDetectionTest {

    private static void skipsOneChecksOne(GradCheck.Report r) {
        assertTrue(r.passed(), r.toString());
        assertEquals(1, r.skipped(), r.toString());
        assertEquals(1, r.checked(), r.toString());
    }

    @Test
    void absReluAndClampTheirKinksAtZero() {
        Tensor x = Tensor.vector(1e-4, 0.7);
        skipsOneChecksOne(GradCheck.of(in -> Ops.abs(in[0]), x).checkVjp());
        skipsOneChecksOne(GradCheck.of(in -> Ops.relu(in[0]), x).checkVjp());
    }

    @Test
    void maximumAndMinimumAtATie() {
        Tensor a = Tensor.vector(0.5 + 1e-4, 2.0);
        Tensor b = Tensor.vector(0.5, -1.0);
        GradCheck.Report max = GradCheck.of(in -> Ops.maximum(in[0], in[1]), a, b).checkVjp();
        assertTrue(max.passed(), max.toString());
        assertEquals(2, max.skipped(), "element 0 of each input: " + max);
        assertEquals(2, max.checked(), max.toString());
        GradCheck.Report min = GradCheck.of(in -> Ops.minimum(in[0], in[1]), a, b).checkVjp();
        assertTrue(min.passed(), min.toString());
        assertEquals(2, min.skipped(), min.toString());
    }

    @Test
    void maxReductionAtATie() {
        Tensor x = Tensor.of(new double[] {1.0, 1.0 + 1e-4, -3, 2, 0.5, 0.25}, 2, 3);
        GradCheck.Report r = GradCheck.of(in -> Ops.max(in[0], 1), x).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertEquals(2, r.skipped(), "the two near-tied elements of row 0: " + r);
        assertEquals(4, r.checked(), r.toString());
    }
}
