package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.function.DoubleBinaryOperator;

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

    /**
     * {@code op(a, b)} elementwise over {@code so}, the broadcast of {@code sa} and {@code sb}: the odometer
     * walks the rows of the output and hands each to the op's own row loop, so the per-element work is a
     * loop the JIT compiles for that op alone.
     */
    static double[] map2(double[] a, int[] sa, double[] b, int[] sb, int[] so, BinaryElementwise op) {
        double[] out = Allocation.doubles(op.name(), so);
        int n = out.length;
        if (a.length == n && b.length == n) {
            op.row(a, 0, 1, b, 0, 1, out, 0, n);
            return out;
        }
        if (b.length == 1 && a.length == n) {
            op.row(a, 0, 1, b, 0, 0, out, 0, n);
            return out;
        }
        if (a.length == 1 && b.length == n) {
            op.row(a, 0, 0, b, 0, 1, out, 0, n);
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
            op.row(a, offA, ia, b, offB, ib, out, base, inner);
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

    /** {@code f(a, b)} elementwise with broadcasting, for cold paths (masks, kink fingerprints). */
    static double[] map2(double[] a, int[] sa, double[] b, int[] sb, int[] so, DoubleBinaryOperator f) {
        return map2(a, sa, b, sb, so, new BinaryElementwise() {
            @Override
            double f(double u, double v) {
                return f.applyAsDouble(u, v);
            }

            @Override
            public String name() {
                return "map2";
            }

            @Override
            Tensor partialA(Tensor x, Tensor y, Tensor z) {
                throw new UnsupportedOperationException();
            }

            @Override
            Tensor partialB(Tensor x, Tensor y, Tensor z) {
                throw new UnsupportedOperationException();
            }
        });
    }

    /** {@code src} of shape {@code s} repeated along broadcast axes to shape {@code t}, for the op {@code op}. */
    static double[] broadcast(String op, double[] src, int[] s, int[] t) {
        double[] out = Allocation.doubles(op, t);
        int n = out.length;
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
