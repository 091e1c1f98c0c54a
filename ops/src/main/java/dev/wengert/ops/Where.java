package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y = cond ? a : b} elementwise, broadcasting {@code cond}, a and b together. The condition is a
 * constant of the op (nonzero means true), not an input: no gradient flows into it.
 * VJP: {@code (sumTo(where(cond, g, 0)), sumTo(where(cond, 0, g)))}; JVP: {@code where(cond, t_a, t_b)}.
 */
final class Where extends Primitive {
    private final Tensor cond;

    Where(Tensor cond) {
        if (cond == null) throw new NullPointerException("where: the condition is null");
        this.cond = cond.detach();
    }

    @Override
    public String name() {
        return "where";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] ab = Shapes.broadcast("where", x[0].shape(), x[1].shape());
        try {
            return Shapes.broadcast("where", cond.shape(), ab);
        } catch (dev.wengert.core.ShapeException e) {
            throw new dev.wengert.core.ShapeException("where: condition of shape " + Shapes.str(cond.shape())
                    + " does not broadcast with the values' shape " + Shapes.str(ab) + " (a " + Shapes.str(x[0].shape())
                    + ", b " + Shapes.str(x[1].shape()) + ")");
        }
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return select(x[0], x[1], shape);
    }

    private Tensor select(Tensor a, Tensor b, int[] shape) {
        double[] c = Strided.broadcast("where", cond.data(), cond.shape(), shape);
        double[] av = Strided.broadcast("where", a.data(), a.shape(), shape);
        double[] bv = Strided.broadcast("where", b.data(), b.shape(), shape);
        for (int i = 0; i < c.length; i++) c[i] = c[i] != 0 ? av[i] : bv[i];
        return Tensor.wrap(c, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor zero = Tensor.scalar(0.0);
        Tensor ga = node.needsGrad(0) ? Ops.sumTo(Ops.where(cond, g, zero), node.input(0).shape()) : null;
        Tensor gb = node.needsGrad(1) ? Ops.sumTo(Ops.where(cond, zero, g), node.input(1).shape()) : null;
        return new Tensor[] {ga, gb};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int r = y.rank();
        Tensor zero = Tensor.scalar(0.0);
        Tensor ta = t[0] == null ? zero : Tangents.lift(t[0], r);
        Tensor tb = t[1] == null ? zero : Tangents.lift(t[1], r);
        return Tangents.complete(Ops.where(cond, ta, tb), y);
    }
}
