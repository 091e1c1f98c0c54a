package dev.wengert.rnn.online;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Optimizer;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.StepLoss;

/**
 * Online learning with a forward-in-time learner (exact RTRL, SnAp-1, UORO): after every step t the
 * parameters are updated with the gradient of that step's loss, {@code θ ← update(θ, ∂ℓ_t/∂θ)}, and the
 * state and the influence matrix are carried on unchanged. The influence matrix was built under the
 * parameters of earlier steps, so after an update it is no longer exactly {@code ∂s_t/∂θ} at the new θ:
 * the sensitivities go stale. For small learning rates the error is small, and nothing
 * has to wait for the end of a sequence, which is RTRL's point.
 */
public final class OnlineLearning {
    private OnlineLearning() {}

    /**
     * Runs steps {@code from..to−1} of the stream {@code xs} (inputs {@code [batch, m]}), updating the
     * parameters with {@code optimizer} (built over {@code learner.net().parameters()}) after every step
     * that has a loss. Returns the losses ℓ_t of those steps (each computed before its update).
     *
     * @param learner   the learner; its state and influence matrix carry on from where they are
     * @param optimizer the optimiser, over {@code learner.net().parameters()} in that order
     * @param xs        the stream's inputs, one {@code [batch, m]} tensor per step
     * @param from      the first step run
     * @param to        the step to stop before, at most {@code xs.length}
     * @param loss      the loss of each step
     * @return a new array of {@code to − from} losses; 0 for a step without a loss
     */
    public static double[] run(ForwardLearner learner, Optimizer optimizer, Tensor[] xs, int from, int to, StepLoss loss) {
        if (learner == null) throw new NullPointerException("online: the learner is null");
        if (optimizer == null) throw new NullPointerException("online: the optimizer is null");
        if (xs == null) throw new NullPointerException("online: the inputs array is null");
        if (loss == null) throw new NullPointerException("online: the loss is null");
        if (from < 0 || to < from || to > xs.length) {
            throw new IllegalArgumentException("online: steps [" + from + ", " + to + ") are not a range of the "
                    + xs.length + " inputs");
        }
        if (optimizer.parameters().size() != learner.net().parameters().size()) {
            throw new IllegalArgumentException("online: the optimiser updates " + optimizer.parameters().size()
                    + " tensors but the network has " + learner.net().parameters().size()
                    + "; build it over net.parameters()");
        }
        double[] losses = new double[to - from];
        for (int t = from; t < to; t++) {
            losses[t - from] = learner.step(t, xs[t], loss);
            if (learner.stepGradient() != null) optimizer.step(learner.stepGradient());
        }
        return losses;
    }
}
