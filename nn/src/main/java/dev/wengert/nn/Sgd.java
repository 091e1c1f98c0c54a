package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent, with optional momentum, Nesterov momentum and (L2) weight decay, in the
 * form PyTorch uses. With gradient g, weight decay λ, momentum μ and learning rate η, per step:
 * <pre>
 *   g ← g + λ w                       (weight decay: the gradient of (λ/2)||w||²)
 *   v ← μ v + g                       (momentum buffer, starting at 0)
 *   w ← w - η v                       (heavy-ball momentum), or
 *   w ← w - η (g + μ v)               (Nesterov: the gradient step looks ahead along v)
 * </pre>
 * With μ = 0 and λ = 0 this is plain {@code w ← w - η g}. (Sutskever's form {@code v ← μ v - η g,
 * w ← w + v} is the same iteration at a constant η.)
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private double weightDecay;
    private final double[][] velocity;

    /**
     * Plain SGD: {@code w ← w - η g}.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     */
    public Sgd(List<Tensor> params, double learningRate) {
        this(params, learningRate, 0.0, false, 0.0);
    }

    /**
     * SGD with momentum (heavy-ball or Nesterov's) and weight decay.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     * @param momentum     μ in [0, 1)
     * @param nesterov     Nesterov's look-ahead (needs μ &gt; 0)
     * @param weightDecay  λ ≥ 0, finite
     * @throws IllegalArgumentException naming the hyperparameter and its value when one is out of range
     */
    public Sgd(List<Tensor> params, double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(params, learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0, got " + momentum);
        }
        checkWeightDecay(weightDecay);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = new double[this.params.size()][];
        if (momentum > 0) {
            for (int i = 0; i < velocity.length; i++) velocity[i] = new double[this.params.get(i).size()];
        }
    }

    /**
     * Heavy-ball momentum μ.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     * @param momentum     μ in [0, 1)
     * @return a new optimiser without weight decay
     */
    public static Sgd momentum(List<Tensor> params, double learningRate, double momentum) {
        return new Sgd(params, learningRate, momentum, false, 0.0);
    }

    /**
     * Nesterov momentum μ.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     * @param momentum     μ in (0, 1)
     * @return a new optimiser without weight decay
     */
    public static Sgd nesterov(List<Tensor> params, double learningRate, double momentum) {
        return new Sgd(params, learningRate, momentum, true, 0.0);
    }

    /**
     * Sets the weight decay λ (added to the gradient as λw); returns this.
     *
     * @param lambda λ ≥ 0, finite
     * @return this optimiser
     */
    public Sgd weightDecay(double lambda) {
        checkWeightDecay(lambda);
        this.weightDecay = lambda;
        return this;
    }

    private static void checkWeightDecay(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("sgd: the weight decay must be finite and >= 0, got " + lambda);
        }
    }

    @Override
    protected void update(int i, double[] w, double[] g) {
        double lr = learningRate;
        double wd = weightDecay;
        if (momentum == 0) {
            for (int j = 0; j < w.length; j++) w[j] -= lr * (g[j] + wd * w[j]);
            return;
        }
        double[] v = velocity[i];
        double mu = momentum;
        for (int j = 0; j < w.length; j++) {
            double gj = g[j] + wd * w[j];
            v[j] = mu * v[j] + gj;
            w[j] -= lr * (nesterov ? gj + mu * v[j] : v[j]);
        }
    }

    /** The momentum buffers {@code velocity.i} of each parameter i (none without momentum). */
    @Override
    public java.util.Map<String, double[]> state() {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < velocity.length; i++) if (velocity[i] != null) out.put("velocity." + i, velocity[i].clone());
        return out;
    }

    @Override
    public void loadState(java.util.Map<String, double[]> state) {
        checkState(state, state());
        for (int i = 0; i < velocity.length; i++) {
            if (velocity[i] != null) System.arraycopy(state.get("velocity." + i), 0, velocity[i], 0, velocity[i].length);
        }
    }

    /** {@return the momentum μ} 0 for none. */
    public double momentum() {
        return momentum;
    }

    /** {@return whether the momentum is Nesterov's} */
    public boolean isNesterov() {
        return nesterov;
    }

    /** {@return the weight decay λ} */
    public double weightDecay() {
        return weightDecay;
    }
}
