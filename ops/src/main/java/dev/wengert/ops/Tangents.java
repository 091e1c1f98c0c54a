package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * Helpers for JVP rules. A tangent batch has shape {@code [k, s...]} for an input of shape s; before it
 * meets a tensor of the output's rank under broadcasting, it is lifted to {@code [k, 1..., s...]} so
 * that NumPy's right alignment keeps the batch axis in front. Tangent arithmetic is never recorded.
 */
final class Tangents {
    private Tangents() {}

    /** The number of directions in a tangent batch. */
    static int k(Tensor t) {
        return t.dim(0);
    }

    /** {@code t} of shape {@code [k, s...]} reshaped to {@code [k, 1..., s...]} with {@code rank} axes after k. */
    static Tensor lift(Tensor t, int rank) {
        int[] s = t.shape();
        if (s.length - 1 >= rank) return t;
        int[] lifted = new int[rank + 1];
        lifted[0] = s[0];
        java.util.Arrays.fill(lifted, 1, rank + 1 - (s.length - 1), 1);
        System.arraycopy(s, 1, lifted, rank + 1 - (s.length - 1), s.length - 1);
        return Ops.reshape(t, lifted);
    }

    /** a + b where either may be null (zero). */
    static Tensor sum(Tensor a, Tensor b) {
        if (a == null) return b;
        if (b == null) return a;
        return Ops.add(a, b);
    }

    /** Broadcasts a (possibly null) tangent to the full {@code [k, shape(y)...]}. */
    static Tensor complete(Tensor t, Tensor y) {
        if (t == null) return null;
        int[] full = Shapes.prepend(t.dim(0), y.shape());
        return t.hasShape(full) ? t : Ops.broadcastTo(t, full);
    }

    /** A normalised axis of the primal shifted past the batch axis. */
    static int axis(int primalAxis) {
        return primalAxis + 1;
    }
}
