package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015, Algorithm 1): with step t,
 * {@code m ← β₁ m + (1 − β₁) g}, {@code v ← β₂ v + (1 − β₂) g²},
 * {@code m̂ = m / (1 − β₁ᵗ)}, {@code v̂ = v / (1 − β₂ᵗ)}, {@code w ← w − η m̂ / (√v̂ + ε)}.
 *
 * <p>Weight decay comes in two kinds. {@link #weightDecay(double) Coupled} (L2 regularisation) adds
 * {@code λ w} to the gradient before the moments, so Adam's scaling shrinks it for parameters with large
 * gradients. {@link #decoupledWeightDecay(double) Decoupled} (AdamW, Loshchilov and Hutter, 2019)
 * shrinks the weights directly, {@code w ← w − η λ w}, then takes the Adam step: every weight decays at
 * the same rate. {@link #adamW} makes the latter.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[][] m;
    private final double[][] v;
    private double weightDecay;
    private boolean decoupled;
    private int t;

    /**
     * The paper's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     */
    public Adam(List<Tensor> params, double learningRate) {
        this(params, learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with the given decay rates β₁, β₂ of the moment estimates and ε added to √v̂.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     * @param beta1        β₁, the decay of the first moment, in [0, 1)
     * @param beta2        β₂, the decay of the second moment, in [0, 1)
     * @param eps          ε, finite and &gt; 0
     */
    public Adam(List<Tensor> params, double learningRate, double beta1, double beta2, double eps) {
        super(params, learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && eps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("adam: need 0 ≤ β₁, β₂ < 1 and a finite ε > 0, got β₁ = " + beta1 + ", β₂ = "
                    + beta2 + ", ε = " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new double[this.params.size()][];
        this.v = new double[this.params.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[this.params.get(i).size()];
            v[i] = new double[this.params.get(i).size()];
        }
    }

    /**
     * AdamW: Adam with the paper's defaults and decoupled weight decay λ.
     *
     * @param params       the parameters it updates, in order, none null (the list is copied)
     * @param learningRate η, finite and &gt; 0
     * @param weightDecay  λ, finite and ≥ 0
     * @return a new optimiser
     */
    public static Adam adamW(List<Tensor> params, double learningRate, double weightDecay) {
        return new Adam(params, learningRate).decoupledWeightDecay(weightDecay);
    }

    /**
     * Coupled (L2) weight decay: {@code g ← g + λ w} before the moments; returns this.
     *
     * @param lambda λ, finite and ≥ 0; replaces any earlier weight decay
     * @return this optimiser
     */
    public Adam weightDecay(double lambda) {
        checkWeightDecay(lambda);
        this.weightDecay = lambda;
        this.decoupled = false;
        return this;
    }

    /**
     * Decoupled weight decay (AdamW): {@code w ← w − η λ w}, then the Adam step; returns this.
     *
     * @param lambda λ, finite and ≥ 0; replaces any earlier weight decay
     * @return this optimiser
     */
    public Adam decoupledWeightDecay(double lambda) {
        checkWeightDecay(lambda);
        this.weightDecay = lambda;
        this.decoupled = true;
        return this;
    }

    private static void checkWeightDecay(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("adam: the weight decay must be finite and >= 0, got " + lambda);
        }
    }

    @Override
    protected void beginStep() {
        t++;
    }

    @Override
    protected void update(int i, double[] w, double[] g) {
        double[] mi = m[i];
        double[] vi = v[i];
        double c1 = 1 - StrictMath.pow(beta1, t);
        double c2 = 1 - StrictMath.pow(beta2, t);
        double lr = learningRate;
        double coupled = decoupled ? 0 : weightDecay;
        double shrink = decoupled ? 1 - lr * weightDecay : 1;
        for (int j = 0; j < w.length; j++) {
            double gj = g[j] + coupled * w[j];
            mi[j] = beta1 * mi[j] + (1 - beta1) * gj;
            vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj;
            w[j] = shrink * w[j] - lr * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + eps);
        }
    }

    /** The moments {@code m.i} and {@code v.i} of each parameter i, and the step count t as {@code step} (one entry). */
    @Override
    public java.util.Map<String, double[]> state() {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) out.put("m." + i, m[i].clone());
        for (int i = 0; i < v.length; i++) out.put("v." + i, v[i].clone());
        out.put("step", new double[] {t});
        return out;
    }

    @Override
    public void loadState(java.util.Map<String, double[]> state) {
        checkState(state, state());
        double step = state.get("step")[0];
        if (!(step >= 0 && step <= Integer.MAX_VALUE && step == Math.rint(step))) {
            throw new IllegalArgumentException("adam.loadState: 'step' must be a whole number >= 0, got " + step);
        }
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(state.get("m." + i), 0, m[i], 0, m[i].length);
            System.arraycopy(state.get("v." + i), 0, v[i], 0, v[i].length);
        }
        t = (int) step;
    }

    /** {@return the number of steps taken} This is t in the bias corrections. */
    public int steps() {
        return t;
    }

    /** {@return the weight decay λ} Coupled or decoupled: see {@link #isDecoupled()}; 0 when none. */
    public double weightDecayRate() {
        return weightDecay;
    }

    /** {@return whether the weight decay is decoupled (AdamW)} */
    public boolean isDecoupled() {
        return decoupled;
    }
}
