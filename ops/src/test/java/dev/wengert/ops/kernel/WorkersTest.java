package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The hand-off behind threaded products: every part runs exactly once, part 0 on the caller, nothing
 * more than the thread budget computes at once, failures come back to the caller, and an interrupt
 * neither cuts a product short nor gets lost.
 */
class WorkersTest {

    /** Counts the runs of each part and records the threads that ran them. */
    private static final class Recording implements Workers.Job {
        final AtomicIntegerArray runs;
        final Thread[] ranOn;
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        Recording(int parts) {
            runs = new AtomicIntegerArray(parts);
            ranOn = new Thread[parts];
        }

        @Override
        public void run(int part) {
            runs.incrementAndGet(part);
            ranOn[part] = Thread.currentThread();
            threads.add(Thread.currentThread());
        }

        void assertEachPartRanOnce() {
            for (int p = 0; p < runs.length(); p++) assertEquals(1, runs.get(p), "part " + p);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aSinglePartRunsOnTheCaller() {
        Recording job = new Recording(1);
        Workers.run(job, 1, 4);
        job.assertEachPartRanOnce();
        assertSame(Thread.currentThread(), job.ranOn[0]);
    }

    @Test
    void everyPartRunsOnceAndPartZeroOnTheCaller() {
        for (int parts : new int[] {2, 3, 5, 9}) {
            for (int threads : new int[] {1, 2, 3}) {
                Recording job = new Recording(parts);
                Workers.run(job, parts, threads);
                job.assertEachPartRanOnce();
                assertSame(Thread.currentThread(), job.ranOn[0], parts + " parts, " + threads + " threads");
                assertTrue(job.threads.size() <= threads, job.threads.size() + " threads for a budget of " + threads);
                if (threads == 1) assertEquals(Set.of(Thread.currentThread()), job.threads);
            }
        }
        assertTrue(Workers.liveWorkers() >= 1, "helpers were started and are kept for the next call");
        assertTrue(Workers.spinMicros() > 0);
    }

    @Test
    void aCallInsideAPartGetsNoHelpersBeyondTheBudget() {
        // While a two-thread product runs, a product started from one of its parts counts that caller
        // against the same budget of 2, so it runs alone.
        Recording[] inner = new Recording[1];
        Workers.Job outer = part -> {
            if (part == 0) {
                inner[0] = new Recording(4);
                Workers.run(inner[0], 4, 2);
            }
        };
        Workers.run(outer, 2, 2);
        inner[0].assertEachPartRanOnce();
        assertEquals(Set.of(Thread.currentThread()), inner[0].threads);
    }

    @Test
    void aFailureInAWorkerComesBackToTheCallerAfterAllPartsFinished() {
        for (int threads : new int[] {1, 3}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            IllegalArgumentException boom = new IllegalArgumentException("part 2 failed");
            Workers.Job job = part -> {
                runs.incrementAndGet(part);
                if (part == 2) throw boom;
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workers.run(job, 4, threads));
            assertSame(boom, e);
            for (int p = 0; p < 4; p++) assertEquals(1, runs.get(p), "part " + p + " with " + threads + " threads");
        }
    }

    @Test
    void errorsAndCheckedExceptionsAreRethrown() {
        AssertionError error = new AssertionError("bad tile");
        AssertionError e = assertThrows(AssertionError.class,
                () -> Workers.run(part -> { if (part == 1) throw error; }, 3, 3));
        assertSame(error, e);
        Exception checked = new java.io.IOException("disk");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class,
                () -> Workers.run(part -> { if (part == 1) sneakyThrow(checked); }, 3, 3));
        assertEquals("Gemm.gemm: worker failed", wrapped.getMessage());
        assertSame(checked, wrapped.getCause());
        IllegalStateException onCaller = assertThrows(IllegalStateException.class,
                () -> Workers.run(part -> { if (part == 0) sneakyThrow(checked); }, 2, 1));
        assertSame(checked, onCaller.getCause());
    }

    @Test
    void theCallersOwnFailureWinsAndTheNextCallStartsClean() {
        RuntimeException mine = new RuntimeException("caller");
        RuntimeException e = assertThrows(RuntimeException.class, () -> Workers.run(part -> {
            if (part == 0) throw mine;
            if (part == 1) throw new RuntimeException("worker");
        }, 2, 2));
        assertSame(mine, e);
        Recording next = new Recording(3);
        Workers.run(next, 3, 2);
        next.assertEachPartRanOnce();
    }

    @Test
    void anInterruptedCallerStillWaitsForEveryPartAndKeepsTheInterrupt() {
        AtomicIntegerArray done = new AtomicIntegerArray(3);
        Workers.Job slow = part -> {
            if (part != 0) {
                long end = System.nanoTime() + 20_000_000L; // longer than the caller's spin
                while (System.nanoTime() < end) Thread.onSpinWait();
            }
            done.incrementAndGet(part);
        };
        Thread.currentThread().interrupt();
        try {
            Workers.run(slow, 3, 3);
            for (int p = 0; p < 3; p++) assertEquals(1, done.get(p), "part " + p);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void idleHelpersAreUsedUpToTheBudget() {
        // Nothing else runs a product now, so every helper a previous call started is idle again (a worker
        // marks itself idle before it reports its part done) or is started anew: a three-part product with
        // a budget of three threads is computed by three threads.
        for (int round = 0; round < 3; round++) {
            Recording job = new Recording(3);
            Workers.run(job, 3, 3);
            job.assertEachPartRanOnce();
            assertEquals(3, job.threads.size(), "round " + round);
            for (int p = 1; p < 3; p++) assertTrue(job.ranOn[p].getName().startsWith("wengert-gemm-"), job.ranOn[p].getName());
            for (int p = 1; p < 3; p++) assertTrue(job.ranOn[p].isDaemon(), "helpers never keep the JVM alive");
        }
        assertTrue(Workers.liveWorkers() >= 2);
    }
}
