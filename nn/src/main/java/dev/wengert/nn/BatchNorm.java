package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;

/**
 * Batch normalisation over the batch axis (Ioffe and Szegedy, 2015) for inputs of shape
 * {@code [batch, ..., features]}: each feature l is normalised over all other axes (for a
 * {@code [N, H]} input, over the N examples of the batch), then scaled and shifted by learnable
 * {@code gamma} (initially 1) and {@code beta} (initially 0). Saved under PyTorch's {@code BatchNorm1d} names:
 * {@code weight} (γ), {@code bias} (β), and the buffers {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked} (the training forward passes so far, a count PyTorch stores as int64).
 *
 * <p><b>Training mode</b> uses the statistics of the batch, the mean and the biased variance:
 * <pre>
 *   μ_l = (1/N) Σ_k h_kl,   σ²_l = (1/N) Σ_k (h_kl - μ_l)²,
 *   ĥ_kl = (h_kl - μ_l) / √(σ²_l + ε),   y_kl = γ_l ĥ_kl + β_l.
 * </pre>
 * It is built from ops, so its gradient includes the paths through μ and σ², which every example's
 * output depends on. With {@code g = ∂L/∂y} the result is
 * <pre>
 *   ∂L/∂h_il = (γ_l / √(σ²_l + ε)) (g_il - (1/N) Σ_k g_kl - ĥ_il (1/N) Σ_k g_kl ĥ_kl),
 *   ∂L/∂γ_l = Σ_k g_kl ĥ_kl,   ∂L/∂β_l = Σ_k g_kl.
 * </pre>
 * (Keeping only the direct term {@code γ g / √(σ² + ε)}, as some derivations do, gives a gradient that
 * finite differences reject: see the tests.)
 *
 * <p>Each training forward pass also updates the running statistics, buffers saved with the
 * parameters: {@code running ← (1 - momentum) running + momentum batch}, with the unbiased variance
 * {@code σ² N/(N-1)} for the running variance (as PyTorch does; the default momentum is 0.1).
 *
 * <p><b>Evaluation mode</b> ({@link Module#eval()}) normalises with the running statistics, constants:
 * {@code y = γ (h - running_mean) / √(running_var + ε) + β}, so a prediction does not depend on the
 * other examples in its batch.
 */
public final class BatchNorm extends Module implements Layer {
    private final int features;
    private final double eps;
    private final double momentum;
    private final Tensor gamma;
    private final Tensor beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    /**
     * ε = 1e-5 and momentum 0.1.
     *
     * @param features the size of the last axis of the inputs, &gt; 0
     */
    public BatchNorm(int features) {
        this(features, 1e-5, 0.1);
    }

    /**
     * A batch normalisation with γ = 1 and β = 0, the running mean 0 and the running variance 1.
     *
     * @param features the size of the last axis of the inputs, &gt; 0
     * @param eps      added to the variance before the square root (finite, positive)
     * @param momentum the weight of the current batch in the running statistics, in [0, 1]
     */
    public BatchNorm(int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException("batchNorm: features must be positive, got " + features);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("batchNorm: eps must be finite and positive, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batchNorm: momentum must be in [0, 1], got " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        // PyTorch's names (BatchNorm1d's state_dict), so checkpoints go both ways as they are.
        this.gamma = addParameter("weight", Tensor.ones(features));
        this.beta = addParameter("bias", Tensor.zeros(features));
        this.runningMean = addBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = addBuffer("running_var", Tensor.ones(features));
        this.batchesTracked = addBuffer("num_batches_tracked", Tensor.scalar(0));
    }

    @Override
    public Tensor forward(Tensor h) {
        if (h == null) throw new NullPointerException("batchNorm: the input is null");
        if (h.rank() < 2 || h.dim(-1) != features) {
            throw new ShapeException("batchNorm: input of shape " + Shapes.str(h.shape()) + " must be [batch, ..., "
                    + features + "]");
        }
        int[] axes = new int[h.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        if (!isTraining()) {
            Tensor scale = Ops.div(gamma, Ops.sqrt(Ops.add(runningVar, eps)));
            return Ops.add(Ops.mul(Ops.sub(h, runningMean), scale), beta);
        }
        int n = h.size() / features;
        if (n < 2) {
            throw new ShapeException("batchNorm: training needs at least 2 values per feature, got input of shape "
                    + Shapes.str(h.shape()) + " (use eval() for single examples)");
        }
        Tensor mu = Ops.meanKeepDims(h, axes);
        Tensor centred = Ops.sub(h, mu);
        Tensor var = Ops.meanKeepDims(Ops.square(centred), axes);
        Tensor hHat = Ops.div(centred, Ops.sqrt(Ops.add(var, eps)));
        updateRunning(mu, var, n);
        return Ops.add(Ops.mul(hHat, gamma), beta);
    }

    private void updateRunning(Tensor mu, Tensor var, int n) {
        // Plain arithmetic on the values: the running statistics are state, not part of the graph.
        try (var p = Tape.pause()) {
            double[] m = mu.data();
            double[] v = var.data();
            double[] rm = runningMean.mutableData();
            double[] rv = runningVar.mutableData();
            double unbias = n / (n - 1.0);
            batchesTracked.mutableData()[0] += 1;
            for (int l = 0; l < features; l++) {
                rm[l] = (1 - momentum) * rm[l] + momentum * m[l];
                rv[l] = (1 - momentum) * rv[l] + momentum * v[l] * unbias;
            }
        }
    }

    /** {@return the learnable scale γ, shape {@code [features]}} The parameter itself, not a copy. */
    public Tensor gamma() {
        return gamma;
    }

    /** {@return the learnable shift β, shape {@code [features]}} The parameter itself, not a copy. */
    public Tensor beta() {
        return beta;
    }

    /**
     * {@return the running mean, shape {@code [features]}} The buffer itself, updated in place by training
     * forward passes.
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * {@return the running (unbiased) variance, shape {@code [features]}} The buffer itself, updated in place
     * by training forward passes.
     */
    public Tensor runningVar() {
        return runningVar;
    }

    /** {@return the number of features normalised} */
    public int features() {
        return features;
    }

    /** {@return ε, added to the variance} */
    public double eps() {
        return eps;
    }

    /** {@return the weight of each batch in the running statistics} */
    public double momentum() {
        return momentum;
    }
}
