package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The hand-off behind threaded products: every part runs exactly once, part 0 on the caller, nothing
 * more than the thread budget computes at once, failures come back to the caller, concurrent and nested
 * callers neither deadlock nor disturb each other, idle workers are reused, park and retire, and an
 * interrupt neither cuts a product short nor gets lost.
 *
 * <p>Each test runs on pools of its own (fresh threads, chosen spin and idle times), shut down
 * afterwards; {@link Workers#DEFAULT}, which Gemm uses, is only checked for its thread names. Every test
 * runs under a timeout, so a hand-off that loses a wake-up fails the test instead of hanging the build.
 * Nothing waits for a time to pass and then asserts what happened: the tests wait for thread states and
 * latches.
 */
class WorkersTest {

    /**
     * Each test takes well under a second; a hand-off that loses a wake-up fails by this timeout, before
     * PIT's own (8 s at least) would stop the whole minion.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(6);
    /** Never reached during a test. */
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    /** A spin long enough that a worker or caller never parks during a test, short enough to retire a pool's threads soon. */
    private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(20);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final List<Workers> pools = new ArrayList<>();

    private Workers pool(long spinNanos, long idleExitNanos) {
        Workers p = new Workers("wengert-test-" + POOL_IDS.incrementAndGet() + "-", spinNanos, idleExitNanos);
        pools.add(p);
        return p;
    }

    @AfterEach
    void shutDownPools() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            for (Workers p : pools) {
                p.shutdown();
                assertEquals(0, p.liveWorkers());
            }
        });
    }

    private static void timed(Executable body) {
        assertTimeoutPreemptively(TIMEOUT, body);
    }

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

        Set<Thread> helpers() {
            Set<Thread> h = new HashSet<>(threads);
            h.remove(ranOn[0]);
            return h;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** Waits (under the test's timeout) until {@code t} is in one of {@code states}; returns the state seen. */
    private static Thread.State awaitState(Thread t, Thread.State... states) {
        while (true) {
            Thread.State s = t.getState();
            for (Thread.State want : states) if (s == want) return s;
            Thread.yield();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "latch");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Which parts run where

    @Test
    void aSinglePartRunsOnTheCallerAndIsNotCountedAsACaller() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            Recording inner = new Recording(2);
            Thread[] outerOn = new Thread[1];
            // A one-part "product" is no split: a product started inside it has the whole budget.
            p.run(part -> {
                outerOn[0] = Thread.currentThread();
                p.run(inner, 2, 2);
            }, 1, 4);
            assertSame(Thread.currentThread(), outerOn[0]);
            inner.assertEachPartRanOnce();
            assertEquals(2, inner.threads.size(), "the inner product got its helper");
            assertEquals(1, p.liveWorkers());
        });
    }

    private void everyPartRunsOnceOnExactlyTheBudget(Workers p) {
        Thread me = Thread.currentThread();
        for (int parts : new int[] {2, 3, 5, 9}) {
            for (int threads : new int[] {1, 2, 3, 4}) {
                String what = parts + " parts, " + threads + " threads";
                Recording job = new Recording(parts);
                p.run(job, parts, threads);
                job.assertEachPartRanOnce();
                // No other caller: the workers of the last call are idle again (a worker marks itself idle
                // before it reports its part done), so the call gets exactly the helpers it may have.
                int helpers = Math.min(parts, threads) - 1;
                assertEquals(helpers + 1, job.threads.size(), what);
                assertSame(me, job.ranOn[0], what);
                for (int q = 1; q <= helpers; q++) assertNotEquals(me, job.ranOn[q], what + ", part " + q);
                for (int q = helpers + 1; q < parts; q++) assertSame(me, job.ranOn[q], what + ", part " + q);
            }
        }
        // Never more workers than one call asked for, and the same ones were reused throughout.
        assertEquals(3, p.liveWorkers());
        assertEquals(3, p.slots());
    }

    @Test
    void everyPartRunsOnceAndTheCallerRunsTheUnclaimedPartsWithParkingWorkers() {
        timed(() -> everyPartRunsOnceOnExactlyTheBudget(pool(0, HOUR)));
    }

    @Test
    void everyPartRunsOnceAndTheCallerRunsTheUnclaimedPartsWithSpinningWorkers() {
        timed(() -> everyPartRunsOnceOnExactlyTheBudget(pool(LONG_SPIN, HOUR)));
    }

    @Test
    void idleWorkersAreReusedAndClaimedOnlyUpToTheBudget() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            Recording first = new Recording(4);
            p.run(first, 4, 4);
            Set<Thread> workers = first.helpers();
            assertEquals(3, workers.size());
            Set<String> names = new HashSet<>();
            for (Thread t : workers) {
                names.add(t.getName().substring(t.getName().lastIndexOf('-') + 1));
                assertTrue(t.isDaemon(), "workers never keep the JVM alive");
            }
            assertEquals(Set.of("1", "2", "3"), names, "three threads started, numbered from 1");

            // Three idle workers, one wanted: one is claimed, and no thread is started.
            Recording second = new Recording(2);
            p.run(second, 2, 2);
            second.assertEachPartRanOnce();
            assertEquals(1, second.helpers().size());
            assertTrue(workers.containsAll(second.helpers()));
            assertEquals(3, p.liveWorkers());

            // All three again, the very same threads: the claimed worker returned to idle.
            Recording third = new Recording(9);
            p.run(third, 9, 4);
            third.assertEachPartRanOnce();
            assertEquals(workers, third.helpers());
            assertEquals(3, p.liveWorkers());
        });
    }

    @Test
    void claimingIdleWorkersTakesNoLock() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            p.run(new Recording(3), 3, 3);
            Recording job = new Recording(3);
            Thread caller = new Thread(() -> p.run(job, 3, 3), "caller");
            // Only starting new workers takes the pool's lock: with two idle workers, a call completes
            // while another thread holds that lock.
            synchronized (p) {
                caller.start();
                caller.join();
            }
            job.assertEachPartRanOnce();
            assertEquals(3, job.threads.size());
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Failures

    @Test
    void aFailureInAWorkerComesBackToTheCallerAfterAllPartsFinishedAndThePoolStaysUsable() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            for (int threads : new int[] {1, 3}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(4);
                IllegalArgumentException boom = new IllegalArgumentException("part 2 failed");
                Workers.Job job = part -> {
                    runs.incrementAndGet(part);
                    if (part == 2) throw boom;
                };
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.run(job, 4, threads));
                assertSame(boom, e);
                for (int q = 0; q < 4; q++) assertEquals(1, runs.get(q), "part " + q + " with " + threads + " threads");
            }
            // The worker that failed is idle again: the next call gets both workers, nothing new is started.
            Recording next = new Recording(3);
            p.run(next, 3, 3);
            next.assertEachPartRanOnce();
            assertEquals(3, next.threads.size());
            assertEquals(2, p.liveWorkers());
        });
    }

    @Test
    void errorsAndCheckedExceptionsAreRethrown() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            AssertionError error = new AssertionError("bad tile");
            AssertionError e = assertThrows(AssertionError.class,
                    () -> p.run(part -> { if (part == 1) throw error; }, 3, 3));
            assertSame(error, e);
            Exception checked = new java.io.IOException("disk");
            IllegalStateException wrapped = assertThrows(IllegalStateException.class,
                    () -> p.run(part -> { if (part == 1) sneakyThrow(checked); }, 3, 3));
            assertEquals("Gemm.gemm: worker failed", wrapped.getMessage());
            assertSame(checked, wrapped.getCause());
            IllegalStateException onCaller = assertThrows(IllegalStateException.class,
                    () -> p.run(part -> { if (part == 0) sneakyThrow(checked); }, 2, 1));
            assertSame(checked, onCaller.getCause());
            Error callerError = new StackOverflowError();
            assertSame(callerError, assertThrows(StackOverflowError.class,
                    () -> p.run(part -> { if (part == 2) throw callerError; }, 3, 2)));
        });
    }

    @Test
    void theCallersOwnFailureWinsAndTheNextCallStartsClean() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            RuntimeException mine = new RuntimeException("caller");
            CountDownLatch workerFailed = new CountDownLatch(1);
            RuntimeException e = assertThrows(RuntimeException.class, () -> p.run(part -> {
                if (part == 0) {
                    await(workerFailed); // the worker's failure is recorded first
                    throw mine;
                }
                if (part == 1) {
                    workerFailed.countDown();
                    throw new RuntimeException("worker");
                }
            }, 2, 2));
            assertSame(mine, e);
            // The caller's first failure wins over its later ones too.
            RuntimeException firstOfCaller = new RuntimeException("part 0");
            assertSame(firstOfCaller, assertThrows(RuntimeException.class, () -> p.run(part -> {
                if (part == 0) throw firstOfCaller;
                throw new RuntimeException("part " + part);
            }, 4, 2)));
            // No failure is left behind for the next call.
            Recording next = new Recording(3);
            p.run(next, 3, 2);
            next.assertEachPartRanOnce();
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Concurrent and nested callers

    @Test
    void concurrentCallersNeverWaitForBusyWorkersAndGetNoMoreThanTheirShare() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            CountDownLatch aWorkersBusy = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            Recording a = new Recording(3);
            AtomicReference<Throwable> aFailed = new AtomicReference<>();
            Thread callerA = new Thread(() -> {
                try {
                    p.run(part -> {
                        a.run(part);
                        if (part != 0) aWorkersBusy.countDown();
                        await(release);
                    }, 3, 3);
                } catch (Throwable t) {
                    aFailed.set(t);
                }
            }, "caller A");
            callerA.start();
            await(aWorkersBusy);
            assertEquals(2, p.liveWorkers());

            // B's budget of 4 counts A as a thread: 2 helpers at most, and the only workers that may exist
            // (2, as many as any caller asked for) are busy, so B computes alone.
            Recording b = new Recording(4);
            p.run(b, 4, 4);
            b.assertEachPartRanOnce();
            assertEquals(Set.of(Thread.currentThread()), b.threads);
            assertEquals(2, p.liveWorkers());

            // With a budget of 6 (4 helpers), B gets 2 new workers next to A's busy ones.
            Recording c = new Recording(6);
            p.run(c, 6, 6);
            c.assertEachPartRanOnce();
            assertEquals(3, c.threads.size());
            assertTrue(java.util.Collections.disjoint(c.threads, a.threads));
            assertEquals(4, p.liveWorkers());
            assertEquals(4, p.slots());

            release.countDown();
            callerA.join();
            assertNull(aFailed.get());
            a.assertEachPartRanOnce();
            assertEquals(3, a.threads.size());

            // All four are idle now: a budget of 5 uses them all and starts none.
            Recording d = new Recording(5);
            p.run(d, 5, 5);
            d.assertEachPartRanOnce();
            assertEquals(5, d.threads.size());
            assertEquals(4, p.liveWorkers());
        });
    }

    @Test
    void manyConcurrentCallersAllFinishWithinTheBudget() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            int callers = 4;
            int rounds = 50;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostRunning = new AtomicInteger();
            for (int c = 0; c < callers; c++) {
                Thread t = new Thread(() -> {
                    try {
                        await(go);
                        for (int r = 0; r < rounds; r++) {
                            Recording job = new Recording(5);
                            p.run(part -> {
                                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                                job.run(part);
                                running.decrementAndGet();
                            }, 5, 3);
                            job.assertEachPartRanOnce();
                        }
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }, "caller " + c);
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : threads) t.join();
            assertNull(failed.get());
            // No call asked for more than 2 helpers, so no more than 2 workers ever exist: besides the
            // callers themselves, at most 2 threads compute at once.
            assertTrue(mostRunning.get() <= callers + 2, mostRunning.get() + " parts at once");
            assertTrue(p.liveWorkers() <= 2, p.liveWorkers() + " workers");
            assertTrue(p.slots() <= 2, p.slots() + " slots");
        });
    }

    @Test
    void aCallInsideAPartGetsNoHelpersBeyondTheBudget() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            // While a two-thread product runs, a product started from one of its parts counts that caller
            // against the same budget of 2, so it runs alone.
            Recording[] inner = new Recording[1];
            p.run(part -> {
                if (part == 0) {
                    inner[0] = new Recording(4);
                    p.run(inner[0], 4, 2);
                }
            }, 2, 2);
            inner[0].assertEachPartRanOnce();
            assertEquals(Set.of(Thread.currentThread()), inner[0].threads);
        });
    }

    private void aCallInsidePartZeroLeavesTheOuterCallIntact(int innerThreads, int innerHelpers) {
        Workers p = pool(0, HOUR);
        CountDownLatch innerDone = new CountDownLatch(1);
        Recording outer = new Recording(2);
        Recording inner = new Recording(3);
        RuntimeException late = new RuntimeException("outer worker");
        // The outer worker is still busy while the inner call starts, runs and returns on the caller.
        RuntimeException e = assertThrows(RuntimeException.class, () -> p.run(part -> {
            outer.run(part);
            if (part == 0) {
                p.run(inner, 3, innerThreads);
                innerDone.countDown();
            } else {
                await(innerDone);
                throw late;
            }
        }, 2, 3));
        assertSame(late, e, "the outer worker's failure is not lost to the inner call");
        outer.assertEachPartRanOnce();
        inner.assertEachPartRanOnce();
        assertEquals(innerHelpers + 1, inner.threads.size());
        assertFalse(inner.threads.contains(outer.ranOn[1]));
        Recording next = new Recording(3);
        p.run(next, 3, 3);
        next.assertEachPartRanOnce();
    }

    @Test
    void aCallWithoutHelpersInsidePartZeroLeavesTheOuterCallIntact() {
        timed(() -> aCallInsidePartZeroLeavesTheOuterCallIntact(2, 0));
    }

    @Test
    void aCallWithHelpersInsidePartZeroLeavesTheOuterCallIntact() {
        timed(() -> aCallInsidePartZeroLeavesTheOuterCallIntact(5, 1));
    }

    // ---------------------------------------------------------------------------------------------------
    // Spinning, parking, retiring

    @Test
    void aParkedWorkerIsWokenForTheNextCall() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            Recording first = new Recording(3);
            p.run(first, 3, 3);
            for (Thread w : first.helpers()) {
                // With no spin, an idle worker parks (and does not retire before its idle time).
                assertEquals(Thread.State.TIMED_WAITING,
                        awaitState(w, Thread.State.TIMED_WAITING, Thread.State.TERMINATED), w.getName());
            }
            Recording second = new Recording(3);
            p.run(second, 3, 3);
            second.assertEachPartRanOnce();
            assertEquals(first.helpers(), second.helpers());
        });
    }

    @Test
    void aCallerWaitingForItsWorkersParksAndIsWoken() {
        timed(() -> {
            Workers p = pool(0, HOUR);
            for (int round = 0; round < 3; round++) {
                Thread caller = Thread.currentThread();
                Recording job = new Recording(3);
                p.run(part -> {
                    if (part == 2) awaitState(caller, Thread.State.WAITING); // the caller has parked
                    job.run(part);
                }, 3, 3);
                job.assertEachPartRanOnce();
            }
        });
    }

    @Test
    void aSpinningWorkerAndCallerHandOverWithoutParking() {
        timed(() -> {
            // Idle exit after 1 ns, but a worker retires (or parks) only after its spin: 20 s.
            Workers p = pool(LONG_SPIN, 1);
            Thread caller = Thread.currentThread();
            Recording first = new Recording(2);
            p.run(part -> {
                if (part == 1) {
                    // The caller, waiting for this part, spins too.
                    long end = System.nanoTime() + 20_000_000L;
                    while (System.nanoTime() < end) {
                        assertNotEquals(Thread.State.WAITING, caller.getState());
                        Thread.onSpinWait();
                    }
                }
                first.run(part);
            }, 2, 2);
            first.assertEachPartRanOnce();
            Thread worker = first.ranOn[1];
            long end = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < end) {
                Thread.State s = worker.getState();
                assertTrue(s == Thread.State.RUNNABLE, "an idle worker spins: " + s);
                Thread.yield();
            }
            Recording second = new Recording(2);
            p.run(second, 2, 2);
            second.assertEachPartRanOnce();
            assertSame(worker, second.ranOn[1]);
            assertEquals(1, p.liveWorkers());
        });
    }

    @Test
    void idleWorkersExitAndALaterCallStartsNewOnesInTheirSlots() {
        timed(() -> {
            Workers p = pool(0, TimeUnit.MILLISECONDS.toNanos(20));
            Set<Thread> seen = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                Recording job = new Recording(3);
                p.run(job, 3, 3);
                job.assertEachPartRanOnce();
                Set<Thread> helpers = job.helpers();
                assertEquals(2, helpers.size());
                assertTrue(java.util.Collections.disjoint(seen, helpers), "new threads after the old ones exited");
                seen.addAll(helpers);
                for (Thread w : helpers) w.join();
                assertEquals(0, p.liveWorkers());
                assertEquals(2, p.slots(), "dead workers' slots are reused");
            }
        });
    }

    @Test
    void deadSlotsAreRefilledOnlyUpToTheWorkersAnyCallerAskedFor() {
        timed(() -> {
            Workers p = pool(0, TimeUnit.MILLISECONDS.toNanos(20));
            Recording first = new Recording(4);
            p.run(first, 4, 4);
            for (Thread w : first.helpers()) w.join();
            assertEquals(3, p.slots());
            // A takes one new worker (in a dead slot) and keeps it busy.
            CountDownLatch aBusy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Recording a = new Recording(2);
            Thread callerA = new Thread(() -> p.run(part -> {
                a.run(part);
                if (part == 1) {
                    aBusy.countDown();
                    await(release);
                }
            }, 2, 2), "caller A");
            callerA.start();
            await(aBusy);
            // B may have 2 helpers, but no caller asked for more than 2 workers: B gets one new worker,
            // in the second dead slot, and the third slot stays empty.
            Recording b = new Recording(4);
            p.run(b, 4, 4);
            b.assertEachPartRanOnce();
            assertEquals(2, b.threads.size());
            assertTrue(p.liveWorkers() <= 2);
            assertEquals(3, p.slots());
            release.countDown();
            callerA.join();
            a.assertEachPartRanOnce();
        });
    }

    @Test
    void workersRetiringWhileCallsClaimThemNeverLoseAPart() {
        timed(() -> {
            // Idle exit at once: every worker races to retire against the next call's claim.
            Workers p = pool(0, 0);
            for (int round = 0; round < 100; round++) {
                Recording job = new Recording(3);
                p.run(job, 3, 3);
                job.assertEachPartRanOnce();
            }
            assertTrue(p.liveWorkers() <= 2);
            assertTrue(p.slots() <= 2);
        });
    }

    @Test
    void anInterruptedCallerStillWaitsForEveryPartAndKeepsTheInterrupt() {
        timed(() -> {
            for (long spin : new long[] {0, LONG_SPIN}) {
                Workers p = pool(spin, HOUR);
                Thread caller = Thread.currentThread();
                AtomicIntegerArray done = new AtomicIntegerArray(3);
                CountDownLatch partZeroDone = new CountDownLatch(1);
                Workers.Job slow = part -> {
                    if (part == 0) {
                        Thread.currentThread().interrupt();
                        partZeroDone.countDown();
                    } else {
                        await(partZeroDone);
                        if (spin == 0) awaitState(caller, Thread.State.WAITING); // parked despite the interrupt
                    }
                    done.incrementAndGet(part);
                };
                try {
                    p.run(slow, 3, 3);
                    for (int q = 0; q < 3; q++) assertEquals(1, done.get(q), "part " + q);
                    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
                } finally {
                    Thread.interrupted();
                }
            }
        });
    }

    @Test
    void shutdownEndsTheWorkersAndALaterCallStartsNewOnes() {
        timed(() -> {
            for (long spin : new long[] {0, LONG_SPIN}) {
                Workers p = pool(spin, HOUR);
                Recording first = new Recording(3);
                p.run(first, 3, 3);
                p.shutdown();
                for (Thread w : first.helpers()) assertFalse(w.isAlive(), w.getName());
                assertEquals(0, p.liveWorkers());
                Recording second = new Recording(3);
                p.run(second, 3, 3);
                second.assertEachPartRanOnce();
                assertEquals(3, second.threads.size());
                assertTrue(java.util.Collections.disjoint(first.helpers(), second.helpers()));
                assertEquals(2, p.liveWorkers());
            }
        });
    }

    @Test
    void theSharedPoolRunsGemmsPartsOnDaemonThreadsNamedForGemm() {
        timed(() -> {
            Recording job = new Recording(3);
            Workers.DEFAULT.run(job, 3, 3);
            job.assertEachPartRanOnce();
            assertSame(Thread.currentThread(), job.ranOn[0]);
            for (Thread t : job.helpers()) {
                assertTrue(t.getName().startsWith("wengert-gemm-"), t.getName());
                assertTrue(t.isDaemon());
            }
        });
    }
}
