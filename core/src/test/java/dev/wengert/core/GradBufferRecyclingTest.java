package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#recycleGrad()} and {@link Node#gradInto}: a VJP that writes a leaf's cotangent into the
 * leaf's recycled buffer gives exactly the gradient of a pass into no buffer, in every case a pass can
 * meet: one contribution, several, a failure half-way, a shared variable on two threads, a pass that is
 * not a backward into leaves.
 */
class GradBufferRecyclingTest {

    /** y = s·x elementwise; its VJP writes s·g into x's recycled buffer when the engine lends one. */
    static final class ScaleInto extends Primitive {
        final double s;
        int lentCount;

        ScaleInto(double s) {
            this.s = s;
        }

        public String name() {
            return "scaleInto";
        }

        public int arity() {
            return 1;
        }

        public int[] shape(Tensor... x) {
            return x[0].shape();
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            double[] a = x[0].data();
            double[] y = new double[a.length];
            for (int i = 0; i < a.length; i++) y[i] = s * a[i];
            return Tensor.of(y, shape);
        }

        public Tensor[] vjp(Tensor g, Node node) {
            Tensor into = node.gradInto(0);
            double[] gd = g.data();
            double[] out;
            if (into != null) {
                lentCount++;
                out = into.mutableData();
            } else {
                out = new double[gd.length];
            }
            for (int i = 0; i < gd.length; i++) out[i] = s * gd[i];
            return new Tensor[] {into != null ? into : Tensor.of(out, g.shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    /** Fails in its VJP: a pass through it stops half-way. */
    static final class FailingVjp extends Primitive {
        public String name() {
            return "failing";
        }

        public int arity() {
            return 1;
        }

        public int[] shape(Tensor... x) {
            return x[0].shape();
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            return x[0].copy();
        }

        public Tensor[] vjp(Tensor g, Node node) {
            throw new IllegalStateException("failing: on purpose");
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    private static Tensor variable(Random rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        return Tensor.of(d, n).requiresGrad();
    }

    /** One pass: L = sum(seed ⊙ s·x) (backward of s·x with the given seed), into x.grad(). */
    private static void pass(ScaleInto op, Tensor x, Tensor seed) {
        try (Tape t = Tape.open()) {
            Tensor y = op.apply(x);
            t.backward(y, seed);
        }
    }

    @Test
    void aRecycledBufferIsWrittenInPlaceAndGivesTheBitsOfAFreshOne() {
        Random rng = new Random(1);
        Tensor x = variable(rng, 7);
        Tensor seed = variable(rng, 7).detach();
        ScaleInto op = new ScaleInto(0.3);

        pass(op, x, seed);
        double[] first = x.grad().data();
        Tensor firstGrad = x.grad();
        assertEquals(0, op.lentCount, "nothing to lend before the first recycle");

        x.recycleGrad();
        assertNull(x.grad(), "recycled: no gradient until the next pass");
        int before = firstGrad.version();
        Tensor seed2 = variable(rng, 7).detach();
        pass(op, x, seed2);
        assertEquals(1, op.lentCount);
        assertSame(first, x.grad().data(), "the next pass wrote into the recycled buffer");
        assertTrue(firstGrad.version() > before, "the overwritten tensor's version went up");

        Tensor fresh = Tensor.of(x.data().clone(), 7).requiresGrad();
        pass(new ScaleInto(0.3), fresh, seed2);
        assertArrayEquals(fresh.grad().data(), x.grad().data(), 0.0);
    }

    @Test
    void aSecondContributionInTheSamePassAddsIntoTheBufferWithTheBitsOfTheUsualSum() {
        Random rng = new Random(2);
        Tensor x = variable(rng, 9);
        Tensor seed = variable(rng, 9).detach();
        ScaleInto op = new ScaleInto(1.7);
        Runnable step = () -> {
            try (Tape t = Tape.open()) {
                // x reaches y through a product and through the lending op, recorded after it, so its VJP
                // runs first and writes the buffer; the product's two contributions then add into it.
                Tensor p = TestOps.mul(x, x);
                Tensor y = TestOps.add(p, op.apply(x));
                t.backward(y, seed);
            }
        };
        step.run();
        double[] expected = x.grad().data().clone();
        for (int k = 0; k < 3; k++) {
            x.recycleGrad();
            step.run();
            assertArrayEquals(expected, x.grad().data(), 0.0, "step " + k);
        }
        assertEquals(3, op.lentCount, "the buffer was lent at every recycled step");

        Tensor y = Tensor.of(x.data().clone(), 9).requiresGrad();
        try (Tape t = Tape.open()) {
            Tensor p = TestOps.mul(y, y);
            t.backward(TestOps.add(p, new ScaleInto(1.7).apply(y)), seed);
        }
        assertArrayEquals(y.grad().data(), x.grad().data(), 0.0, "same as a leaf that never recycled");
    }

    @Test
    void theSameLeafTwiceInOneVjpGetsTheBufferOnce() {
        Random rng = new Random(3);
        Tensor x = variable(rng, 5);
        Tensor seed = variable(rng, 5).detach();
        ScaleInto a = new ScaleInto(2.0);
        ScaleInto b = new ScaleInto(-0.5);
        Runnable step = () -> {
            try (Tape t = Tape.open()) {
                t.backward(TestOps.add(a.apply(x), b.apply(x)), seed);
            }
        };
        step.run();
        double[] expected = x.grad().data().clone();
        x.recycleGrad();
        step.run();
        assertEquals(1, a.lentCount + b.lentCount, "lent to the first VJP only; the second adds into it");
        assertArrayEquals(expected, x.grad().data(), 0.0);
    }

    @Test
    void aFailedPassLeavesNoGradientAndKeepsTheBufferForTheNext() {
        Random rng = new Random(4);
        Tensor x = variable(rng, 4);
        Tensor seed = variable(rng, 4).detach();
        ScaleInto op = new ScaleInto(3.0);
        pass(op, x, seed);
        double[] buffer = x.grad().data();
        x.recycleGrad();
        assertThrows(IllegalStateException.class, () -> {
            try (Tape t = Tape.open()) {
                // The lending op runs first (it is later on the tape), then the failing one.
                Tensor y = op.apply(new FailingVjp().apply(x));
                t.backward(TestOps.add(y, op.apply(x)), TestOps.add(seed, seed).detach());
            }
        });
        assertNull(x.grad(), "a failed pass accumulates nothing");
        pass(op, x, seed);
        assertSame(buffer, x.grad().data(), "the buffer came back and was used again");
        Tensor fresh = Tensor.of(x.data().clone(), 4).requiresGrad();
        pass(new ScaleInto(3.0), fresh, seed);
        assertArrayEquals(fresh.grad().data(), x.grad().data(), 0.0);
    }

    @Test
    void gradientAndRecordedPassesAndUnrecycledLeavesLendNothing() {
        Random rng = new Random(5);
        Tensor x = variable(rng, 3);
        Tensor seed = variable(rng, 3).detach();
        ScaleInto op = new ScaleInto(0.25);
        pass(op, x, seed);
        pass(op, x, seed); // accumulating, not recycled: nothing lent
        assertEquals(0, op.lentCount);
        x.recycleGrad();
        try (Tape t = Tape.open()) {
            Tensor g = t.gradient(new Tensor[] {op.apply(x)}, new Tensor[] {seed}, x)[0];
            assertNotSame(g, x.grad());
        }
        try (Tape t = Tape.openRetained()) {
            t.recordedGradient(new Tensor[] {op.apply(x)}, new Tensor[] {seed}, x);
        }
        assertEquals(0, op.lentCount, "only backward passes into leaves borrow");
        assertNull(x.grad());
        x.zeroGrad();
        pass(op, x, seed);
        assertEquals(0, op.lentCount, "zeroGrad drops the buffer");
    }

    @Test
    void accumulatingPassesAfterARecycleAddAsUsual() {
        Random rng = new Random(6);
        Tensor x = variable(rng, 6);
        Tensor s1 = variable(rng, 6).detach();
        Tensor s2 = variable(rng, 6).detach();
        ScaleInto op = new ScaleInto(1.1);
        pass(op, x, s1);
        x.recycleGrad();
        pass(op, x, s1);
        pass(op, x, s2); // the second adds into the first, as k passes always do
        Tensor y = Tensor.of(x.data().clone(), 6).requiresGrad();
        ScaleInto fresh = new ScaleInto(1.1);
        pass(fresh, y, s1);
        pass(fresh, y, s2);
        assertArrayEquals(y.grad().data(), x.grad().data(), 0.0);
    }

    @Test
    void twoThreadsOnASharedRecycledVariableSumBothPasses() throws Exception {
        Random rng = new Random(7);
        Tensor x = variable(rng, 64);
        Tensor s1 = variable(rng, 64).detach();
        Tensor s2 = variable(rng, 64).detach();
        ScaleInto op = new ScaleInto(0.7);
        Tensor ref = Tensor.of(x.data().clone(), 64).requiresGrad();
        pass(new ScaleInto(0.7), ref, s1);
        pass(new ScaleInto(0.7), ref, s2);
        for (int round = 0; round < 50; round++) {
            pass(op, x, s1);
            x.recycleGrad();
            CountDownLatch go = new CountDownLatch(1);
            Thread other = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pass(op, x, s2);
            });
            other.start();
            go.countDown();
            pass(op, x, s1);
            other.join();
            // a + b = b + a in floating point: whichever pass borrowed the buffer, the sum has these bits.
            assertArrayEquals(ref.grad().data(), x.grad().data(), 0.0, "round " + round);
            x.zeroGrad();
        }
    }
}
