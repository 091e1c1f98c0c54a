package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * A permutation of axes: {@code y[i_perm[0], ..., i_perm[r-1]] = x[i_0, ..., i_{r-1}]}, i.e. axis j of y
 * is axis {@code perm[j]} of x (NumPy's {@code transpose(x, perm)}). Copies. VJP: g transposed by the
 * inverse permutation. JVP: the tangent transposed by {@code [0, perm + 1]}.
 */
final class Transpose extends Primitive {
    private final int[] perm;

    Transpose(int[] perm) {
        if (perm == null) throw new NullPointerException("transpose: the permutation is null");
        this.perm = perm.clone();
    }

    @Override
    public String name() {
        return "transpose";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int r = x[0].rank();
        if (perm.length != r) {
            throw new ShapeException("transpose: permutation " + Shapes.str(perm) + " has " + perm.length
                    + " axes, the input " + Shapes.str(x[0].shape()) + " has " + r);
        }
        boolean[] seen = new boolean[r];
        int[] s = new int[r];
        for (int j = 0; j < r; j++) {
            int p = perm[j];
            if (p < 0 || p >= r || seen[p]) {
                throw new ShapeException("transpose: " + Shapes.str(perm) + " is not a permutation of the axes 0.."
                        + (r - 1));
            }
            seen[p] = true;
            s[j] = x[0].dim(p);
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] src = x[0].data();
        double[] out = new double[src.length];
        int r = shape.length;
        if (r == 2 && perm[0] == 1) {
            int m = shape[0];
            int n = shape[1];
            // Blocked so that both the reads and the writes stay in cache for large matrices.
            final int blk = 32;
            for (int i0 = 0; i0 < m; i0 += blk) {
                for (int j0 = 0; j0 < n; j0 += blk) {
                    int iEnd = Math.min(i0 + blk, m);
                    int jEnd = Math.min(j0 + blk, n);
                    for (int i = i0; i < iEnd; i++) {
                        for (int j = j0; j < jEnd; j++) out[i * n + j] = src[j * m + i];
                    }
                }
            }
            return Tensor.wrap(out, shape);
        }
        int[] xStrides = Shapes.strides(x[0].shape());
        int[] st = new int[r];
        for (int j = 0; j < r; j++) st[j] = xStrides[perm[j]];
        int[] idx = new int[r];
        int off = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = src[off];
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += st[ax];
                if (idx[ax] < shape[ax]) break;
                off -= st[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        return Tensor.wrap(out, shape);
    }

    int[] inverse() {
        int[] inv = new int[perm.length];
        for (int j = 0; j < perm.length; j++) inv[perm[j]] = j;
        return inv;
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {Ops.permute(g, inverse())};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] p = new int[perm.length + 1];
        for (int j = 0; j < perm.length; j++) p[j + 1] = perm[j] + 1;
        return Ops.permute(t[0], p);
    }
}
