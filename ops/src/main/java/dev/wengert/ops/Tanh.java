package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.MathKernels;

/** {@code y = tanh x}. dy/dx = 1 - y²: VJP {@code g (1 - y²)}, JVP {@code t (1 - y²)}. */
final class Tanh extends UnaryElementwise {
    static final Tanh INSTANCE = new Tanh();

    private Tanh() {}

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        MathKernels.tanh(xd, y);
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return Ops.sub(Tensor.scalar(1.0), Ops.mul(y, y));
    }

    @Override
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        double[] gd = g.data();
        double[] yd = y.data();
        double[] out = new double[gd.length];
        for (int i = 0; i < out.length; i++) out[i] = gd[i] * (1.0 - yd[i] * yd[i]);
        return like(x, out);
    }
}
