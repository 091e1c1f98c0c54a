package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = ln x} (IEEE: ln 0 = -Inf, ln of a negative number = NaN). dy/dx = 1/x:
 * VJP {@code g / x}, JVP {@code t / x}.
 */
final class Log extends UnaryElementwise {
    static final Log INSTANCE = new Log();

    private Log() {}

    @Override
    public String name() {
        return "log";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = StrictMath.log(v);
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return Ops.div(Tensor.scalar(1.0), x);
    }

    @Override
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        return Ops.div(g, x);
    }
}
