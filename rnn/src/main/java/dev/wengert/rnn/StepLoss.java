package dev.wengert.rnn;

import static dev.wengert.ops.Ops.div;
import static dev.wengert.ops.Ops.mean;
import static dev.wengert.ops.Ops.softmaxCrossEntropy;
import static dev.wengert.ops.Ops.square;
import static dev.wengert.ops.Ops.sub;
import static dev.wengert.ops.Ops.sum;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * The loss {@code ℓ_t(y_t)} of step t of a sequence, as a scalar tensor built from ops, or null when step
 * t has no loss (a task scored only at the end). The sequence loss is {@code L = Σ_t ℓ_t}. Targets are
 * captured by the lambda: {@code (t, y) -> mean(softmaxCrossEntropy(y, labels[t]))}.
 */
@FunctionalInterface
public interface StepLoss {
    /**
     * {@code ℓ_t} from the network's output {@code y} of shape {@code [batch, outputs]}, or null for none.
     *
     * @param t the step, from 0
     * @param y the network's output at step t, recorded on the tape
     * @return a 0-d (or one-element) tensor computed from y with ops, or null when step t has no loss
     */
    Tensor at(int t, Tensor y);

    /**
     * {@code ℓ_t = Σ_{b,k} y_{t,bk}²}: the anchors' {@code Σ_t ‖h_t‖²} when y = h (no readout).
     *
     * @return the loss
     */
    static StepLoss sumOfSquares() {
        return (t, y) -> sum(square(y));
    }

    /**
     * {@code ℓ_t = (1/B) Σ_{b,k} (y_{t,bk} − target_{t,bk})²}: squared error, averaged over the batch;
     * {@code targets[t] == null} means no loss at step t.
     *
     * @param targets one {@code [batch, outputs]} target per step, or null entries; kept, not copied
     * @return the loss
     */
    static StepLoss squaredError(Tensor[] targets) {
        return (t, y) -> {
            Tensor target = targets[t];
            if (target == null) return null;
            if (!target.sameShape(y)) {
                throw new ShapeException("squaredError: target of step " + t + " has shape " + Shapes.str(target.shape())
                        + ", the output has " + Shapes.str(y.shape()));
            }
            return div(sum(square(sub(y, target))), y.dim(0));
        };
    }

    /**
     * {@code ℓ_t = (1/B) Σ_b CE(softmax(y_{t,b}), label_{t,b})}: cross-entropy from logits, averaged over
     * the batch; {@code labels[t] == null} means no loss at step t.
     *
     * @param labels one array of batch class indices per step, or null entries; kept, not copied
     * @return the loss
     */
    static StepLoss crossEntropy(int[][] labels) {
        return (t, y) -> labels[t] == null ? null : mean(softmaxCrossEntropy(y, labels[t]));
    }

}
