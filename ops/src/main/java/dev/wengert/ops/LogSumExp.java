package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = log Σ exp x} over the given axes (all when none are given), kept as size 1 or dropped.
 * Computed as {@code m + log1p(Σ_{j≠k} exp(x_j - m))} with m the slice's maximum (at k), so no term
 * overflows and the result is within an ulp or two of exact at any magnitude
 * ({@code logSumExp([1000, 1000]) = 1000 + ln 2}, {@code logSumExp([0, -40]) = 4.25e-18}); see
 * {@link SoftmaxRows} for the arithmetic. The sum over zero elements is -∞. Infinite entries: +∞
 * dominates ({@code y = +∞}), -∞ entries add nothing, a slice of -∞ gives -∞; NaN gives NaN.
 *
 * <p>With {@code p = softmax(x)} over each reduced slice:
 * <pre>
 *   VJP: dx = p ⊙ broadcast(g)          JVP: t_y = Σ_axes p ⊙ t
 * </pre>
 * p is computed from x as {@code e_j / Σ e}, never as {@code exp(x - y)}: y rounds to x at |x| ≥ 1e16,
 * which would make the gradient at {@code [1e16, 1e16]} [1, 1] instead of [½, ½]. At infinite entries p
 * is the limit {@link SoftmaxRows} describes (the +∞ entries share the gradient equally; a slice of
 * -∞ has the uniform gradient). The recorded VJP multiplies g by the recorded {@link Softmax} of x over
 * the same axes, so gradients of gradients are exact.
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
            int k = SoftmaxRows.argmax(xd, b, s.off);
            if (k < 0) {
                y[o] = Double.NEGATIVE_INFINITY; // log of the empty sum 0
                continue;
            }
            // m = ±∞ needs no case: m + log1p(r) is m (r = n - 1 for a slice of -∞).
            y[o] = xd[b + s.off[k]] + StrictMath.log1p(SoftmaxRows.rest(xd, b, s.off, k));
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        int[] xs = x.shape();
        int[] a = axes(xs.length);
        int[] kept = Axes.keep(xs, a);
        if (node.creatingGraph()) {
            return new Tensor[] {Ops.mul(Ops.reshape(g, kept), new Softmax(a).apply(x))};
        }
        Slices s = Slices.of(xs, a);
        double[] p = SoftmaxRows.probabilities(x.data(), s);
        double[] gd = g.data();
        for (int o = 0; o < gd.length; o++) {
            int b = s.base[o];
            for (int j : s.off) p[b + j] *= gd[o];
        }
        return new Tensor[] {Tensor.wrap(p, xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] xs = x[0].shape();
        int[] a = axes(xs.length);
        Tensor p = Tensor.wrap(SoftmaxRows.probabilities(x[0].data(), Slices.of(xs, a)), xs);
        return new Sum(Axes.shifted(a), keepDims).apply(Ops.mul(t[0], p));
    }
}
