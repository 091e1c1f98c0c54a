package dev.wengert.ops.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small pool of daemon threads behind multi-threaded {@link Gemm} calls. A fixed pool rather than the
 * common ForkJoinPool so that gemm neither competes with nor blocks user tasks there, and so the calling
 * thread can do a share of the work itself instead of just waiting.
 */
final class Workers {

    private Workers() {
    }

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static ThreadPoolExecutor pool;

    /** A pool with at least {@code workers} threads, created or grown on demand. */
    private static synchronized ThreadPoolExecutor pool(int workers) {
        if (pool == null || pool.getMaximumPoolSize() < workers) {
            ThreadPoolExecutor old = pool;
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "wengert-gemm-" + THREAD_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor p = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory);
            // Idle workers exit (releasing their thread-local packing buffers) after a minute.
            p.allowCoreThreadTimeOut(true);
            pool = p;
            if (old != null) {
                old.shutdown();
            }
        }
        return pool;
    }

    /**
     * Runs all tasks, {@code tasks[0]} on the calling thread and the others on the pool, and returns when
     * every one has finished (even if the caller is interrupted meanwhile: the tasks write into the
     * caller's arrays, which must not change after return). The first failure is rethrown.
     */
    static void runAll(Runnable[] tasks) {
        if (tasks.length == 1) {
            tasks[0].run();
            return;
        }
        ThreadPoolExecutor executor = pool(tasks.length - 1);
        Future<?>[] futures = new Future<?>[tasks.length - 1];
        for (int t = 1; t < tasks.length; t++) {
            try {
                futures[t - 1] = executor.submit(tasks[t]);
            } catch (RejectedExecutionException e) {
                // The pool was just replaced by a larger one (concurrent setThreads): run it here.
                tasks[t].run();
            }
        }
        Throwable failure = null;
        try {
            tasks[0].run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            if (f == null) {
                continue;
            }
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
}
