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
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrap(Strided.map2(x[0].data(), x[0].shape(), x[1].data(), x[1].shape(), shape, (a, b) -> a + b),
                shape);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        return Tensor.scalar(1.0);
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        return Tensor.scalar(1.0);
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
