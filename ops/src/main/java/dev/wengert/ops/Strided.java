package dev.wengert.ops;

import dev.wengert.core.Shapes;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Raw loops over row-major arrays with NumPy broadcasting: an odometer over all axes but the last,
 * and a tight inner loop over the last axis with per-operand strides (0 on a broadcast axis). These
 * compute values only; gradients go through the primitives that call them.
 */
final class Strided {
    private Strided() {}

    /** The strides of an operand of shape {@code s} read at the positions of shape {@code out}, 0 where it broadcasts. */
    static int[] broadcastStrides(int[] s, int[] out) {
        int r = out.length;
        int[] st = new int[r];
        int acc = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            int oi = i + (r - s.length);
            st[oi] = s[i] == 1 ? 0 : acc;
            acc *= s[i];
        }
        return st;
    }

    /** {@code f(x)} elementwise. */
    static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    /** {@code f(a, b)} elementwise over {@code so}, the broadcast of {@code sa} and {@code sb}. */
    static double[] map2(double[] a, int[] sa, double[] b, int[] sb, int[] so, DoubleBinaryOperator f) {
        int n = Shapes.size(so);
        double[] out = new double[n];
        if (a.length == n && b.length == n) {
            for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(a[i], b[i]);
            return out;
        }
        if (b.length == 1 && a.length == n) {
            double bv = b[0];
            for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(a[i], bv);
            return out;
        }
        if (a.length == 1 && b.length == n) {
            double av = a[0];
            for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(av, b[i]);
            return out;
        }
        if (n == 0) return out;
        int r = so.length;
        int[] ta = broadcastStrides(sa, so);
        int[] tb = broadcastStrides(sb, so);
        int inner = so[r - 1];
        int ia = ta[r - 1];
        int ib = tb[r - 1];
        int[] idx = new int[r];
        int offA = 0;
        int offB = 0;
        for (int base = 0; base < n; base += inner) {
            for (int j = 0; j < inner; j++) out[base + j] = f.applyAsDouble(a[offA + j * ia], b[offB + j * ib]);
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                offA += ta[ax];
                offB += tb[ax];
                if (idx[ax] < so[ax]) break;
                offA -= ta[ax] * so[ax];
                offB -= tb[ax] * so[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** {@code src} of shape {@code s} repeated along broadcast axes to shape {@code t}. */
    static double[] broadcast(double[] src, int[] s, int[] t) {
        int n = Shapes.size(t);
        double[] out = new double[n];
        if (src.length == n) {
            System.arraycopy(src, 0, out, 0, n);
            return out;
        }
        if (src.length == 1) {
            java.util.Arrays.fill(out, src[0]);
            return out;
        }
        if (n == 0) return out;
        int r = t.length;
        int[] ts = broadcastStrides(s, t);
        int inner = t[r - 1];
        int is = ts[r - 1];
        int[] idx = new int[r];
        int off = 0;
        for (int base = 0; base < n; base += inner) {
            if (is == 1) {
                System.arraycopy(src, off, out, base, inner);
            } else {
                for (int j = 0; j < inner; j++) out[base + j] = src[off + j * is];
            }
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                off += ts[ax];
                if (idx[ax] < t[ax]) break;
                off -= ts[ax] * t[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** The sum of {@code src} (shape {@code s}) over the axes along which {@code t} broadcasts to {@code s}. */
    static double[] sumTo(double[] src, int[] s, int[] t) {
        int m = Shapes.size(t);
        double[] out = new double[m];
        int n = src.length;
        if (m == n) {
            System.arraycopy(src, 0, out, 0, n);
            return out;
        }
        if (m == 1) {
            double acc = 0;
            for (double v : src) acc += v;
            out[0] = acc;
            return out;
        }
        if (n == 0) return out;
        int r = s.length;
        int[] ts = broadcastStrides(t, s);
        int inner = s[r - 1];
        int is = ts[r - 1];
        int[] idx = new int[r];
        int off = 0;
        for (int base = 0; base < n; base += inner) {
            if (is == 0) {
                double acc = 0;
                for (int j = 0; j < inner; j++) acc += src[base + j];
                out[off] += acc;
            } else {
                for (int j = 0; j < inner; j++) out[off + j * is] += src[base + j];
            }
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                off += ts[ax];
                if (idx[ax] < s[ax]) break;
                off -= ts[ax] * s[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** {@code s} left-padded with 1s to rank {@code r}. */
    static int[] padLeft(int[] s, int r) {
        if (s.length == r) return s;
        int[] p = new int[r];
        java.util.Arrays.fill(p, 0, r - s.length, 1);
        System.arraycopy(s, 0, p, r - s.length, s.length);
        return p;
    }
}
