package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * An elementwise op {@code y = f(a, b)} with NumPy broadcasting. It states its partial derivatives
 * once, as tensors built from primitives, and gets both rules from them:
 * VJP {@code (sumTo(g * ∂f/∂a, shape(a)), sumTo(g * ∂f/∂b, shape(b)))}, where {@link Ops#sumTo} is the
 * one unbroadcast helper; JVP {@code t_a * ∂f/∂a + t_b * ∂f/∂b}, the tangents lifted to the output's
 * rank first so that the batch axis stays in front.
 */
abstract class BinaryElementwise extends Primitive {

    @Override
    public final int arity() {
        return 2;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] a = x[0].shape();
        int[] b = x[1].shape();
        return Shapes.same(a, b) ? a : Shapes.broadcast(name(), a, b);
    }

    /**
     * The scalar function {@code f(a, b)}, which the default {@link #row} applies per element; ops that
     * override {@code row} with loops of their own do not define it.
     */
    double f(double a, double b) {
        throw new UnsupportedOperationException(name() + " computes whole rows (row), not single elements");
    }

    /**
     * {@code o[io + j] = f(a[ia + j sa], b[ib + j sb])} for {@code j < n}, with each stride 0 (broadcast)
     * or 1. Hot ops override it with loops of their own, which the JIT compiles (and vectorises) for
     * that op alone; this default calls {@link #f} per element.
     */
    void row(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] o, int io, int n) {
        for (int j = 0; j < n; j++) o[io + j] = f(a[ia + j * sa], b[ib + j * sb]);
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrap(Strided.map2(x[0].data(), x[0].shape(), x[1].data(), x[1].shape(), shape, this), shape);
    }

    /**
     * {@code ∂y/∂a} elementwise (of a shape that broadcasts to y's), from primitives, for the default
     * {@link #vjp} and {@link #jvp}; ops that override both do not define it.
     */
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        throw new UnsupportedOperationException(name() + " has its own VJP and JVP");
    }

    /** {@code ∂y/∂b}, as {@link #partialA}. */
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        throw new UnsupportedOperationException(name() + " has its own VJP and JVP");
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor a = node.input(0);
        Tensor b = node.input(1);
        Tensor y = node.output();
        Tensor ga = node.needsGrad(0) ? Ops.sumTo(Ops.mul(g, partialA(a, b, y)), a.shape()) : null;
        Tensor gb = node.needsGrad(1) ? Ops.sumTo(Ops.mul(g, partialB(a, b, y)), b.shape()) : null;
        return new Tensor[] {ga, gb};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int r = y.rank();
        Tensor ta = t[0] == null ? null : Ops.mul(Tangents.lift(t[0], r), partialA(x[0], x[1], y));
        Tensor tb = t[1] == null ? null : Ops.mul(Tangents.lift(t[1], r), partialB(x[0], x[1], y));
        return Tangents.complete(Tangents.sum(ta, tb), y);
    }
}
