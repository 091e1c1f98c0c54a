package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = a + b}, broadcasting.
 * VJP: {@code (sumTo(g, shape(a)), sumTo(g, shape(b)))}. JVP: {@code t_a + t_b}.
 */
final class Add extends BinaryElementwise {
    static final Add INSTANCE = new Add();

    private Add() {}

    @Override
    public String name() {
        return "add";
    }


    @Override
    void row(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] o, int io, int n) {
        if (sa == 1 && sb == 1) {
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] + b[ib + j];
        } else if (sa == 1) {
            double v = b[ib];
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] + v;
        } else if (sb == 1) {
            double v = a[ia];
            for (int j = 0; j < n; j++) o[io + j] = v + b[ib + j];
        } else {
            java.util.Arrays.fill(o, io, io + n, a[ia] + b[ib]);
        }
    }



    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {
            node.needsGrad(0) ? Ops.sumTo(g, node.input(0).shape()) : null,
            node.needsGrad(1) ? Ops.sumTo(g, node.input(1).shape()) : null
        };
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int r = y.rank();
        Tensor ta = t[0] == null ? null : Tangents.lift(t[0], r);
        Tensor tb = t[1] == null ? null : Tangents.lift(t[1], r);
        return Tangents.complete(Tangents.sum(ta, tb), y);
    }
}
