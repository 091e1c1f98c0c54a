package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y_i = x_i - log Σ_j exp(x_j)} along one axis (negative counts from the end), computed as
 * {@code (x_i - m) - log Σ_j exp(x_j - m)} with m the maximum along the axis: no overflow, and no
 * {@code log 0} where the softmax underflows ({@code logSoftmax([1000, -1000]) = [0, -2000]}).
 *
 * <p>With {@code p = exp(y)}, the softmax:
 * <pre>
 *   VJP: dx = g - p Σ_axis g          JVP: t_y = t - Σ_axis p ⊙ t
 * </pre>
 * The recorded VJP builds p from the recorded output y, so gradients of gradients are exact.
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

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        Slices s = Slices.along(shape, Shapes.axis("logSoftmax", axis, shape.length));
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            double m = Slices.max(xd, b, s.off);
            double sum = 0;
            for (int j : s.off) {
                double shifted = xd[b + j] - m;
                y[b + j] = shifted;
                sum += StrictMath.exp(shifted);
            }
            double logSum = StrictMath.log(sum);
            for (int j : s.off) y[b + j] -= logSum;
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor y = node.output();
        int[] ys = y.shape();
        int a = Shapes.axis("logSoftmax", axis, ys.length);
        if (node.creatingGraph()) {
            return new Tensor[] {Ops.sub(g, Ops.mul(Ops.exp(y), Ops.sumKeepDims(g, a)))};
        }
        Slices s = Slices.along(ys, a);
        double[] yd = y.data();
        double[] gd = g.data();
        double[] out = new double[yd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            double gSum = 0;
            for (int j : s.off) gSum += gd[b + j];
            for (int j : s.off) out[b + j] = gd[b + j] - StrictMath.exp(yd[b + j]) * gSum;
        }
        return new Tensor[] {Tensor.wrap(out, ys)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] ys = y.shape();
        Slices s = Slices.along(ys, Shapes.axis("logSoftmax", axis, ys.length));
        double[] yd = y.data();
        double[] p = new double[yd.length];
        for (int i = 0; i < p.length; i++) p[i] = StrictMath.exp(yd[i]);
        double[] td = t[0].data();
        double[] out = new double[td.length];
        int size = yd.length;
        for (int d = 0, k = Tangents.k(t[0]); d < k; d++) {
            int dOff = d * size;
            for (int o = 0; o < s.count(); o++) {
                int b = s.base[o];
                double dot = 0;
                for (int j : s.off) dot += p[b + j] * td[dOff + b + j];
                for (int j : s.off) out[dOff + b + j] = td[dOff + b + j] - dot;
            }
        }
        return Tensor.wrap(out, t[0].shape());
    }
}
