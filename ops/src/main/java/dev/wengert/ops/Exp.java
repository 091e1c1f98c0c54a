package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.MathKernels;

/** {@code y = e^x}. dy/dx = y (the output is reused, nothing else saved): VJP {@code g y}, JVP {@code t y}. */
final class Exp extends UnaryElementwise {
    static final Exp INSTANCE = new Exp();

    private Exp() {}

    @Override
    public String name() {
        return "exp";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        MathKernels.exp(xd, y);
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return y;
    }
}
