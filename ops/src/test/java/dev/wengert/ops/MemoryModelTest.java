package dev.wengert.ops;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.expandDims;
import static dev.wengert.ops.Ops.reshape;
import static dev.wengert.ops.Ops.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Primitive;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The memory model's promises on the cases users reported, and thread-safe accumulation. */
class MemoryModelTest {

    @Test
    void twoVariablesWhoseCotangentsShareAnArrayAccumulateIndependently() {
        Tensor w = Tensor.vector(1, 2, 3).requiresGrad();
        Tensor v = Tensor.zeros(3, 1).requiresGrad();
        for (int pass = 0; pass < 2; pass++) {
            try (Tape tape = Tape.open()) {
                tape.backward(sum(add(expandDims(w, 1), v)));
            }
        }
        assertArrayEquals(new double[] {2, 2, 2}, w.grad().data(), 0.0);
        assertArrayEquals(new double[] {2, 2, 2}, v.grad().data(), 0.0);
        assertTrue(w.grad().data() != v.grad().data(), "w and v share a grad array");
    }

    @Test
    void backwardNeverWritesTheSeed() {
        Tensor x = Tensor.zeros(2, 2).requiresGrad();
        Tensor seed = Tensor.vector(1, 2, 3, 4);
        try (Tape tape = Tape.open()) {
            tape.backward(reshape(x, 4), seed);
        }
        try (Tape tape = Tape.open()) {
            tape.backward(sum(x));
        }
        assertArrayEquals(new double[] {1, 2, 3, 4}, seed.data(), 0.0);
        assertArrayEquals(new double[] {2, 3, 4, 5}, x.grad().data(), 0.0);
    }

    @Test
    void theGradientOfAnOutputThatIsTheVariableIsACopyOfTheSeed() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        Tensor seed = Tensor.vector(5, 6);
        try (Tape tape = Tape.open()) {
            Tensor g = tape.gradient(new Tensor[] {x}, new Tensor[] {seed}, x)[0];
            assertArrayEquals(seed.data(), g.data(), 0.0);
            assertTrue(g.data() != seed.data());
        }
    }

    @Test
    void aDetachedAliasWrittenAfterRecordingIsCaughtAtBackward() {
        Tensor x = Tensor.vector(0.5, -0.25).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = Ops.tanh(x); // tanh's VJP reads its output y
            Tensor alias = y.detach();
            alias.mutableData()[0] = 7.0;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(sum(y)));
            assertTrue(e.getMessage().contains("tanh"), e.getMessage());
        }
    }

    @Test
    void aViewOfAVariableUpdatedInPlaceAfterRecordingIsCaughtAtBackward() {
        Tensor w = Tensor.vector(1, 2, 3, 4).requiresGrad();
        Tensor[] flat = new Tensor[1];
        try (Tape tape = Tape.open()) {
            Tensor m = reshape(w, 2, 2);
            Tensor y = sum(Ops.mul(m, m)); // mul's VJP reads its inputs
            flat[0] = reshape(w.detach(), 2, 2); // an untracked view of the same storage
            flat[0].mutableData()[1] = 9.0;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("mul"), e.getMessage());
        }
    }

    @Test
    void aGradUsedInARecordedComputationAndThenAccumulatedIntoIsCaughtAtBackward() {
        Tensor w = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(sum(Ops.square(w)));
        }
        Tensor g = w.grad().requiresGrad();
        try (Tape outer = Tape.open()) {
            Tensor y = sum(Ops.square(g));
            try (Tape inner = Tape.open()) {
                inner.backward(sum(Ops.square(w))); // adds into g in place
            }
            assertThrows(IllegalStateException.class, () -> outer.backward(y));
        }
    }

    @Test
    void forwardModeValuesAndTangentsAreNotTheCallersArrays() {
        Tensor x = Tensor.vector(1, 2, 3);
        Tensor v = Tensor.vector(0.5, 0.25, 0.125);
        ForwardMode.Result r = ForwardMode.jvp(t -> reshape(t, 3, 1), x, v);
        assertTrue(r.value().data() != x.data(), "value aliases the primal");
        assertTrue(r.tangent().data() != v.data(), "tangent aliases the caller's tangent");
        r.value().mutableData()[0] = 100;
        r.tangent().mutableData()[0] = 100;
        assertArrayEquals(new double[] {1, 2, 3}, x.data(), 0.0);
        assertArrayEquals(new double[] {0.5, 0.25, 0.125}, v.data(), 0.0);
    }

    @Test
    void concurrentBackwardPassesIntoOneSharedVariableLoseNoUpdate() throws Exception {
        Tensor w = Tensor.zeros(4096).requiresGrad(); // long adds: a lost update needs only an overlap
        int threads = 4;
        int passes = 500;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int p = 0; p < passes; p++) {
                        try (Tape tape = Tape.open()) {
                            tape.backward(sum(Ops.mul(w, 1.0))); // gradient 1 per element and pass
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts[t].start();
        }
        start.countDown();
        for (Thread t : ts) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        for (double g : w.grad().data()) assertEquals(threads * passes, g, 0.0);
    }

    @Test
    void everyOpWhoseResultSharesItsInputsArraySharesItsVersionCounterToo() {
        java.util.Map<String, java.util.function.UnaryOperator<Tensor>> views = new java.util.LinkedHashMap<>();
        views.put("reshape", x -> reshape(x, 6));
        views.put("expandDims", x -> expandDims(x, 0));
        views.put("squeeze", x -> Ops.squeeze(expandDims(x, 2), 2));
        views.put("concat of one", x -> Ops.concat(1, x));
        views.put("stack of one", x -> Ops.stack(0, x));
        views.put("slice of a whole axis", x -> Ops.slice(x, 0, 0, 2));
        views.put("broadcastTo the same shape", x -> Ops.broadcastTo(x, 2, 3));
        views.put("sumTo the same shape", x -> Ops.sumTo(x, 2, 3));
        for (java.util.Map.Entry<String, java.util.function.UnaryOperator<Tensor>> e : views.entrySet()) {
            Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3); // a constant: the view is not recorded
            Tensor x = Tensor.ones(e.getValue().apply(w).shape()).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor v = e.getValue().apply(w);
                Tensor y = sum(Ops.mul(v, x)); // mul's VJP for x reads v
                if (v.data() == w.data()) {
                    w.mutableData()[0] = 10; // the constant updated after recording: v changed with it
                    assertThrows(IllegalStateException.class, () -> tape.backward(y), e.getKey());
                } else {
                    tape.backward(y);
                    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, x.grad().data(), 0.0, e.getKey());
                }
            }
        }
    }

    @Test
    void aCustomOpWhoseVjpReturnsACachedTensorKeepsItIntact() {
        Tensor cached = Tensor.ones(3);
        Primitive passThrough = CustomOp.named("pass-through")
                .forward(x -> x[0].copy())
                .vjp((g, x, y) -> new Tensor[] {cached}) // wrong for g != 1, right for sum(): it is the point
                .build();
        Tensor w = Tensor.vector(1, 2, 3).requiresGrad();
        for (int pass = 0; pass < 2; pass++) {
            try (Tape tape = Tape.open()) {
                tape.backward(sum(passThrough.apply(w)));
            }
        }
        assertArrayEquals(new double[] {1, 1, 1}, cached.data(), 0.0);
        assertArrayEquals(new double[] {2, 2, 2}, w.grad().data(), 0.0);
    }

    @Test
    void aGradBufferPassedAsASeedSeedsEveryVariableWithItsValueBeforeThePass() {
        for (int order = 0; order < 2; order++) {
            Tensor w = Tensor.vector(1, 2).requiresGrad();
            Tensor v = Tensor.vector(3, 4).requiresGrad();
            try (Tape tape = Tape.open()) {
                tape.backward(sum(order == 0 ? w : v));
            }
            Tensor seed = (order == 0 ? w : v).grad(); // [1, 1], the buffer the pass below adds into
            try (Tape tape = Tape.open()) {
                tape.backward(add(w, v), seed);
            }
            Tensor first = order == 0 ? w : v;
            Tensor second = order == 0 ? v : w;
            assertArrayEquals(new double[] {2, 2}, first.grad().data(), 0.0);
            assertArrayEquals(new double[] {1, 1}, second.grad().data(), 0.0);
        }
    }

    @Test
    void zeroGradDropsTheBufferAndTheTensorHandedOutKeepsItsValues() {
        Tensor w = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(sum(Ops.mul(w, 3.0)));
        }
        Tensor first = w.grad();
        w.zeroGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(sum(Ops.mul(w, 5.0)));
        }
        assertArrayEquals(new double[] {3, 3}, first.data(), 0.0);
        assertArrayEquals(new double[] {5, 5}, w.grad().data(), 0.0);
        assertNotSame(first, w.grad());
    }
}
