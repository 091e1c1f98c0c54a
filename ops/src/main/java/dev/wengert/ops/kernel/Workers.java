package dev.wengert.ops.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads behind multi-threaded {@link Gemm} calls: dedicated daemon threads that hand work
 * over through a volatile field and spin briefly before parking.
 *
 * <p>Why not an executor: on the reference VM a {@code ThreadPoolExecutor} submit plus {@code Future.get}
 * costs tens of microseconds per hand-off (a park/unpark pair each way), as much as a 100³ product. Here a
 * worker that finished less than {@link KernelConfig#SPIN_NANOS} ago is still spinning
 * ({@link Thread#onSpinWait}) and picks a new task up within about a microsecond; the caller, after doing
 * its own share, spins the same way for the workers' completion. Only after that bounded spin does
 * either side park, so an idle worker burns its core for at most that long.
 *
 * <p>Concurrency: a caller claims idle workers with a CAS and never waits for a busy one, so concurrent
 * callers (or a gemm called from inside any pool, including RnnRtrl's) simply get fewer helpers — down to
 * none, when the product runs on the caller alone — and nothing can deadlock. A worker never runs
 * anything but a share of the product that claimed it. Workers that stay idle for
 * {@link KernelConfig#IDLE_EXIT_NANOS} exit (releasing their thread-local packing buffers); a later call
 * starts new ones.
 */
final class Workers {

    private Workers() {
    }

    /** Something a worker runs: part {@code part} of a split product. */
    interface Job {
        void run(int part);
    }

    private static final int IDLE = 0;
    private static final int CLAIMED = 1;
    private static final int DEAD = 2;

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Worker slots; grown (never shrunk) under the class lock, read without it. */
    private static volatile Worker[] workers = new Worker[0];

    /**
     * The completion state of one split call, owned by the calling thread and reused by its later calls
     * (so a steady stream of calls allocates nothing).
     */
    static final class Call {
        final Thread owner = Thread.currentThread();
        final AtomicInteger pending = new AtomicInteger();
        volatile boolean ownerParked;
        volatile Throwable failure;
        final Worker[] claimed = new Worker[64];
    }

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    static final class Worker extends Thread {
        final AtomicInteger state = new AtomicInteger(CLAIMED);
        volatile Job job;
        volatile int part;
        volatile Call call;
        volatile boolean parked;

        Worker() {
            super("wengert-gemm-" + THREAD_IDS.incrementAndGet());
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Job j = awaitJob();
                if (j == null) {
                    return; // exited after a long idle period
                }
                Call c = call;
                int pt = part;
                job = null;
                call = null;
                try {
                    j.run(pt);
                } catch (Throwable t) {
                    if (c.failure == null) {
                        c.failure = t;
                    }
                }
                state.set(IDLE);
                if (c.pending.decrementAndGet() == 0 && c.ownerParked) {
                    LockSupport.unpark(c.owner);
                }
            }
        }

        /** Waits for a job: spins, then parks; returns null if it retired after a long idle time. */
        private Job awaitJob() {
            long start = System.nanoTime();
            Job j;
            while ((j = job) == null) {
                long idle = System.nanoTime() - start;
                if (idle < KernelConfig.SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (idle >= KernelConfig.IDLE_EXIT_NANOS && state.compareAndSet(IDLE, DEAD)) {
                    return null;
                }
                parked = true;
                if (job == null) {
                    LockSupport.parkNanos(this, KernelConfig.IDLE_EXIT_NANOS);
                }
                parked = false;
            }
            return j;
        }

        /** Hands a job to this (claimed) worker. */
        void start(Job j, int p, Call c) {
            part = p;
            call = c;
            job = j; // volatile write publishes part and call
            if (parked) {
                LockSupport.unpark(this);
            }
        }
    }

    /** Callers currently inside {@link #run}: each is a thread computing a share of some product. */
    private static final AtomicInteger ACTIVE_CALLERS = new AtomicInteger();

    /**
     * Runs {@code job.run(0..parts-1)}, part 0 on the calling thread and the others on idle workers
     * (claimed for this call; parts for which no worker is idle also run on the caller), and returns
     * when every part has finished, even if the caller is interrupted meanwhile (the parts write into the
     * caller's arrays, which must not change after return). The first failure is rethrown.
     *
     * <p>At most {@code threads} threads compute at once counting the other callers that are inside this
     * method at the same moment: when an application already runs gemm calls on several threads of its
     * own (RnnRtrl's panels, say), they get no helpers and the machine is not oversubscribed. The parts
     * are computed the same way wherever they run, so this only changes the speed.
     *
     * @param threads the configured thread count (the caller plus at most threads − 1 workers)
     */
    static void run(Job job, int parts, int threads) {
        if (parts <= 1) {
            job.run(0);
            return;
        }
        int others = ACTIVE_CALLERS.getAndIncrement();
        try {
            runClaimed(job, parts, Math.min(parts, threads - others) - 1);
        } finally {
            ACTIVE_CALLERS.decrementAndGet();
        }
    }

    private static void runClaimed(Job job, int parts, int maxWorkers) {
        Call call = CALLS.get();
        int helpers = maxWorkers <= 0 ? 0 : claim(maxWorkers, call.claimed);
        call.failure = null;
        call.ownerParked = false;
        call.pending.set(helpers);
        // Parts 1..helpers go to the workers; part 0 and any unclaimed parts run here.
        for (int w = 0; w < helpers; w++) {
            Worker wk = call.claimed[w];
            call.claimed[w] = null;
            wk.start(job, w + 1, call);
        }
        Throwable failure = null;
        for (int p = 0; p < parts; p = (p == 0) ? helpers + 1 : p + 1) {
            try {
                job.run(p);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (helpers > 0) {
            await(call);
            if (failure == null) {
                failure = call.failure;
            }
            call.failure = null;
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException("Gemm.gemm: worker failed", failure);
        }
    }

    /** Spins, then parks, until every worker of the call is done; ignores (but keeps) interrupts. */
    private static void await(Call call) {
        long start = System.nanoTime();
        while (call.pending.get() != 0) {
            if (System.nanoTime() - start < KernelConfig.SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            call.ownerParked = true;
            boolean interrupted = false;
            while (call.pending.get() != 0) {
                LockSupport.park(Workers.class);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            call.ownerParked = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Claims up to {@code wanted} idle workers into {@code out}, starting new ones as needed; returns how many. */
    private static int claim(int wanted, Worker[] out) {
        wanted = Math.min(wanted, out.length);
        int got = 0;
        Worker[] ws = workers;
        for (int i = 0; i < ws.length && got < wanted; i++) {
            Worker w = ws[i];
            if (w != null && w.state.get() == IDLE && w.state.compareAndSet(IDLE, CLAIMED)) {
                out[got++] = w;
            }
        }
        if (got < wanted) {
            got = grow(wanted, got, out);
        }
        return got;
    }

    /**
     * Fills empty or dead slots (and adds slots, up to {@code wanted} live workers in all) with new workers,
     * already claimed for the caller.
     */
    private static synchronized int grow(int wanted, int got, Worker[] out) {
        Worker[] ws = workers;
        int live = 0;
        for (Worker w : ws) {
            if (w != null && w.state.get() != DEAD) {
                live++;
            }
        }
        // Only as many workers in all as any caller asked for: concurrent callers that find them all busy
        // run their shares themselves rather than multiply threads.
        int room = Math.max(0, wanted - live);
        for (int i = 0; i < ws.length && got < wanted && room > 0; i++) {
            if (ws[i] == null || ws[i].state.get() == DEAD) {
                ws[i] = newWorker();
                out[got++] = ws[i];
                room--;
            }
        }
        if (got < wanted && room > 0) {
            Worker[] grown = java.util.Arrays.copyOf(ws, ws.length + room);
            for (int i = ws.length; i < grown.length && got < wanted; i++) {
                grown[i] = newWorker();
                out[got++] = grown[i];
            }
            workers = grown;
        }
        return got;
    }

    private static Worker newWorker() {
        Worker w = new Worker(); // starts CLAIMED
        w.start();
        return w;
    }

    /** Number of live worker threads (for tests). */
    static int liveWorkers() {
        int n = 0;
        for (Worker w : workers) {
            if (w != null && w.isAlive() && w.state.get() != DEAD) {
                n++;
            }
        }
        return n;
    }

    static long spinMicros() {
        return TimeUnit.NANOSECONDS.toMicros(KernelConfig.SPIN_NANOS);
    }
}
