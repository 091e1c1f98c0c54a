package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.add;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.neg;
import static dev.wengert.core.testing.TestOps.sin;
import static dev.wengert.core.testing.TestOps.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The memory model at the engine's level: storage shared by views and detached aliases and its one
 * version counter; gradients handed out by storage, never aliasing each other, a seed or an input;
 * accumulation across passes and threads.
 */
class StorageOwnershipTest {

    @Test
    void viewsAndDetachedAliasesShareStorageAndVersionCopiesDoNot() {
        Tensor x = Tensor.vector(1, 2, 3, 4);
        assertEquals(0, x.version());
        Tensor v = Tensor.viewOf(x, 2, 2);
        Tensor d = x.detach();
        Tensor c = x.copy();
        assertSame(x.data(), v.data());
        assertSame(x.data(), d.data());
        assertNotSame(x.data(), c.data());
        assertArrayEquals(new int[] {2, 2}, v.shape());

        v.mutableData()[3] = 40;
        assertEquals(1, x.version());
        assertEquals(1, v.version());
        assertEquals(1, d.version());
        assertEquals(0, c.version());
        assertEquals(40, x.get(3));
        assertEquals(4, c.get(3));

        d.assign(Tensor.vector(5, 6, 7, 8));
        assertEquals(2, x.version());
        assertEquals(2, v.version());
        assertEquals(5, v.get(0, 0));
    }

    @Test
    void aViewOfAViewSharesTheFirstCounterAndAScalarViewIsScalar() {
        Tensor x = Tensor.vector(3);
        Tensor s = Tensor.viewOf(Tensor.viewOf(x, 1, 1));
        assertEquals(0, s.rank());
        s.mutableData()[0] = 4;
        assertEquals(1, x.version());
        assertEquals(4, x.item());
    }

    @Test
    void aViewOfTheWrongSizeIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.viewOf(Tensor.zeros(2, 3), 4));
        assertTrue(e.getMessage().contains("[2,3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void anInputUpdatedThroughADetachedAliasAfterRecordingIsCaught() {
        Tensor x = Tensor.vector(0.5, 1.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, x);
            x.detach().mutableData()[0] = 2;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tape.backward(y, Tensor.vector(1, 1)));
            assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("input 0"), e.getMessage());
        }
    }

    @Test
    void anOutputUpdatedThroughADetachedAliasAfterRecordingIsCaught() {
        Tensor x = Tensor.vector(0.5, 1.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            y.detach().mutableData()[1] = 0;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tape.backward(y, Tensor.vector(1, 1)));
            assertTrue(e.getMessage().contains("'sin'") && e.getMessage().contains("update of its output"), e.getMessage());
        }
    }

    @Test
    void anUpdateOfAnUnrelatedLeafDoesNotStopBackward() {
        Tensor x = Tensor.vector(0.5, 1.5).requiresGrad();
        Tensor other = Tensor.vector(1, 2);
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, x);
            other.mutableData()[0] = 3;
            tape.backward(y, Tensor.vector(1, 1));
        }
        assertArrayEquals(new double[] {1, 3}, x.grad().data(), 0.0);
    }

    @Test
    void variablesWhoseCotangentsShareOneFreshArrayGetIndependentGrads() {
        Tensor w = Tensor.vector(1, 2, 3).requiresGrad();
        Tensor v = Tensor.zeros(3, 1).requiresGrad();
        Tensor seed = Tensor.matrix(new double[][] {{1}, {2}, {3}});
        for (int pass = 1; pass <= 3; pass++) {
            try (Tape tape = Tape.open()) {
                // neg's VJP makes one fresh array; add hands it to both inputs; view's VJP views it for w.
                tape.backward(neg(add(view(w, 3, 1), v)), seed);
            }
            assertArrayEquals(new double[] {-pass, -2 * pass, -3 * pass}, w.grad().data(), 0.0);
            assertArrayEquals(new double[] {-pass, -2 * pass, -3 * pass}, v.grad().data(), 0.0);
            assertNotSame(w.grad().data(), v.grad().data());
        }
        assertArrayEquals(new double[] {1, 2, 3}, seed.data(), 0.0);
    }

    @Test
    void aVariableWhoseCotangentIsTheSeedGetsACopy() {
        Tensor x = Tensor.vector(1, 2, 3, 4).requiresGrad();
        Tensor seed = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});
        try (Tape tape = Tape.open()) {
            tape.backward(view(x, 2, 2), seed);
        }
        assertNotSame(seed.data(), x.grad().data());
        try (Tape tape = Tape.open()) {
            tape.backward(view(x, 2, 2), seed);
        }
        assertArrayEquals(new double[] {1, 2, 3, 4}, seed.data(), 0.0);
        assertArrayEquals(new double[] {2, 4, 6, 8}, x.grad().data(), 0.0);
    }

    @Test
    void aFreshCotangentIsKeptAsTheGradBufferWithoutACopy() {
        // Not a promise to users, but the reason the hand-out exists: the common case pays no copy.
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        Tensor seed = Tensor.vector(1, 1);
        double[][] seen = new double[1][];
        Primitive spy = new dev.wengert.core.testing.TestOps.Unary() {
            public String name() {
                return "spy";
            }

            protected double f(double a) {
                return a;
            }

            public Tensor[] vjp(Tensor g, Node n) {
                Tensor c = Tensor.wrap(g.toArray(), g.shape());
                seen[0] = c.data();
                return new Tensor[] {c};
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return t[0];
            }
        };
        try (Tape tape = Tape.open()) {
            tape.backward(spy.apply(x), seed);
        }
        assertSame(seen[0], x.grad().data());
    }

    @Test
    void gradientResultsAreIndependentEvenForAVariableListedTwiceOrAnOutputThatIsAnInput() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        Tensor v = Tensor.vector(3, 4).requiresGrad();
        Tensor seed = Tensor.vector(5, 6);
        try (Tape tape = Tape.open()) {
            Tensor y = add(x, v); // add hands g itself to both inputs
            Tensor[] g = tape.gradient(new Tensor[] {y}, new Tensor[] {seed}, x, v, x);
            for (Tensor gi : g) assertArrayEquals(new double[] {5, 6}, gi.data(), 0.0);
            assertNotSame(g[0].data(), g[1].data());
            assertNotSame(g[0].data(), g[2].data());
            assertNotSame(g[1].data(), g[2].data());
            for (Tensor gi : g) assertNotSame(seed.data(), gi.data());
        }
        try (Tape tape = Tape.open()) {
            Tensor g = tape.gradient(new Tensor[] {x}, new Tensor[] {seed}, x)[0];
            assertNotSame(seed.data(), g.data());
            assertNotSame(x.data(), g.data());
        }
    }

    @Test
    void anIntermediateAskedForTwiceGetsTwoIndependentGradients() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor h = sin(x);
            Tensor y = mul(h, h);
            Tensor[] g = tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.vector(1, 1)}, h, h);
            assertNotSame(g[0].data(), g[1].data());
            for (int i = 0; i < 2; i++) assertEquals(2 * Math.sin(i + 1), g[0].get(i), 1e-15);
            assertArrayEquals(g[0].data(), g[1].data(), 0.0);
        }
    }

    @Test
    void recordedGradientsListedTwiceAreIndependentAndStillDifferentiable() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, x);
            Tensor[] g = tape.recordedGradient(new Tensor[] {y}, new Tensor[] {Tensor.vector(1, 1)}, x, x);
            assertNotSame(g[0].data(), g[1].data());
            assertArrayEquals(new double[] {2, 4}, g[1].data(), 0.0);
            // d/dx of sum(g[1] * c) with g[1] = 2x: 2c, through the copy that made g[1] independent.
            Tensor[] h = tape.gradient(new Tensor[] {g[1]}, new Tensor[] {Tensor.vector(3, 5)}, x);
            assertArrayEquals(new double[] {6, 10}, h[0].data(), 0.0);
        }
    }

    @Test
    void aRecordedGradientOfAnOutputThatIsTheVariableIsACopyOfTheSeed() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        Tensor seed = Tensor.vector(7, 8);
        try (Tape tape = Tape.open()) {
            Tensor g = tape.recordedGradient(new Tensor[] {x}, new Tensor[] {seed}, x)[0];
            assertNotSame(seed.data(), g.data());
            assertArrayEquals(new double[] {7, 8}, g.data(), 0.0);
        }
    }

    @Test
    void accumulationBumpsTheGradBuffersVersionAndZeroGradDropsIt() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        assertNull(x.grad());
        try (Tape tape = Tape.open()) {
            tape.backward(mul(x, x), Tensor.vector(1, 1));
        }
        Tensor first = x.grad();
        assertEquals(0, first.version());
        assertTrue(first.isLeaf());
        assertFalse(first.isVariable());
        try (Tape tape = Tape.open()) {
            tape.backward(mul(x, x), Tensor.vector(1, 1));
        }
        assertSame(first, x.grad());
        assertEquals(1, first.version());
        assertArrayEquals(new double[] {4, 8}, first.data(), 0.0);
        x.zeroGrad();
        assertNull(x.grad());
        assertArrayEquals(new double[] {4, 8}, first.data(), 0.0);
    }

    @Test
    void aGradBufferSeedingThePassThatAddsIntoItSeedsWithItsOldValue() {
        Tensor w = Tensor.vector(1, 2).requiresGrad();
        Tensor v = Tensor.vector(3, 4).requiresGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(w, Tensor.vector(1, 1));
        }
        try (Tape tape = Tape.open()) {
            tape.backward(add(w, v), w.grad());
        }
        assertArrayEquals(new double[] {2, 2}, w.grad().data(), 0.0);
        assertArrayEquals(new double[] {1, 1}, v.grad().data(), 0.0);
    }

    @Test
    void forwardModeResultsDoNotShareArraysWithInputsOrEachOther() {
        Tensor x = Tensor.vector(1, 2);
        Tensor t = Tensor.vector(3, 4);
        ForwardMode.Result r = ForwardMode.jvp(in -> new Tensor[] {in[0], view(in[0], 2, 1), sin(in[0])},
                new Tensor[] {x}, new Tensor[] {t});
        java.util.Set<double[]> arrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        arrays.add(x.data());
        arrays.add(t.data());
        for (int i = 0; i < r.outputs(); i++) {
            assertTrue(arrays.add(r.value(i).data()), "value " + i + " shares an array");
            assertTrue(arrays.add(r.tangent(i).data()), "tangent " + i + " shares an array");
        }
        assertArrayEquals(new double[] {1, 2}, r.value(1).data(), 0.0);
        assertArrayEquals(new double[] {3, 4}, r.tangent(1).data(), 0.0);
        assertArrayEquals(new double[] {3 * Math.cos(1), 4 * Math.cos(2)}, r.tangent(2).data(), 1e-15);
    }

    @Test
    void concurrentPassesIntoOneVariableLoseNothing() throws Exception {
        Tensor w = Tensor.zeros(2048).requiresGrad();
        Tensor seed = Tensor.ones(2048);
        int threads = 4;
        int passes = 300;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                    for (int p = 0; p < passes; p++) {
                        try (Tape tape = Tape.open()) {
                            tape.backward(neg(w), seed);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts[t].start();
        }
        go.countDown();
        for (Thread t : ts) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        for (double g : w.grad().data()) assertEquals(-threads * passes, g, 0.0);
    }
}
