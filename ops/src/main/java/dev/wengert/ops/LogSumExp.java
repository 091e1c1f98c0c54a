package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = log Σ exp x} over the given axes (all when none are given), kept as size 1 or dropped.
 * Computed stably as {@code m + log Σ exp(x - m)} with m the slice's maximum, so no term overflows
 * ({@code logSumExp([1000, 1000]) = 1000 + ln 2}); an infinite maximum is the result, and the sum over
 * zero elements is -∞.
 *
 * <p>With {@code p = exp(x - y)}, the softmax over each reduced slice:
 * <pre>
 *   VJP: dx = p ⊙ broadcast(g)          JVP: t_y = Σ_axes p ⊙ t
 * </pre>
 * The recorded VJP builds p from the recorded x and y, so gradients of gradients are exact.
 */
final class LogSumExp extends Primitive {
    private final int[] axes;
    private final boolean keepDims;

    LogSumExp(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return "logSumExp";
    }

    @Override
    public int arity() {
        return 1;
    }

    private int[] axes(int rank) {
        return Axes.normalize("logSumExp", axes, rank);
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int[] a = axes(xs.length);
        return keepDims ? Axes.keep(xs, a) : Axes.drop(xs, a);
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        Slices s = Slices.of(xs, axes(xs.length));
        double[] xd = x[0].data();
        double[] y = new double[s.count()];
        for (int o = 0; o < y.length; o++) {
            int b = s.base[o];
            double m = Slices.max(xd, b, s.off);
            if (Double.isInfinite(m)) {
                // +∞ dominates; all -∞ (or no elements) sums to 0; x - m would be NaN either way.
                y[o] = m;
                continue;
            }
            double sum = 0;
            for (int j : s.off) sum += StrictMath.exp(xd[b + j] - m);
            y[o] = m + StrictMath.log(sum);
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        Tensor y = node.output();
        int[] xs = x.shape();
        int[] kept = Axes.keep(xs, axes(xs.length));
        if (node.creatingGraph()) {
            Tensor p = Ops.exp(Ops.sub(x, Ops.reshape(y, kept)));
            return new Tensor[] {Ops.mul(Ops.reshape(g, kept), p)};
        }
        Slices s = Slices.of(xs, axes(xs.length));
        double[] xd = x.data();
        double[] yd = y.data();
        double[] gd = g.data();
        double[] out = new double[xd.length];
        for (int o = 0; o < yd.length; o++) {
            int b = s.base[o];
            for (int j : s.off) out[b + j] = gd[o] * StrictMath.exp(xd[b + j] - yd[o]);
        }
        return new Tensor[] {Tensor.wrap(out, xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] xs = x[0].shape();
        int[] a = axes(xs.length);
        Tensor p = Ops.exp(Ops.sub(x[0], Ops.reshape(y, Axes.keep(xs, a))));
        return new Sum(Axes.shifted(a), keepDims).apply(Ops.mul(t[0], p));
    }
}
