package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.List;

/** Plain stochastic gradient descent: {@code w ← w − η g}. */
public final class Sgd extends Optimizer {
    public Sgd(List<Tensor> params, double learningRate) {
        super(params, learningRate);
    }

    @Override
    protected void update(int i, double[] w, double[] g) {
        double lr = learningRate;
        for (int j = 0; j < w.length; j++) w[j] -= lr * g[j];
    }
}
