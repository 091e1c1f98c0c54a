package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Node#mayOverwrite}: a VJP may use its cotangent's array as scratch exactly when nothing else can
 * see that array: never a seed, a gradient the caller asked for, an array another cotangent shares, or in a
 * recorded pass. Each case with an op that overwrites whenever allowed, checked against the gradient by the
 * definition (a wrong permission corrupts a value the test reads).
 */
class CotangentScratchTest {

    /** y = x², VJP 2x·g, written into g's array whenever the engine allows; logs each permission. */
    static final class SquareInPlace extends Primitive {
        final List<Boolean> allowed = new ArrayList<>();

        public String name() {
            return "squareInPlace";
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
            for (int i = 0; i < a.length; i++) y[i] = a[i] * a[i];
            return Tensor.of(y, shape);
        }

        public Tensor[] vjp(Tensor g, Node node) {
            boolean ok = node.mayOverwrite(g);
            allowed.add(ok);
            double[] x = node.input(0).data();
            double[] gd = g.data();
            double[] out = ok ? g.mutableData() : new double[gd.length];
            for (int i = 0; i < out.length; i++) out[i] = 2 * x[i] * gd[i];
            return new Tensor[] {ok ? g : Tensor.of(out, g.shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    /** y = x², VJP 2x·g into a new array, then hands g to the pool; optionally returns g too (a misuse). */
    static final class SquareRecycling extends Primitive {
        final boolean alsoReturnG;
        double[] recycled;

        SquareRecycling(boolean alsoReturnG) {
            this.alsoReturnG = alsoReturnG;
        }

        public String name() {
            return "squareRecycling";
        }

        public int arity() {
            return alsoReturnG ? 2 : 1;
        }

        public int[] shape(Tensor... x) {
            return x[0].shape();
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            double[] a = x[0].data();
            double[] y = new double[a.length];
            for (int i = 0; i < a.length; i++) y[i] = a[i] * a[i];
            return Tensor.of(y, shape);
        }

        public Tensor[] vjp(Tensor g, Node node) {
            double[] x = node.input(0).data();
            double[] out = new double[g.size()];
            for (int i = 0; i < out.length; i++) out[i] = 2 * x[i] * g.data()[i];
            if (node.mayOverwrite(g)) recycled = g.data();
            node.recycle(g);
            return alsoReturnG ? new Tensor[] {Tensor.of(out, g.shape()), g} : new Tensor[] {Tensor.of(out, g.shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    private static double[] ramp(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 1 + i % 7;
        return d;
    }

    @Test
    void aRecycledCotangentIsReusedOnceByTheNextReusableAllocation() {
        int n = 4096;
        Tensor x = Tensor.of(ramp(n), n).requiresGrad();
        Tensor three = Tensor.of(new double[n], n);
        java.util.Arrays.fill(three.mutableData(), 3);
        SquareRecycling sq = new SquareRecycling(false);
        try (Tape t = Tape.open()) {
            Tensor z = TestOps.mul(sq.apply(x), three);
            t.backward(z, Tensor.of(ramp(n), n));
        }
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = 6 * x.data()[i] * ramp(n)[i];
        assertArrayEquals(expected, x.grad().data(), 0.0);
        assertTrue(sq.recycled != null, "the cotangent was the VJP's to recycle");
        double[] first = Allocation.reusable("test", new int[] {n});
        double[] second = Allocation.reusable("test", new int[] {n});
        assertTrue(first == sq.recycled, "the pooled array comes back");
        assertTrue(second != first, "and only once");
        assertTrue(x.grad().data() != first, "never a gradient handed out");
    }

    @Test
    void aCotangentTheVjpAlsoReturnsIsNotPooled() {
        int n = 2048;
        Tensor x = Tensor.of(ramp(n), n).requiresGrad();
        Tensor other = Tensor.of(ramp(n), n).requiresGrad();
        SquareRecycling sq = new SquareRecycling(true);
        try (Tape t = Tape.open()) {
            Tensor z = TestOps.mul(sq.apply(x, other), Tensor.of(ramp(n), n));
            t.backward(z, Tensor.of(ramp(n), n));
        }
        assertTrue(sq.recycled != null);
        double[] a = Allocation.reusable("test", new int[] {n});
        assertTrue(a != sq.recycled && a != other.grad().data(), "the returned cotangent stays the gradient's alone");
    }

    @Test
    void theCallersSeedIsNeverPooled() {
        int n = 1024;
        Tensor x = Tensor.of(ramp(n), n).requiresGrad();
        Tensor seed = Tensor.of(ramp(n), n);
        SquareRecycling sq = new SquareRecycling(false);
        try (Tape t = Tape.open()) {
            t.backward(sq.apply(x), seed);
        }
        assertTrue(sq.recycled == null);
        assertTrue(Allocation.reusable("test", new int[] {n}) != seed.data());
    }

    /** y = a + b whose VJP returns one new tensor for both inputs: a shared array. */
    static final class AddSharingOneCopy extends Primitive {
        public String name() {
            return "addShared";
        }

        public int arity() {
            return 2;
        }

        public int[] shape(Tensor... x) {
            return x[0].shape();
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            return TestOps.add(x[0], x[1]).detach().copy();
        }

        public Tensor[] vjp(Tensor g, Node node) {
            Tensor c = g.copy();
            return new Tensor[] {c, c};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    private static Tensor var(double... v) {
        return Tensor.of(v, v.length).requiresGrad();
    }

    @Test
    void aNewArrayFromTheNextOpIsScratchAndTheGradientIsRight() {
        Tensor x = var(1, -2, 3);
        SquareInPlace sq = new SquareInPlace();
        Tensor seed = Tensor.of(new double[] {1, 1, 1}, 3);
        try (Tape t = Tape.open()) {
            // z = (x²)·3 via the product with a constant: its VJP makes a new array for x² alone.
            Tensor y = sq.apply(x);
            Tensor z = TestOps.mul(y, Tensor.of(new double[] {3, 3, 3}, 3));
            t.backward(z, seed);
        }
        assertEquals(List.of(true), sq.allowed);
        assertArrayEquals(new double[] {6, -12, 18}, x.grad().data(), 0.0); // 6x
        assertArrayEquals(new double[] {1, 1, 1}, seed.data(), 0.0);
    }

    @Test
    void theCallersSeedIsNeverScratch() {
        Tensor x = var(1, 2);
        SquareInPlace sq = new SquareInPlace();
        Tensor seed = Tensor.of(new double[] {0.5, -1}, 2);
        try (Tape t = Tape.open()) {
            t.backward(sq.apply(x), seed);
        }
        assertEquals(List.of(false), sq.allowed);
        assertArrayEquals(new double[] {0.5, -1}, seed.data(), 0.0);
        assertArrayEquals(new double[] {1, -4}, x.grad().data(), 0.0);
    }

    @Test
    void anArraySharedByTwoCotangentsIsNeverScratch() {
        Tensor a = var(1, 2);
        Tensor b = var(3, 4);
        SquareInPlace sqA = new SquareInPlace();
        SquareInPlace sqB = new SquareInPlace();
        Tensor seed = Tensor.of(new double[] {1, 1}, 2);
        try (Tape t = Tape.open()) {
            Tensor s = new AddSharingOneCopy().apply(sqA.apply(a), sqB.apply(b));
            t.backward(s, seed);
        }
        assertEquals(List.of(false), sqA.allowed);
        assertEquals(List.of(false), sqB.allowed);
        assertArrayEquals(new double[] {2, 4}, a.grad().data(), 0.0);
        assertArrayEquals(new double[] {6, 8}, b.grad().data(), 0.0, "b's cotangent was not overwritten through a's");
    }

    @Test
    void aGradientTheCallerAskedForIsNeverScratch() {
        Tensor x = var(1, 2);
        SquareInPlace sq = new SquareInPlace();
        Tensor[] g;
        try (Tape t = Tape.open()) {
            Tensor y = sq.apply(x);
            Tensor z = TestOps.mul(y, Tensor.of(new double[] {3, 5}, 2));
            g = t.gradient(new Tensor[] {z}, new Tensor[] {Tensor.of(new double[] {1, 1}, 2)}, y, x);
        }
        assertEquals(List.of(false), sq.allowed);
        assertArrayEquals(new double[] {3, 5}, g[0].data(), 0.0, "dz/dy, handed out intact");
        assertArrayEquals(new double[] {6, 20}, g[1].data(), 0.0);
    }

    @Test
    void aSumOfSeveralContributionsIsScratch() {
        Tensor x = var(2, -1);
        SquareInPlace sq = new SquareInPlace();
        try (Tape t = Tape.open()) {
            Tensor y = sq.apply(x);
            // y used twice: its cotangent is the pass's own sum of two new arrays.
            Tensor z = TestOps.add(TestOps.mul(y, Tensor.of(new double[] {1, 1}, 2)),
                    TestOps.mul(y, Tensor.of(new double[] {2, 2}, 2)));
            t.backward(z, Tensor.of(new double[] {1, 1}, 2));
        }
        assertEquals(List.of(true), sq.allowed);
        assertArrayEquals(new double[] {12, -6}, x.grad().data(), 0.0); // 3·2x
    }

    @Test
    void aRecordedPassNeverOverwrites() {
        Tensor x = var(1, 2);
        SquareInPlace sq = new SquareInPlace();
        try (Tape t = Tape.openRetained()) {
            Tensor z = TestOps.mul(sq.apply(x), Tensor.of(new double[] {3, 5}, 2));
            t.recordedGradient(new Tensor[] {z}, new Tensor[] {Tensor.of(new double[] {1, 1}, 2)}, x);
        }
        assertFalse(sq.allowed.isEmpty());
        assertTrue(sq.allowed.stream().noneMatch(b -> b));
    }
}
