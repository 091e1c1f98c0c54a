package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y_i = exp(x_i) / Σ_j exp(x_j)} along one axis (negative counts from the end), computed as
 * {@code exp(x_i - m) / Σ_j exp(x_j - m)} with m the maximum along the axis, so that inputs like
 * ±1000 give exact values rather than NaN ({@code softmax([1000, -1000]) = [1, 0]}).
 *
 * <p>The Jacobian is {@code diag(y) - y yᵀ} along the axis (symmetric), so
 * <pre>
 *   VJP: dx = y ⊙ (g - Σ_axis g ⊙ y)          JVP: t_y = y ⊙ (t - Σ_axis y ⊙ t)
 * </pre>
 * The recorded VJP uses the recorded output y, so gradients of gradients are exact.
 */
final class Softmax extends Primitive {
    private final int axis;

    Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        Shapes.axis("softmax", axis, x[0].rank());
        return x[0].shape();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        Slices s = Slices.along(shape, Shapes.axis("softmax", axis, shape.length));
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            double m = Slices.max(xd, b, s.off);
            double sum = 0;
            for (int j : s.off) {
                double e = StrictMath.exp(xd[b + j] - m);
                y[b + j] = e;
                sum += e;
            }
            for (int j : s.off) y[b + j] /= sum;
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor y = node.output();
        int[] ys = y.shape();
        int a = Shapes.axis("softmax", axis, ys.length);
        if (node.creatingGraph()) {
            return new Tensor[] {Ops.mul(y, Ops.sub(g, Ops.sumKeepDims(Ops.mul(g, y), a)))};
        }
        Slices s = Slices.along(ys, a);
        double[] yd = y.data();
        double[] gd = g.data();
        double[] out = new double[yd.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            double dot = 0;
            for (int j : s.off) dot += gd[b + j] * yd[b + j];
            for (int j : s.off) out[b + j] = yd[b + j] * (gd[b + j] - dot);
        }
        return new Tensor[] {Tensor.wrap(out, ys)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] ys = y.shape();
        Slices s = Slices.along(ys, Shapes.axis("softmax", axis, ys.length));
        double[] yd = y.data();
        double[] td = t[0].data();
        double[] out = new double[td.length];
        int size = yd.length;
        for (int d = 0, k = Tangents.k(t[0]); d < k; d++) {
            int dOff = d * size;
            for (int o = 0; o < s.count(); o++) {
                int b = s.base[o];
                double dot = 0;
                for (int j : s.off) dot += yd[b + j] * td[dOff + b + j];
                for (int j : s.off) out[dOff + b + j] = yd[b + j] * (td[dOff + b + j] - dot);
            }
        }
        return Tensor.wrap(out, t[0].shape());
    }
}
