package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The matrix product writes a weight's gradient into the weight's recycled buffer
 * ({@link Tensor#recycleGrad()}): the same bits as a product into a new array, for all four transpose
 * combinations and any sizes (the small loop and the blocked kernel both), with the buffer really reused,
 * and the other input's gradient unchanged.
 */
class MatMulGradIntoProperties {

    private static Tensor randn(Random rng, int... shape) {
        return Tensor.randn(rng, shape);
    }

    /** L = sum(seed ⊙ op(A)·op(B)) through the engine: grads into A.grad() and B.grad(). */
    private static void pass(Tensor a, Tensor b, boolean ta, boolean tb, Tensor seed) {
        try (Tape t = Tape.open()) {
            t.backward(Ops.matmul(a, b, ta, tb), seed);
        }
    }

    @Property(tries = 60)
    void theRecycledBufferGetsTheBitsOfANewProduct(@ForAll @IntRange(min = 1, max = 70) int m,
            @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(min = 1, max = 70) int n,
            @ForAll boolean ta, @ForAll boolean tb, @ForAll boolean inputNeedsGrad, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor a = randn(rng, ta ? new int[] {k, m} : new int[] {m, k});
        Tensor b = randn(rng, tb ? new int[] {n, k} : new int[] {k, n}).requiresGrad();
        if (inputNeedsGrad) a = a.requiresGrad();
        Tensor s1 = randn(rng, m, n);
        Tensor s2 = randn(rng, m, n);

        pass(a, b, ta, tb, s1);
        double[] buffer = b.grad().data();
        b.recycleGrad();
        if (inputNeedsGrad) a.zeroGrad();
        pass(a, b, ta, tb, s2);
        assertSame(buffer, b.grad().data(), "the second pass wrote into the recycled buffer");

        Tensor a2 = Tensor.of(a.data().clone(), a.shape());
        if (inputNeedsGrad) a2 = a2.requiresGrad();
        Tensor b2 = Tensor.of(b.data().clone(), b.shape()).requiresGrad();
        pass(a2, b2, ta, tb, s2);
        assertArrayEquals(b2.grad().data(), b.grad().data(), 0.0, "weight gradient, bit for bit");
        if (inputNeedsGrad) {
            assertArrayEquals(a2.grad().data(), a.grad().data(), 0.0, "input gradient, bit for bit");
        }
        assertEquals(0, Double.compare(b2.grad().data()[0], b.grad().data()[0]));
    }

    @Property(tries = 20)
    void aWeightUsedTwiceSumsBothProductsAsUsual(@ForAll @IntRange(min = 1, max = 20) int m,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor w = randn(rng, n, n).requiresGrad();
        Tensor x = randn(rng, m, n);
        Tensor s = randn(rng, m, n);
        Runnable step = () -> {
            try (Tape t = Tape.open()) {
                t.backward(Ops.matmul(Ops.matmul(x, w, false, true), w), s);
            }
        };
        step.run();
        double[] expected = w.grad().data().clone();
        w.recycleGrad();
        step.run();
        assertArrayEquals(expected, w.grad().data(), 0.0);
    }
}
