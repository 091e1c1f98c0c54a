package dev.wengert.ops;

import dev.wengert.core.Shapes;

/**
 * The reduced slices of a row-major tensor, for the reductions and the softmax family: slice
 * {@code o} (row-major over the kept axes, the order of a reduction's output) holds the elements at
 * {@code base[o] + off[j]}, {@code j < n} (row-major over the reduced axes). The two offset tables
 * are built once per call, so kernels are plain loops over each slice rather than per-element
 * index arithmetic; for the last axis of a {@code [b, c]} matrix, {@code base[o] = o c} and
 * {@code off[j] = j}.
 */
final class Slices {
    final int[] base;
    final int[] off;
    final int n;

    private Slices(int[] base, int[] off) {
        this.base = base;
        this.off = off;
        this.n = off.length;
    }

    /** The slices of a tensor of shape {@code shape} along the sorted, normalised {@code axes}. */
    static Slices of(int[] shape, int[] axes) {
        int[] strides = Shapes.strides(shape);
        boolean[] reduced = new boolean[shape.length];
        for (int a : axes) reduced[a] = true;
        int[] kept = new int[shape.length - axes.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduced[i]) kept[k++] = i;
        }
        return new Slices(offsets(shape, strides, kept), offsets(shape, strides, axes));
    }

    /** The slices along one normalised axis. */
    static Slices along(int[] shape, int axis) {
        return of(shape, new int[] {axis});
    }

    /** The number of slices. */
    int count() {
        return base.length;
    }

    /** The offsets of all positions of the given axes (others at 0), row-major over those axes. */
    private static int[] offsets(int[] shape, int[] strides, int[] ax) {
        int count = 1;
        for (int a : ax) count *= shape[a];
        int[] out = new int[count];
        int[] idx = new int[ax.length];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            out[i] = pos;
            for (int q = ax.length - 1; q >= 0; q--) {
                int a = ax[q];
                pos += strides[a];
                if (++idx[q] < shape[a]) break;
                pos -= strides[a] * shape[a];
                idx[q] = 0;
            }
        }
        return out;
    }

    /** The largest of {@code x[b + off[j]]}; NaN if one is NaN; -∞ for an empty slice. */
    static double max(double[] x, int b, int[] off) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j : off) {
            double v = x[b + j];
            if (v > m || v != v) m = v;
        }
        return m;
    }
}
