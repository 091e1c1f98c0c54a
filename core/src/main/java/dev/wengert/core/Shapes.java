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

    /**
     * The number of elements, the product of the sizes (1 for a scalar), computed in {@code long}.
     *
     * @param shape the sizes, one per axis
     * @return the number of elements, from 0 to 2^31 − 1
     * @throws ShapeException when a size is negative, or when the product of the nonzero sizes exceeds
     *                        2^31 − 1 (so every stride and partial product of a valid shape fits an int,
     *                        even for an empty tensor)
     */
    public static int size(int[] shape) {
        return size(null, shape);
    }

    /**
     * {@link #size(int[])} for the operation {@code op}, which the messages name: {@code zeros: shape
     * [65536,65536] has 4294967296 elements, more than 2^31 − 1}.
     *
     * @param op    the operation asking
     * @param shape the shape
     * @return its number of elements
     * @throws ShapeException as {@link #size(int[])}
     */
    public static int size(String op, int[] shape) {
        if (shape == null) throw new NullPointerException(prefix(op) + "shape is null");
        long nonzero = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d > 0) {
                nonzero *= d; // at most (2^31 − 1)², no overflow before the check
                if (nonzero > Integer.MAX_VALUE) throw tooLarge(op, shape);
            } else if (d == 0) {
                empty = true;
            } else {
                throw new ShapeException(prefix(op) + "shape " + str(shape) + " has a negative size " + d + " (axis "
                        + indexOf(shape, d) + ")");
            }
        }
        return empty ? 0 : (int) nonzero;
    }

    private static ShapeException tooLarge(String op, int[] shape) {
        long nonzero = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d == 0) empty = true;
            else nonzero = nonzero > Long.MAX_VALUE / d ? Long.MAX_VALUE : nonzero * d;
        }
        String count = nonzero == Long.MAX_VALUE ? "more than 2^63" : Long.toString(nonzero);
        return new ShapeException(prefix(op) + "shape " + str(shape) + (empty
                ? " is empty, but its nonzero sizes multiply to " + count + ", more than 2^31 − 1 (its strides overflow)"
                : " has " + count + " elements, more than 2^31 − 1 (the largest Java array)"));
    }

    private static int indexOf(int[] shape, int d) {
        for (int i = 0; i < shape.length; i++) if (shape[i] == d) return i;
        return -1;
    }

    /** {@code "op: "}, or nothing without an op. */
    private static String prefix(String op) {
        return op == null ? "" : op + ": ";
    }

    /**
     * Row-major strides in elements: {@code strides[i]} is the product of the sizes after axis i.
     *
     * @param shape the sizes, one per axis
     * @return a new array of the strides, in elements (not bytes)
     */
    public static int[] strides(int[] shape) {
        if (shape == null) throw new NullPointerException("strides: shape is null");
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * {@code [2,3]} style, as every error message prints shapes.
     *
     * @param shape the sizes, one per axis
     * @return the shape as {@code [2,3]}, without spaces; {@code []} for a scalar
     */
    public static String str(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    /**
     * Whether the two shapes are identical (scalars included).
     *
     * @param a one shape
     * @param b the other
     * @return true when they have the same rank and sizes
     */
    public static boolean same(int[] a, int[] b) {
        return a == b || Arrays.equals(a, b);
    }

    /**
     * The broadcast shape of {@code a} and {@code b}.
     *
     * @param op the operation asking, named in the error
     * @param a  the first operand's shape
     * @param b  the second operand's shape
     * @return the broadcast shape, aligned from the last axis as in NumPy; {@code a} itself when the two are
     *     the same
     * @throws ShapeException when a pair of aligned sizes differs and neither is 1
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (op == null) throw new NullPointerException("broadcast: op is null");
        if (a == null || b == null) {
            throw new NullPointerException(op + ": cannot broadcast shapes " + str(a) + " and " + str(b));
        }
        if (same(a, b)) return a;
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da < 0 || db < 0) {
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast (axis "
                        + (i - rank) + " has a negative size)");
            }
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (axis " + (i - rank) + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Whether {@code from} broadcasts to exactly {@code to}.
     *
     * @param from the shape broadcast
     * @param to   the target shape
     * @return true when {@code broadcast(from, to)} is {@code to}: every size of from, aligned from the last
     *     axis, is 1 or equal to to's
     */
    public static boolean broadcastsTo(int[] from, int[] to) {
        if (from == null || to == null) {
            throw new NullPointerException("broadcastsTo: shape " + (from == null ? "from" : "to") + " is null");
        }
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
     * @param op   the operation asking, named in the error
     * @param axis the axis, from {@code -rank} to {@code rank - 1}
     * @param rank the tensor's rank
     * @return the axis, from 0 to {@code rank - 1}
     * @throws ShapeException naming {@code op} when the axis is out of range for {@code rank}
     */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /**
     * A copy of {@code shape} with {@code k} prepended: the shape of a batch of k tangents.
     *
     * @param k     the leading size, at least 0
     * @param shape the sizes, one per axis
     * @return a new array, {@code [k, shape...]}
     */
    public static int[] prepend(int k, int[] shape) {
        if (k < 0) throw new IllegalArgumentException("prepend: the leading size must be >= 0, got " + k);
        if (shape == null) throw new NullPointerException("prepend: shape is null");
        int[] s = new int[shape.length + 1];
        s[0] = k;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /**
     * {@code shape} without its first axis.
     *
     * @param shape a shape of rank at least 1
     * @return a new array (or the shared scalar shape for rank 1) with {@code shape[1..]}
     */
    public static int[] dropFirst(int[] shape) {
        if (shape == null) throw new NullPointerException("dropFirst: shape is null");
        if (shape.length == 0) throw new ShapeException("dropFirst: shape [] has no first axis");
        return shape.length == 1 ? SCALAR : Arrays.copyOfRange(shape, 1, shape.length);
    }
}
