package dev.wengert.spark;

import java.io.Serializable;

/**
 * What one partition sends back from a round, and what the aggregation adds up. In synchronous training
 * {@code vector} is the partition's share of the global batch's mean gradient, {@code (n_p / N) ∇ mean_p}; in
 * parameter averaging it is the partition's parameters after its local steps times its example count. An empty
 * contribution (a partition without examples in the round) has a null vector and is the identity of {@link #merge}.
 */
final class Contribution implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The summed vector, or null when empty. */
    double[] vector;
    /** Sync: the share of the mean loss; averaging: Σ loss × examples over the local steps. */
    double loss;
    /** The number of examples behind it. */
    long count;
    /** The weighted optimiser state (averaging only), flattened in {@code Optimizer.state()} order; else null. */
    double[] optimizerState;
    /** The largest optimiser step count among the partitions (averaging only). */
    double maxOptimizerStep;
    /** The buffers (batch norm's running statistics) of the lowest-numbered partition with examples, or null. */
    double[] buffers;
    /** That partition's number. */
    int bufferPartition = Integer.MAX_VALUE;
    /** The longest forward and backward time of a task, for the overhead figures. */
    long computeNanos;

    boolean isEmpty() {
        return vector == null;
    }

    /** Adds {@code b} into {@code a} (in place) and returns the sum; either may be empty. */
    static Contribution merge(Contribution a, Contribution b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        if (a.vector.length != b.vector.length) {
            throw new IllegalStateException("aggregate: contributions of " + a.vector.length + " and " + b.vector.length
                    + " doubles (different models on different executors?)");
        }
        double[] x = a.vector;
        double[] y = b.vector;
        for (int i = 0; i < x.length; i++) x[i] += y[i];
        if (a.optimizerState != null) {
            double[] s = a.optimizerState;
            double[] t = b.optimizerState;
            for (int i = 0; i < s.length; i++) s[i] += t[i];
        }
        a.maxOptimizerStep = Math.max(a.maxOptimizerStep, b.maxOptimizerStep);
        a.loss += b.loss;
        a.count += b.count;
        if (b.bufferPartition < a.bufferPartition) {
            a.buffers = b.buffers;
            a.bufferPartition = b.bufferPartition;
        }
        a.computeNanos = Math.max(a.computeNanos, b.computeNanos);
        return a;
    }
}
