package dev.wengert.core;

import java.util.Arrays;

/**
 * Static helpers for shapes, which Wengert keeps as plain {@code int[]} (row-major, outermost axis
 * first; the empty array is the shape of a 0-d tensor, a scalar).
 *
 * <p>Broadcasting follows NumPy: shapes are aligned at their last axis, and two sizes are compatible
 * when they are equal or one of them is 1; the missing leading axes of the shorter shape count as 1.
 */
public final class Shapes {
    /** The shape of a 0-d tensor. Shared: never modify it. */
    public static final int[] SCALAR = new int[0];

    private Shapes() {}

    /** The number of elements, the product of the sizes (1 for a scalar). */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("shape " + str(shape) + " has a negative size");
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides in elements: {@code strides[i]} is the product of the sizes after axis i. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** {@code [2,3]} style, as every error message prints shapes. */
    public static String str(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    /** Whether the two shapes are identical (scalars included). */
    public static boolean same(int[] a, int[] b) {
        return a == b || Arrays.equals(a, b);
    }

    /**
     * The broadcast shape of {@code a} and {@code b}.
     *
     * @param op the operation asking, named in the error
     * @throws ShapeException when a pair of aligned sizes differs and neither is 1
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (same(a, b)) return a;
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (axis " + (i - rank) + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Whether {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != 1 && from[i] != to[i + off]) return false;
        }
        return true;
    }

    /**
     * Normalises an axis that may be negative (counting from the end, as in NumPy).
     *
     * @throws ShapeException naming {@code op} when the axis is out of range for {@code rank}
     */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** A copy of {@code shape} with {@code k} prepended: the shape of a batch of k tangents. */
    public static int[] prepend(int k, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = k;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** {@code shape} without its first axis. */
    public static int[] dropFirst(int[] shape) {
        return shape.length == 1 ? SCALAR : Arrays.copyOfRange(shape, 1, shape.length);
    }
}
