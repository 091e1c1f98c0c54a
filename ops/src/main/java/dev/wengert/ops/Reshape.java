package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y} = x's elements, row-major, in a new shape of the same size; one size may be -1, inferred.
 * The data array is shared, not copied (tensors are immutable). VJP: g reshaped to x's shape. JVP:
 * the tangent reshaped to {@code [k, shape(y)...]}.
 */
final class Reshape extends Primitive {
    private final int[] requested;

    Reshape(int[] shape) {
        if (shape == null) throw new NullPointerException("reshape: the target shape is null");
        this.requested = shape.clone();
    }

    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] s = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new ShapeException("reshape: more than one -1 in " + Shapes.str(requested));
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeException("reshape: negative size in " + Shapes.str(requested));
            } else {
                // Saturating: past 2^31 − 1 no input matches, and 2^64 must not wrap round to an empty size.
                known = Math.min(known * s[i], 1L << 40);
            }
        }
        int n = x[0].size();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new ShapeException("reshape: cannot reshape " + Shapes.str(x[0].shape()) + " (" + n
                        + " elements) to " + Shapes.str(requested));
            }
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new ShapeException("reshape: cannot reshape " + Shapes.str(x[0].shape()) + " (" + n
                    + " elements) to " + Shapes.str(requested) + " (" + (known == 1L << 40 ? "more than 2^31 − 1"
                    : Long.toString(known)) + " elements)");
        }
        // An empty shape must still be a valid one: its nonzero sizes must multiply to at most 2^31 − 1.
        return n == 0 ? validEmpty(s, x[0].shape()) : s;
    }

    private int[] validEmpty(int[] s, int[] from) {
        try {
            Shapes.size(s);
        } catch (ShapeException e) {
            throw new ShapeException("reshape: cannot reshape " + Shapes.str(from) + " (0 elements) to "
                    + Shapes.str(requested) + ": " + e.getMessage());
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.viewOf(x[0], shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {Ops.reshape(g, node.input(0).shape())};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return Ops.reshape(t[0], Shapes.prepend(t[0].dim(0), y.shape()));
    }
}
