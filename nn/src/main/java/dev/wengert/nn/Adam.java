package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015, Algorithm 1): with step t,
 * {@code m ← β₁ m + (1 − β₁) g}, {@code v ← β₂ v + (1 − β₂) g²},
 * {@code m̂ = m / (1 − β₁ᵗ)}, {@code v̂ = v / (1 − β₂ᵗ)}, {@code w ← w − η m̂ / (√v̂ + ε)}.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[][] m;
    private final double[][] v;
    private int t;

    /** The paper's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    public Adam(List<Tensor> params, double learningRate) {
        this(params, learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(List<Tensor> params, double learningRate, double beta1, double beta2, double eps) {
        super(params, learningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0)) {
            throw new IllegalArgumentException("adam: need 0 ≤ β₁, β₂ < 1 and ε > 0, got β₁ = " + beta1 + ", β₂ = "
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

    @Override
    protected void beginStep() {
        t++;
    }

    @Override
    protected void update(int i, double[] w, double[] g) {
        double[] mi = m[i];
        double[] vi = v[i];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double lr = learningRate;
        for (int j = 0; j < w.length; j++) {
            mi[j] = beta1 * mi[j] + (1 - beta1) * g[j];
            vi[j] = beta2 * vi[j] + (1 - beta2) * g[j] * g[j];
            w[j] -= lr * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + eps);
        }
    }

    /** The number of steps taken. */
    public int steps() {
        return t;
    }
}
