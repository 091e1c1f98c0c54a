package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.List;

/**
 * Loss functions and penalties, built from ops (so every one has exact VJPs, JVPs and second
 * derivatives). The first axis of a prediction indexes the examples; each example's loss is summed
 * over its other axes, and a {@link Reduction} combines the examples: {@link Reduction#SUM} is the
 * objective {@code L = Σ_i ℓ_i}, {@link Reduction#MEAN} divides it by the number of examples N (the
 * mini-batch average). A 0-d prediction is one example.
 */
public final class Loss {
    private Loss() {}

    /** How the per-example losses are combined. */
    public enum Reduction {
        /** {@code Σ_i ℓ_i}. */
        SUM,
        /** {@code (1/N) Σ_i ℓ_i}. */
        MEAN,
        /** The per-example losses, shape {@code [N]} (or {@code []} for one example). */
        NONE
    }

    // ---------------------------------------------------------------- cross-entropy

    /**
     * Cross-entropy of {@code softmax(z)} against class indices, averaged over the examples:
     * {@code (1/N) Σ_i (log Σ_c e^{z_ic} - z_{i,y_i})}, by the fused, stable
     * {@link Ops#softmaxCrossEntropy(Tensor, int...)}; its gradient is
     * {@code (softmax(z) - onehot(y)) / N}.
     *
     * @param logits the logits z {@code [N, C]} (more generally {@code [..., C]}, one example per row)
     * @param labels one class index in {@code [0, C)} per row
     * @return a new 0-d tensor
     */
    public static Tensor crossEntropy(Tensor logits, int... labels) {
        return crossEntropy(logits, labels, Reduction.MEAN);
    }

    /**
     * {@link #crossEntropy(Tensor, int...)} with a chosen reduction.
     *
     * @param logits    the logits z {@code [N, C]} (more generally {@code [..., C]}, one example per row)
     * @param labels    one class index in {@code [0, C)} per row
     * @param reduction {@code MEAN}, {@code SUM}, or {@code NONE} for the loss per row
     * @return a new 0-d tensor, or the logits' shape without the last axis for {@code NONE}
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction reduction) {
        return reduce(Ops.softmaxCrossEntropy(logits, labels), reduction, "crossEntropy");
    }

    /**
     * Cross-entropy of {@code softmax(z)} against target distributions t (one-hot or soft) of the logits'
     * shape, averaged over the examples: {@code -(1/N) Σ_i Σ_c t_ic log softmax(z_i)_c}.
     *
     * @param logits  the logits z {@code [N, C]}
     * @param targets a distribution per row, of the logits' shape
     * @return a new 0-d tensor
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, Reduction.MEAN);
    }

    /**
     * {@link #crossEntropy(Tensor, Tensor)} with a chosen reduction.
     *
     * @param logits    the logits z {@code [N, C]} (more generally {@code [..., C]}, one example per row)
     * @param targets   a distribution per row, of the logits' shape
     * @param reduction {@code MEAN}, {@code SUM}, or {@code NONE} for the loss per row
     * @return a new 0-d tensor, or the logits' shape without the last axis for {@code NONE}
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, Reduction reduction) {
        sameShape("crossEntropy", logits, targets);
        return reduce(Ops.softmaxCrossEntropy(logits, targets), reduction, "crossEntropy");
    }

    // ---------------------------------------------------------------- binary cross-entropy

    /**
     * Binary cross-entropy from logits z (the pre-activation of a sigmoid unit) against targets
     * {@code y ∈ [0, 1]}, averaged over the examples:
     * {@code ℓ = -(y log σ(z) + (1 - y) log(1 - σ(z))) = y softplus(-z) + (1 - y) softplus(z)}, with
     * {@code softplus(z) = log(1 + e^z)}; {@code ∂ℓ/∂z = σ(z) - y}, {@code ∂ℓ/∂y = -z}.
     * It is the two-class softmax cross-entropy of the logits {@code (0, z)} against the targets
     * {@code (1 - y, y)} and is computed by that fused op, so it is within a few ulps of exact for every z:
     * no overflow at z = ±1e308, no cancellation where the loss is small ({@code z = 20, y = 1} costs
     * {@code log(1 + e^-20) = 2.06e-9}, which the form {@code softplus(z) - y z} gets only to six digits),
     * and 0 rather than ∞ - ∞ at {@code z = +∞, y = 1}.
     *
     * @param logits  the logits z, {@code [N, ...]}
     * @param targets the targets y, of the logits' shape
     * @return a new 0-d tensor: the loss summed over each example's elements, averaged over the N examples
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN);
    }

    /**
     * {@link #binaryCrossEntropyWithLogits(Tensor, Tensor)} with a chosen reduction.
     *
     * @param logits    the logits z, {@code [N, ...]}
     * @param targets   the targets y, of the logits' shape
     * @param reduction how the per-example losses (each summed over its elements) combine; {@code NONE} keeps
     *     them, {@code [N]}
     * @return a new tensor, 0-d or {@code [N]}
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        sameShape("binaryCrossEntropyWithLogits", logits, targets);
        Tensor twoClassLogits = Ops.stack(-1, Tensor.zeros(logits.shape()), logits);
        Tensor twoClassTargets = Ops.stack(-1, Ops.sub(1.0, targets), targets);
        Tensor perElement = Ops.softmaxCrossEntropy(twoClassLogits, twoClassTargets);
        return reduce(perExample(perElement), reduction, "binaryCrossEntropyWithLogits");
    }

    /** Probabilities are clamped to {@code [CLAMP, 1 - CLAMP]} before the logarithms. */
    public static final double CLAMP = 1e-12;

    /**
     * Binary cross-entropy from probabilities {@code p = σ(z)}, averaged over the examples:
     * {@code ℓ = -(y log p + (1 - y) log(1 - p))}, with p clamped to
     * {@code [1e-12, 1 - 1e-12]} so that a saturated unit gives a large finite loss rather than infinity.
     * Prefer {@link #binaryCrossEntropyWithLogits} where the logits are at hand: it is exact at saturation.
     *
     * @param probabilities the predicted probabilities p, {@code [N, ...]}
     * @param targets       the targets y, of p's shape
     * @return a new 0-d tensor: the loss summed over each example's elements, averaged over the N examples
     */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor targets) {
        return binaryCrossEntropy(probabilities, targets, Reduction.MEAN);
    }

    /**
     * {@link #binaryCrossEntropy(Tensor, Tensor)} with a chosen reduction.
     *
     * @param probabilities the predicted probabilities p, {@code [N, ...]}
     * @param targets       the targets y, of p's shape
     * @param reduction     how the per-example losses (each summed over its elements) combine; {@code NONE}
     *     keeps them, {@code [N]}
     * @return a new tensor, 0-d or {@code [N]}
     */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor targets, Reduction reduction) {
        sameShape("binaryCrossEntropy", probabilities, targets);
        Tensor p = Ops.clamp(probabilities, CLAMP, 1 - CLAMP);
        Tensor perElement = Ops.neg(Ops.add(Ops.mul(targets, Ops.log(p)),
                Ops.mul(Ops.sub(1.0, targets), Ops.log(Ops.sub(1.0, p)))));
        return reduce(perExample(perElement), reduction, "binaryCrossEntropy");
    }

    // ---------------------------------------------------------------- squared loss

    /**
     * The squared loss, summed over the examples: {@code L = Σ_i ||ŷ_i - y_i||²}; its
     * gradient is {@code 2 (ŷ - y)}.
     *
     * @param predictions the predictions ŷ, {@code [N, ...]}
     * @param targets     the targets y, of ŷ's shape
     * @return a new 0-d tensor
     */
    public static Tensor squared(Tensor predictions, Tensor targets) {
        return squared(predictions, targets, Reduction.SUM);
    }

    /**
     * The squared loss {@code ||ŷ_i - y_i||²} per example, combined by {@code reduction}.
     *
     * @param predictions the predictions ŷ, {@code [N, ...]}
     * @param targets     the targets y, of ŷ's shape
     * @param reduction   how the per-example losses combine; {@code NONE} keeps them, {@code [N]}
     * @return a new tensor, 0-d or {@code [N]}
     */
    public static Tensor squared(Tensor predictions, Tensor targets, Reduction reduction) {
        sameShape("squared", predictions, targets);
        Tensor d = Ops.sub(predictions, targets);
        return reduce(perExample(Ops.square(d)), reduction, "squared");
    }

    /**
     * The squared loss averaged over the examples: {@code (1/N) Σ_i ||ŷ_i - y_i||²}.
     *
     * @param predictions the predictions ŷ, {@code [N, ...]}
     * @param targets     the targets y, of ŷ's shape
     * @return a new 0-d tensor
     */
    public static Tensor meanSquared(Tensor predictions, Tensor targets) {
        return squared(predictions, targets, Reduction.MEAN);
    }

    // ---------------------------------------------------------------- penalties

    /**
     * The L1 penalty {@code Σ_w |w|} over every element of the given tensors (subgradient 0 at 0).
     *
     * @param params the tensors penalised, usually the weights (not the biases)
     * @return a new 0-d tensor; 0 for an empty list
     */
    public static Tensor l1(List<Tensor> params) {
        Tensor s = null;
        for (Tensor w : params) {
            Tensor t = Ops.sum(Ops.abs(w));
            s = s == null ? t : Ops.add(s, t);
        }
        return s == null ? Tensor.scalar(0) : s;
    }

    /**
     * The L2 penalty {@code Σ_w w²} over every element of the given tensors; its gradient is {@code 2w}.
     *
     * @param params the tensors penalised, usually the weights (not the biases)
     * @return a new 0-d tensor; 0 for an empty list
     */
    public static Tensor l2(List<Tensor> params) {
        Tensor s = null;
        for (Tensor w : params) {
            Tensor t = Ops.sum(Ops.square(w));
            s = s == null ? t : Ops.add(s, t);
        }
        return s == null ? Tensor.scalar(0) : s;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * {@code log(1 + e^z)} elementwise, as {@code logSumExp(0, z)}: within an ulp or two of exact and smooth
     * for every z ({@code softplus(-40) = 4.25e-18}, {@code softplus(1e308) = 1e308}).
     *
     * @param z the input
     * @return a new tensor of z's shape
     */
    public static Tensor softplus(Tensor z) {
        Tensor zero = Tensor.zeros(z.shape());
        return Ops.logSumExp(Ops.stack(-1, zero, z), -1);
    }

    /** Sums every axis but the first; a 0-d or 1-d tensor is already one loss per example. */
    private static Tensor perExample(Tensor perElement) {
        if (perElement.rank() <= 1) return perElement;
        int[] axes = new int[perElement.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        return Ops.sum(perElement, axes);
    }

    private static Tensor reduce(Tensor perExample, Reduction reduction, String op) {
        switch (reduction) {
            case SUM:
                return Ops.sum(perExample);
            case MEAN:
                return Ops.mean(perExample);
            case NONE:
                return perExample;
            default:
                throw new IllegalArgumentException(op + ": unknown reduction " + reduction);
        }
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new ShapeException(op + ": predictions of shape " + Shapes.str(a.shape()) + " but targets of shape "
                    + Shapes.str(b.shape()));
        }
    }
}
