package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/** {@code y = √x} (NaN below 0). dy/dx = 1/(2y), infinite at 0: VJP {@code g / (2y)}, JVP {@code t / (2y)}. */
final class Sqrt extends UnaryElementwise {
    static final Sqrt INSTANCE = new Sqrt();

    private Sqrt() {}

    @Override
    public String name() {
        return "sqrt";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = Math.sqrt(v);
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return Ops.div(Tensor.scalar(0.5), y);
    }

    @Override
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        double[] gd = g.data();
        double[] yd = y.data();
        double[] out = new double[gd.length];
        for (int i = 0; i < out.length; i++) out[i] = 0.5 * gd[i] / yd[i];
        return like(x, out);
    }
}
