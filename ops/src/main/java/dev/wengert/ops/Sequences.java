package dev.wengert.ops;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/** What the fused sequence ops ({@link TanhRnnSequence}, {@link LstmSequence}, {@link GruSequence}) share. */
final class Sequences {
    private Sequences() {}

    /** The {@code [n, cols]} matrices of inputs {@code first..first+count−1}, stacked into {@code [count·n, cols]}. */
    static double[] stacked(Tensor[] x, int first, int count, int n, int cols) {
        double[] out = new double[count * n * cols];
        for (int g = 0; g < count; g++) System.arraycopy(x[first + g].data(), 0, out, g * n * cols, n * cols);
        return out;
    }

    /**
     * Direction q of the tangents of inputs {@code first..first+count−1} (each {@code [k, n, cols]} or null),
     * stacked into {@code [count·n, cols]} with zeros for null ones; null when all are null.
     */
    static double[] tangentStack(Tensor[] t, int first, int count, int q, int n, int cols) {
        double[] out = null;
        for (int g = 0; g < count; g++) {
            if (t[first + g] == null) continue;
            if (out == null) out = new double[count * n * cols];
            System.arraycopy(t[first + g].data(), q * n * cols, out, g * n * cols, n * cols);
        }
        return out;
    }

    /** The number of tangent directions: the leading size of any non-null tangent, or −1 when all are null. */
    static int directions(Tensor[] t) {
        for (Tensor ti : t) if (ti != null) return ti.dim(0);
        return -1;
    }

    /** {@code acc + v} recorded, or v when there is nothing yet. */
    static Tensor plus(Tensor acc, Tensor v) {
        return acc == null ? v : Ops.add(acc, v);
    }

    /** Step t of a {@code [T, B, cols]} tensor, as {@code [B, cols]} (recorded ops). */
    static Tensor step(Tensor y, int t, int batch, int cols) {
        return Ops.reshape(Ops.slice(y, 0, t, t + 1), batch, cols);
    }

    /** Gate g's {@code [n, cols]} block of a stacked {@code [count·n, cols]} gradient, as a new tensor. */
    static Tensor block(double[] stackedGrad, int g, int n, int cols, boolean vector) {
        double[] part = new double[n * cols];
        System.arraycopy(stackedGrad, g * n * cols, part, 0, n * cols);
        return vector ? Tensor.wrap(part, n) : Tensor.wrap(part, n, cols);
    }

    /** Checks X {@code [T,B,m]} with T ≥ 1, as every sequence op's inputs end with it. */
    static int[] checkInputs(String op, Tensor xs) {
        int[] s = xs.shape();
        if (s.length != 3 || s[0] == 0) {
            throw new ShapeException(op + ": X must be [T,B,m] with T >= 1 (the inputs of every step), got "
                    + Shapes.str(s));
        }
        return s;
    }

    /** Checks a square recurrent matrix and returns n (n = 0, no state units, gives empty states). */
    static int checkSquare(String op, String what, Tensor w) {
        int[] s = w.shape();
        if (s.length != 2 || s[0] != s[1]) {
            throw new ShapeException(op + ": " + what + " must be a square [n,n] matrix, got " + Shapes.str(s));
        }
        return s[0];
    }

    /** Checks that {@code t} has the shape {@code expected}, naming the op, the argument and both shapes. */
    static void check(String op, Tensor t, String what, String from, int... expected) {
        if (!t.hasShape(expected)) {
            throw new ShapeException(op + ": " + what + " must be " + Shapes.str(expected) + " (" + from + "), got "
                    + Shapes.str(t.shape()));
        }
    }

    /**
     * The shape rule of a gated sequence op whose inputs are, for G gates, {@code W_g [n,n]} (G of them),
     * {@code U_g [n,m]}, {@code b_g [n]}, then the initial states ({@code [B,n]} each, named by
     * {@code states}), then X {@code [T,B,m]}. Returns {T, B, n}.
     */
    static int[] checkGated(String op, Tensor[] x, String[] gates, String... states) {
        int g = gates.length;
        int[] xs = checkInputs(op, x[x.length - 1]);
        int n = checkSquare(op, "W_" + gates[0], x[0]);
        int batch = xs[1];
        int m = xs[2];
        String from = "n from W_" + gates[0] + ", B and m from X";
        for (int k = 0; k < g; k++) {
            check(op, x[k], "W_" + gates[k], from, n, n);
            check(op, x[g + k], "U_" + gates[k], from, n, m);
            check(op, x[2 * g + k], "b_" + gates[k], from, n);
        }
        for (int k = 0; k < states.length; k++) check(op, x[3 * g + k], states[k], from, batch, n);
        return new int[] {xs[0], batch, n};
    }
}
