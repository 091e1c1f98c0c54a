package dev.wengert.ops.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool of helper threads for split products: dedicated daemon threads that hand work over through a
 * volatile field and spin briefly before parking. Multi-threaded {@link Gemm} calls use the one shared
 * pool {@link #DEFAULT}; tests create pools of their own (fresh threads, short spin and idle times) and
 * {@link #shutdown} them.
 *
 * <p>Why not an executor: on the reference VM a {@code ThreadPoolExecutor} submit plus {@code Future.get}
 * costs tens of microseconds per hand-off (a park/unpark pair each way), as much as a 100³ product. Here a
 * worker that finished less than the pool's spin time ({@link KernelConfig#SPIN_NANOS} for the shared
 * pool) ago is still spinning ({@link Thread#onSpinWait}) and picks a new task up within about a
 * microsecond; the caller, after doing its own share, spins the same way for the workers' completion.
 * Only after that bounded spin does either side park, so an idle worker burns its core for at most that
 * long.
 *
 * <p>Concurrency: a caller claims idle workers with a CAS, without a lock, and never waits for a busy
 * one, so concurrent callers (or a gemm called from inside any pool, including RnnRtrl's) simply get
 * fewer helpers — down to none, when the product runs on the caller alone — and nothing can deadlock. A
 * worker never runs anything but a share of the product that claimed it. Workers that stay idle for the
 * pool's idle time ({@link KernelConfig#IDLE_EXIT_NANOS} for the shared pool) exit (releasing their
 * thread-local packing buffers); a later call starts new ones. Only starting new workers takes the
 * pool's lock.
 */
final class Workers {

    /** The pool behind multi-threaded {@link Gemm} calls; its threads are named {@code wengert-gemm-N}. */
    static final Workers DEFAULT = new Workers("wengert-gemm-", KernelConfig.SPIN_NANOS, KernelConfig.IDLE_EXIT_NANOS);

    /** Something a worker runs: part {@code part} of a split product. */
    interface Job {
        void run(int part);
    }

    private static final int IDLE = 0;
    private static final int CLAIMED = 1;
    private static final int DEAD = 2;

    /** Handed to an idle worker by {@link #shutdown}: the worker ends instead of running it. */
    private static final Job STOP = part -> { };

    private final String namePrefix;
    private final long spinNanos;
    private final long idleExitNanos;
    private final AtomicInteger threadIds = new AtomicInteger();

    /** Worker slots; grown (never shrunk) under the pool's lock, read without it. */
    private volatile Worker[] workers = new Worker[0];

    /** Callers currently inside {@link #run}: each is a thread computing a share of some product. */
    private final AtomicInteger activeCallers = new AtomicInteger();

    /**
     * @param namePrefix    the workers' thread names are this prefix followed by 1, 2, …
     * @param spinNanos     how long an idle worker, or a caller waiting for its workers, spins before parking
     * @param idleExitNanos how long a worker stays idle before it exits
     */
    Workers(String namePrefix, long spinNanos, long idleExitNanos) {
        this.namePrefix = namePrefix;
        this.spinNanos = spinNanos;
        this.idleExitNanos = idleExitNanos;
    }

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
        /** Set while a call of the owner uses this state (read and written by the owner only). */
        boolean inUse;
    }

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    final class Worker extends Thread {
        final AtomicInteger state = new AtomicInteger(CLAIMED);
        volatile Job job;
        volatile int part;
        volatile Call call;
        volatile boolean parked;

        Worker() {
            super(namePrefix + threadIds.incrementAndGet());
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Job j = awaitJob();
                if (j == null) {
                    return; // exited after a long idle period
                }
                if (j == STOP) {
                    state.set(DEAD);
                    return;
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
                if (spinning(start)) {
                    continue;
                }
                if (System.nanoTime() - start >= idleExitNanos && state.compareAndSet(IDLE, DEAD)) {
                    return null;
                }
                parked = true;
                if (job == null) {
                    LockSupport.parkNanos(this, idleExitNanos);
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

    /**
     * Runs {@code job.run(0..parts-1)}, part 0 on the calling thread and the others on idle workers
     * (claimed for this call; parts for which no worker is idle also run on the caller), and returns
     * when every part has finished, even if the caller is interrupted meanwhile (the parts write into the
     * caller's arrays, which must not change after return). The first failure is rethrown.
     *
     * <p>At most {@code threads} threads compute at once counting the other callers that are inside this
     * method of this pool at the same moment: when an application already runs gemm calls on several
     * threads of its own (RnnRtrl's panels, say), they get no helpers and the machine is not
     * oversubscribed. The parts are computed the same way wherever they run, so this only changes the
     * speed. A part may itself call this method (it then counts as one more caller). A single part is no
     * split: it runs on the caller directly and does not count as a caller.
     *
     * @param threads the configured thread count (the caller plus at most threads − 1 workers)
     */
    void run(Job job, int parts, int threads) {
        if (parts <= 1) {
            job.run(0);
            return;
        }
        int others = activeCallers.getAndIncrement();
        try {
            runClaimed(job, parts, Math.min(parts, threads - others) - 1);
        } finally {
            activeCallers.decrementAndGet();
        }
    }

    private void runClaimed(Job job, int parts, int maxWorkers) {
        Call call = CALLS.get();
        if (call.inUse) {
            // A part of this thread's own call started another one: the outer call's workers still
            // report to its state.
            call = new Call();
        }
        int helpers = claim(maxWorkers, call.claimed);
        call.inUse = true;
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
        await(call); // returns at once if there are no helpers
        if (failure == null) {
            failure = call.failure;
        }
        call.failure = null;
        call.inUse = false;
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
    private void await(Call call) {
        long start = System.nanoTime();
        while (call.pending.get() != 0) {
            if (spinning(start)) {
                continue;
            }
            call.ownerParked = true;
            boolean interrupted = false;
            while (call.pending.get() != 0) {
                LockSupport.park(this);
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

    /**
     * One step of the spin that both sides do before parking (a worker waiting for a job, a caller waiting
     * for its workers): returns true, after a spin-wait hint, while less than the spin time has passed
     * since {@code start}.
     */
    private boolean spinning(long start) {
        if (System.nanoTime() - start < spinNanos) {
            Thread.onSpinWait();
            return true;
        }
        return false;
    }

    /**
     * Claims up to {@code wanted} idle workers into {@code out} (with a CAS each, no lock), starting new
     * ones as needed; returns how many.
     */
    private int claim(int wanted, Worker[] out) {
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
     * Starts new workers, already claimed for the caller, in empty or dead slots (adding slots when there
     * are none) until there are {@code wanted} live workers in all; returns how many the caller now has.
     */
    private synchronized int grow(int wanted, int got, Worker[] out) {
        Worker[] ws = workers;
        int live = 0;
        for (Worker w : ws) {
            if (w != null && w.state.get() != DEAD) {
                live++;
            }
        }
        // Only as many workers in all as any caller asked for: concurrent callers that find them all busy
        // run their shares themselves rather than multiply threads. The workers this caller claimed are
        // live, so room <= wanted - got.
        int room = wanted - live;
        for (int i = 0; room > 0; i++) {
            if (i == ws.length) {
                ws = java.util.Arrays.copyOf(ws, ws.length + room);
            }
            if (ws[i] == null || ws[i].state.get() == DEAD) {
                ws[i] = newWorker();
                out[got++] = ws[i];
                room--;
            }
        }
        workers = ws;
        return got;
    }

    private Worker newWorker() {
        Worker w = new Worker(); // starts CLAIMED
        w.start();
        return w;
    }

    /** Number of live worker threads (for tests). */
    int liveWorkers() {
        int n = 0;
        for (Worker w : workers) {
            if (w != null && w.isAlive() && w.state.get() != DEAD) {
                n++;
            }
        }
        return n;
    }

    /** Number of worker slots, live or not (for tests: dead workers' slots are reused, not added to). */
    int slots() {
        return workers.length;
    }

    /**
     * Ends this pool's idle workers and waits until their threads have ended (for tests: the shared pool
     * is never shut down). Call it when no call of this pool is running. A later call starts new workers.
     */
    void shutdown() throws InterruptedException {
        Worker[] ws = workers;
        for (Worker w : ws) {
            if (w != null && w.state.compareAndSet(IDLE, CLAIMED)) {
                w.start(STOP, 0, null);
            }
        }
        for (Worker w : ws) {
            if (w != null) {
                w.join();
            }
        }
    }
}
