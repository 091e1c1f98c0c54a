package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.log;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Anomaly mode names the op and the user's line; tapes are confined to their thread. */
class AnomalyAndThreadsTest {

    @Test
    void anomalyModeNamesTheOpAndTheLineThatProducedANaN() {
        Tensor x = Tensor.vector(1.0, -1.0);
        try (Anomaly.Scope a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> log(x));
            assertTrue(e.getMessage().contains("op 'log' produced NaN at index [1]"), e.getMessage());
            assertTrue(e.getMessage().contains("AnomalyAndThreadsTest"), e.getMessage());
        }
        assertFalse(Anomaly.isEnabled());
        log(x); // off again: NaN passes silently, as IEEE arithmetic does
    }

    @Test
    void anomalyModeCatchesANaNProducedByABackwardPass() {
        Primitive badVjp = dev.wengert.core.testing.TestOps.ROOT;
        Tensor x = Tensor.vector(4.0, 0.0).requiresGrad();
        try (Anomaly.Scope a = Anomaly.enable(); Tape tape = Tape.open()) {
            Tensor y = badVjp.apply(x);
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, x));
            assertTrue(e.getMessage().contains("VJP of op 'root' produced Infinity at index [1]"), e.getMessage());
            assertTrue(e.getMessage().contains("AnomalyAndThreadsTest"), e.getMessage());
        }
    }

    @Test
    void twoThreadsBuildAndDifferentiateAtOnceWithoutInterference() throws Exception {
        int threads = 4;
        int rounds = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        // A parameter shared read-only by all threads, as a model's weights would be.
        Tensor shared = Tensor.scalar(1.3).requiresGrad();
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final double x0 = 0.1 * (t + 1);
            results.add(pool.submit(() -> {
                start.await();
                int ok = 0;
                for (int r = 0; r < rounds; r++) {
                    Tensor x = Tensor.scalar(x0 + r * 1e-4).requiresGrad();
                    try (Tape tape = Tape.open()) {
                        Tensor y = sin(mul(mul(x, x), shared)); // sin(w x^2)
                        Tensor[] g = tape.gradient(y, x, shared);
                        double xv = x.item();
                        double c = Math.cos(1.3 * xv * xv);
                        if (Math.abs(g[0].item() - c * 2 * 1.3 * xv) < 1e-12
                                && Math.abs(g[1].item() - c * xv * xv) < 1e-12
                                && tape.size() == 0) {
                            ok++;
                        }
                    }
                }
                return ok;
            }));
        }
        start.countDown();
        for (Future<Integer> f : results) assertEquals(rounds, f.get());
        pool.shutdown();
    }

    @Test
    void aTapeCannotBeUsedFromAnotherThread() throws Exception {
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            ExecutorService other = Executors.newSingleThreadExecutor();
            Future<?> f = other.submit(() -> tape.gradient(y, x));
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
            assertTrue(e.getCause() instanceof IllegalStateException);
            assertTrue(e.getCause().getMessage().contains("confined to the thread"), e.getCause().getMessage());
            other.shutdown();
            // Recording on this thread is unaffected by the other thread, which has no tape.
            assertEquals(1, tape.size());
        }
    }
}
