package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y_i = x_i - log Σ_j exp(x_j)} along one axis (negative counts from the end), computed as
 * {@code (x_i - m) - log1p(Σ_{j≠k} exp(x_j - m))} with m the maximum along the axis (at k): no overflow,
 * no {@code log 0} where the softmax underflows ({@code logSoftmax([1000, -1000]) = [0, -2000]}), and
 * no loss where the mass outside the maximum is below ulp(1) ({@code logSoftmax([0, -40])_0 =
 * -4.25e-18}, not 0); see {@link SoftmaxRows}. Infinite entries take the limits described there:
 * {@code logSoftmax([∞, 1]) = [0, -∞]}, a -∞ entry gives -∞, a slice of -∞ gives {@code -ln n}; NaN
 * makes its slice NaN.
 *
 * <p>With {@code p = softmax(x)}:
 * <pre>
 *   VJP: dx = g - p Σ_axis g          JVP: t_y = t - Σ_axis p ⊙ t
 * </pre>
 * p is computed from the input, not as {@code exp(y)} (which loses |y| ulps), and the entry at the
 * maximum is taken without cancelling: {@code dx_k = (1 - p_k) Σg - Σ_{j≠k} g_j}, and the JVP as in
 * {@link SoftmaxRows#centered}. The recorded VJP builds the same formula from primitives and the
 * recorded {@link Softmax} of x, so gradients of gradients are exact.
 */
final class LogSoftmax extends Primitive {
    private final int axis;

    LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "logSoftmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        Shapes.axis("logSoftmax", axis, x[0].rank());
        return x[0].shape();
    }

    private Slices slices(int[] shape) {
        return Slices.along(shape, Shapes.axis("logSoftmax", axis, shape.length));
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        Slices s = slices(shape);
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            int k = SoftmaxRows.argmax(xd, b, s.off);
            if (k < 0) continue;
            double m = xd[b + s.off[k]];
            double logS = StrictMath.log1p(SoftmaxRows.rest(xd, b, s.off, k));
            for (int j : s.off) y[b + j] = -SoftmaxRows.negLogP(xd[b + j], m, logS);
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        int[] xs = x.shape();
        int a = Shapes.axis("logSoftmax", axis, xs.length);
        Slices s = Slices.along(xs, a);
        if (node.creatingGraph()) {
            // g - p Σg = (Σg)(mask - p) - ((Σg) mask - g), both brackets free of cancellation at the maximum.
            Tensor p = Ops.softmax(x, a);
            Tensor mask = SoftmaxRows.argmaxMask(x, s);
            Tensor gSum = Ops.sumKeepDims(g, a);
            return new Tensor[] {Ops.sub(Ops.mul(gSum, SoftmaxRows.lessOneHot(p, mask, new int[] {a})),
                    SoftmaxRows.lessOneHot(g, mask, new int[] {a}))};
        }
        double[] xd = x.data();
        double[] gd = g.data();
        double[] out = new double[xd.length];
        double[] p = new double[xd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            int k = SoftmaxRows.argmax(xd, b, s.off);
            if (k < 0) continue;
            double r = SoftmaxRows.probabilities(xd, b, s.off, k, p, b);
            double gSum = 0;
            double gOthers = 0;
            for (int j = 0; j < s.n; j++) {
                double v = gd[b + s.off[j]];
                gSum += v;
                if (j != k) gOthers += v;
            }
            for (int j : s.off) out[b + j] = gd[b + j] - p[b + j] * gSum;
            out[b + s.off[k]] = r / (1 + r) * gSum - gOthers;
        }
        return new Tensor[] {Tensor.wrap(out, xs)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] xs = x[0].shape();
        Slices s = slices(xs);
        double[] xd = x[0].data();
        double[] p = SoftmaxRows.probabilities(xd, s);
        int[] ks = SoftmaxRows.argmaxes(xd, s);
        double[] td = t[0].data();
        double[] out = new double[td.length];
        for (int d = 0; d < td.length; d += p.length) {
            for (int o = 0; o < ks.length; o++) {
                if (ks[o] >= 0) SoftmaxRows.centered(p, s.base[o], s.off, ks[o], td, d + s.base[o], out, d + s.base[o]);
            }
        }
        return Tensor.wrap(out, t[0].shape());
    }
}
