package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = |x|}. dy/dx = sign(x), and the subgradient chosen at the kink x = 0 is 0 (as PyTorch and
 * JAX do). The sign is piecewise constant, so it enters the derivative as a constant.
 */
final class Abs extends UnaryElementwise {
    static final Abs INSTANCE = new Abs();

    private Abs() {}

    @Override
    public String name() {
        return "abs";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = Math.abs(v);
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        double[] xd = x.data();
        double[] d = new double[xd.length];
        for (int i = 0; i < d.length; i++) d[i] = Math.signum(xd[i]);
        return like(x, d);
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
