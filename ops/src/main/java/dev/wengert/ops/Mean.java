package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = (1/n) Σ x} over the given axes (all when none are given), n the number of elements
 * reduced. VJP: g / n broadcast back to x's shape. JVP: the mean of the tangent. The mean over zero
 * elements is NaN, as in NumPy.
 */
final class Mean extends Primitive {
    private final int[] axes;
    private final boolean keepDims;

    Mean(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return "mean";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] a = Axes.normalize("mean", axes, x[0].rank());
        return keepDims ? Axes.keep(x[0].shape(), a) : Axes.drop(x[0].shape(), a);
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        int[] a = Axes.normalize("mean", axes, xs.length);
        double[] s = Strided.sumTo(x[0].data(), xs, Axes.keep(xs, a));
        double inv = 1.0 / Axes.count(xs, a);
        for (int i = 0; i < s.length; i++) s[i] *= inv;
        return Tensor.wrap(s, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        int[] xs = node.input(0).shape();
        int[] a = Axes.normalize("mean", axes, xs.length);
        Tensor scaled = Ops.mul(g, 1.0 / Axes.count(xs, a));
        return new Tensor[] {Ops.broadcastTo(Ops.reshape(scaled, Axes.keep(xs, a)), xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] a = Axes.normalize("mean", axes, x[0].rank());
        return new Mean(Axes.shifted(a), keepDims).apply(t[0]);
    }
}
