package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Reference forward values computed the slow, obvious way (index by index), independently of the
 * op implementations, so that a wrong forward pass cannot hide behind a gradient consistent with it.
 */
final class Ref {
    private Ref() {}

    static Tensor map(Tensor x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(x.data()[i]);
        return Tensor.wrap(out, x.shape());
    }

    /** The broadcast of two shapes, by NumPy's rule written out. */
    static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) throw new IllegalArgumentException("no broadcast");
            s[i] = da == 1 ? db : da; // not max: 0 and 1 broadcast to 0
        }
        return s;
    }

    /** The element of x that position {@code idx} of a broadcast result reads. */
    static double at(Tensor x, int[] idx) {
        int[] s = x.shape();
        int off = idx.length - s.length;
        int[] xi = new int[s.length];
        for (int i = 0; i < s.length; i++) xi[i] = s[i] == 1 ? 0 : idx[i + off];
        return x.rank() == 0 ? x.item() : x.get(xi);
    }

    static int[] unflat(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static Tensor map2(Tensor a, Tensor b, DoubleBinaryOperator f) {
        int[] s = broadcastShape(a.shape(), b.shape());
        double[] out = new double[Shapes.size(s)];
        for (int i = 0; i < out.length; i++) {
            int[] idx = unflat(i, s);
            out[i] = f.applyAsDouble(at(a, idx), at(b, idx));
        }
        return Tensor.wrap(out, s);
    }

    /** {@code cond ? a : b} over the broadcast of all three shapes. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] s = broadcastShape(cond.shape(), broadcastShape(a.shape(), b.shape()));
        double[] out = new double[Shapes.size(s)];
        for (int i = 0; i < out.length; i++) {
            int[] idx = unflat(i, s);
            out[i] = at(cond, idx) != 0 ? at(a, idx) : at(b, idx);
        }
        return Tensor.wrap(out, s);
    }
}
