package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/** {@code y = -x}. VJP {@code -g}, JVP {@code -t}. */
final class Neg extends UnaryElementwise {
    static final Neg INSTANCE = new Neg();

    private Neg() {}

    @Override
    public String name() {
        return "neg";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = -v;
        }
        return like(x[0], y);
    }


    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {Ops.neg(g)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return Ops.neg(t[0]);
    }
}
