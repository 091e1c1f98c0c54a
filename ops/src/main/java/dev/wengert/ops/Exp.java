package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

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
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = Math.exp(v);
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return y;
    }
}
