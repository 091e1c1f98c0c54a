package dev.wengert.rnn.rtrl;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Runs {@code tasks} independent parts of a step on the common fork-join pool, part 0 on the calling
 * thread. The fast RTRL kernels split the columns of the influence matrix this way: parts write disjoint
 * columns, and each column is computed by the same code whatever the number of threads, so results are
 * bit-for-bit the same with 1 thread or many.
 */
final class Parallel {
    private Parallel() {}

    /** The default number of parts: one per available processor. */
    static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static void run(int tasks, IntConsumer part) {
        if (tasks <= 1) {
            part.accept(0);
            return;
        }
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] forks = new ForkJoinTask<?>[tasks - 1];
        ForkJoinPool pool = ForkJoinPool.commonPool();
        for (int i = 1; i < tasks; i++) {
            int id = i;
            forks[i - 1] = pool.submit(() -> part.accept(id));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> f : forks) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }
}
