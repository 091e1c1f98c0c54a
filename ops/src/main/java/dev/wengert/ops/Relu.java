package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = max(x, 0)}. dy/dx = 1 where x > 0, else 0; the subgradient chosen at the kink x = 0 is 0
 * (PyTorch's choice). The mask is piecewise constant and enters the derivative as a constant.
 */
final class Relu extends UnaryElementwise {
    static final Relu INSTANCE = new Relu();

    private Relu() {}

    @Override
    public String name() {
        return "relu";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = v > 0 ? v : (v == v ? 0.0 : v);
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return Ops.mask(x, v -> v > 0);
    }

    @Override
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        double[] gd = g.data();
        double[] xd = x.data();
        double[] out = new double[gd.length];
        for (int i = 0; i < out.length; i++) out[i] = xd[i] > 0 ? gd[i] : 0.0;
        return like(x, out);
    }

    @Override
    public boolean hasKinks() {
        return true;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        return Kinks.signs(x[0].data());
    }
}
