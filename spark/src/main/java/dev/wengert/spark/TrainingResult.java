package dev.wengert.spark;

import java.util.Arrays;
import java.util.List;

/**
 * What a data-parallel run recorded: the mean training loss of each epoch (over the batches run in this call and,
 * after a resume, those before it), the global batches done, and per round the wall time, the longest task's
 * forward-and-backward time and the driver's update time, from which the round's overhead follows.
 *
 * @param epochLoss     the mean loss of each epoch completed (an epoch stopped by {@code maxSteps} included)
 * @param steps         the global batches trained on, in total
 * @param seconds       the wall time of this call
 * @param roundNanos    per round: broadcast, job, aggregation and update, as the driver saw it
 * @param computeNanos  per round: the longest task's compute (forward and backward passes, local steps)
 * @param updateNanos   per round: the driver's optimiser step or averaging
 */
public record TrainingResult(List<Double> epochLoss, long steps, double seconds, long[] roundNanos, long[] computeNanos,
        long[] updateNanos) {
    /**
     * The rounds run in this call.
     *
     * @return the number of rounds
     */
    public int rounds() {
        return roundNanos.length;
    }

    /**
     * A quantile of the round times in milliseconds.
     *
     * @param q in [0, 1]: 0.5 the median, 0.1 the 10th percentile
     * @return the quantile, NaN without rounds
     */
    public double roundMillis(double q) {
        return quantile(roundNanos, q);
    }

    /**
     * A quantile of the longest task's compute time per round, in milliseconds.
     *
     * @param q in [0, 1]
     * @return the quantile, NaN without rounds
     */
    public double computeMillis(double q) {
        return quantile(computeNanos, q);
    }

    /**
     * A quantile of the per-round overhead, round time minus the longest task's compute, in milliseconds: job
     * scheduling, task launch, broadcast, aggregation and the driver's update.
     *
     * @param q in [0, 1]
     * @return the quantile, NaN without rounds
     */
    public double overheadMillis(double q) {
        long[] o = new long[roundNanos.length];
        for (int i = 0; i < o.length; i++) o[i] = roundNanos[i] - computeNanos[i];
        return quantile(o, q);
    }

    /**
     * The final epoch's mean loss.
     *
     * @return the last entry of {@link #epochLoss()}, or NaN
     */
    public double finalLoss() {
        return epochLoss.isEmpty() ? Double.NaN : epochLoss.get(epochLoss.size() - 1);
    }

    private static double quantile(long[] v, double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("trainingResult: quantile " + q + " is not in [0, 1]");
        if (v.length == 0) return Double.NaN;
        long[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))] / 1e6;
    }
}
