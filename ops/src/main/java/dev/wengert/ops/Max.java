package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y = max x} over the given axes (all when none are given), which are kept as size 1 or
 * dropped; a reduced slice holding a NaN gives NaN. The maximum over zero elements is an error.
 *
 * <p>Max is piecewise linear: its derivative is a mask {@code M} of x's shape that is constant between
 * kinks. Subgradient at a tie (the kink): a slice's gradient is split equally among its c tied maxima,
 * {@code M = 1/c} at each of them and 0 elsewhere (the centre of the subdifferential; JAX's choice and
 * PyTorch's for {@code amax}). Then
 * <pre>
 *   VJP: dx = M ⊙ broadcast(g)          JVP: t_y = Σ_axes M ⊙ t
 * </pre>
 * The mask enters both as a constant, so the VJP is linear in g and can be recorded for gradients of
 * gradients (the second derivative of max is zero between kinks). {@link #branch} fingerprints the
 * mask, i.e. which elements of each slice are maximal, ties included, so that a gradient check skips
 * finite differences whose stencil changes the argmax.
 */
final class Max extends Primitive {
    private final int[] axes;
    private final boolean keepDims;

    Max(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return "max";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int[] a = Axes.normalize("max", axes, xs.length);
        int[] out = keepDims ? Axes.keep(xs, a) : Axes.drop(xs, a);
        if (Axes.count(xs, a) == 0 && Shapes.size(out) > 0) {
            throw new ShapeException("max: the maximum over zero elements is undefined (axes " + Shapes.str(a)
                    + " of shape " + Shapes.str(xs) + ")");
        }
        return out;
    }

    private Slices slices(int[] xs) {
        return Slices.of(xs, Axes.normalize("max", axes, xs.length));
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        Slices s = slices(x[0].shape());
        double[] xd = x[0].data();
        double[] y = new double[s.count()];
        for (int o = 0; o < y.length; o++) y[o] = Slices.max(xd, s.base[o], s.off);
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        int[] xs = x.shape();
        Slices s = slices(xs);
        // From raw data even when recording: the mask is piecewise constant, like ReLU's.
        double[] mask = mask(x.data(), s, node.output().data());
        if (node.creatingGraph()) {
            int[] kept = Axes.keep(xs, Axes.normalize("max", axes, xs.length));
            return new Tensor[] {Ops.mul(Ops.broadcastTo(Ops.reshape(g, kept), xs), Tensor.wrap(mask, xs))};
        }
        double[] gd = g.data();
        double[] out = new double[mask.length];
        for (int o = 0; o < gd.length; o++) {
            int b = s.base[o];
            for (int j : s.off) {
                // Only at the maxima: an infinite g must not turn the zeros into NaN.
                if (mask[b + j] != 0) out[b + j] = gd[o] * mask[b + j];
            }
        }
        return new Tensor[] {Tensor.wrap(out, xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] xs = x[0].shape();
        int[] a = Axes.normalize("max", axes, xs.length);
        Tensor mask = Tensor.wrap(mask(x[0].data(), Slices.of(xs, a), y.data()), xs);
        // [k, xs...] times the mask (right-aligned), summed over the reduced axes past the batch axis.
        return new Sum(Axes.shifted(a), keepDims).apply(Ops.mul(t[0], mask));
    }

    @Override
    public boolean hasKinks() {
        return true;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        int[] xs = x[0].shape();
        return Kinks.signs(mask(x[0].data(), slices(xs), y.data()));
    }


    /**
     * {@code 1/c} at each of the c maxima of every slice, 0 elsewhere. In a NaN slice the NaNs are the
     * maxima, so the gradient still reaches (and flags) them.
     */
    static double[] mask(double[] x, Slices s, double[] y) {
        double[] m = new double[x.length];
        for (int o = 0; o < y.length; o++) {
            int b = s.base[o];
            double top = y[o];
            int c = 0;
            for (int j : s.off) {
                if (isTop(x[b + j], top)) c++;
            }
            double w = 1.0 / c;
            for (int j : s.off) {
                if (isTop(x[b + j], top)) m[b + j] = w;
            }
        }
        return m;
    }

    private static boolean isTop(double v, double top) {
        return v == top || (v != v && top != top);
    }
}
