package dev.wengert.ops;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;

/** Axis lists of reductions: normalised, sorted, checked; and the shapes they leave. */
final class Axes {
    private Axes() {}

    /**
     * The sorted, non-negative axes; {@code null} means all axes (an empty array means none).
     *
     * @throws ShapeException naming {@code op} for an axis out of range or repeated
     */
    static int[] normalize(String op, int[] axes, int rank) {
        if (axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            int n = Shapes.axis(op, a, rank);
            if (seen[n]) {
                throw new ShapeException(op + ": axis " + a + " is repeated in " + Shapes.str(axes) + " for rank " + rank);
            }
            seen[n] = true;
        }
        int[] out = new int[axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) if (seen[i]) out[k++] = i;
        return out;
    }

    /** {@code shape} with the reduced axes set to 1. */
    static int[] keep(int[] shape, int[] axes) {
        int[] s = shape.clone();
        for (int a : axes) s[a] = 1;
        return s;
    }

    /** {@code shape} without the reduced axes. */
    static int[] drop(int[] shape, int[] axes) {
        int[] s = new int[shape.length - axes.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (j < axes.length && axes[j] == i) {
                j++;
            } else {
                s[k++] = shape[i];
            }
        }
        return s;
    }

    /** The product of the reduced sizes. */
    static int count(int[] shape, int[] axes) {
        int n = 1;
        for (int a : axes) n *= shape[a];
        return n;
    }

    /** The axes shifted past a tangent batch axis. */
    static int[] shifted(int[] axes) {
        int[] s = new int[axes.length];
        for (int i = 0; i < axes.length; i++) s[i] = axes[i] + 1;
        return s;
    }

    /** The facade's convention: no axes given means all of them. */
    static int[] orAll(int[] axes) {
        return axes == null || axes.length == 0 ? null : axes;
    }
}
