package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Loss;
import dev.wengert.rnn.StepLoss;

/**
 * The loss of a step, summed over the sequences of the batch, so that the partitions' losses and gradients add up to
 * the whole batch's: {@code ℓ_t = Σ_b ℓ(y_{t,b}, target_{t,b})}, by nn's {@link Loss} with
 * {@link Loss.Reduction#SUM}.
 */
public enum SequenceLoss {
    /** {@code Σ_b ‖y_{t,b} − target_{t,b}‖²}. */
    SQUARED_ERROR,
    /** {@code Σ_b CE(softmax(y_{t,b}), target_{t,b})}, targets one-hot or soft. */
    CROSS_ENTROPY;

    /**
     * The step losses for a batch with these targets.
     *
     * @param targets per step {@code [batch, k]}, or null for a step without loss
     * @return the step loss
     */
    public StepLoss of(Tensor[] targets) {
        return (t, y) -> {
            Tensor target = targets[t];
            if (target == null) return null;
            return this == SQUARED_ERROR ? Loss.squared(y, target, Loss.Reduction.SUM)
                    : Loss.crossEntropy(y, target, Loss.Reduction.SUM);
        };
    }
}
