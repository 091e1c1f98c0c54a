package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = Σ x} over the given axes (all when none are given), keeping them as size 1 or dropping
 * them. VJP: g (with the reduced axes restored as size 1) broadcast back to x's shape. JVP: the same
 * sum of the tangent, over the axes shifted past the batch axis.
 */
final class Sum extends Primitive {
    private final int[] axes;
    private final boolean keepDims;

    Sum(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return "sum";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] a = Axes.normalize("sum", axes, x[0].rank());
        return keepDims ? Axes.keep(x[0].shape(), a) : Axes.drop(x[0].shape(), a);
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        int[] a = Axes.normalize("sum", axes, xs.length);
        return Tensor.wrap(Strided.sumTo(x[0].data(), xs, Axes.keep(xs, a)), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        int[] xs = node.input(0).shape();
        int[] kept = Axes.keep(xs, Axes.normalize("sum", axes, xs.length));
        return new Tensor[] {Ops.broadcastTo(Ops.reshape(g, kept), xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] a = Axes.normalize("sum", axes, x[0].rank());
        return new Sum(Axes.shifted(a), keepDims).apply(t[0]);
    }
}
