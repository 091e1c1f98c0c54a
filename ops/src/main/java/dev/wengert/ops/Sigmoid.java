package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.MathKernels;

/**
 * {@code y = σ(x) = 1 / (1 + e^{-x})}, evaluated without overflow for either sign of x.
 * dy/dx = y (1 - y): VJP {@code g y (1 - y)}, JVP {@code t y (1 - y)}.
 */
final class Sigmoid extends UnaryElementwise {
    static final Sigmoid INSTANCE = new Sigmoid();

    private Sigmoid() {}

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        MathKernels.sigmoid(xd, y);
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return Ops.mul(y, Ops.sub(Tensor.scalar(1.0), y));
    }

    @Override
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        double[] gd = g.data();
        double[] yd = y.data();
        double[] out = new double[gd.length];
        for (int i = 0; i < out.length; i++) out[i] = gd[i] * yd[i] * (1.0 - yd[i]);
        return like(x, out);
    }
}
