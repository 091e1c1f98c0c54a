package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * The transpose of {@link Gather}, which its VJP applies: x has shape
 * {@code prefix + indexShape + suffix}, and y, of shape {@code prefix + [size] + suffix} (the axis of
 * size {@code size} at position {@code axis} of y; negative counts from the end of y's shape), sums the
 * slices of x into their indices: {@code y[i..., c, k...] = Σ_{p : indices[p] = c} x[i..., p..., k...]}.
 * Repeated indices add up; positions no index names stay 0. Indices must lie in {@code [0, size)}.
 *
 * <p>ScatterAdd is linear. VJP: {@code dx = gather(g)} with the same indices. JVP: the same
 * scatter-add of the tangent, along the axis shifted past the batch axis.
 */
final class ScatterAdd extends Primitive {
    private final int axis;
    private final int[] indices;
    private final int[] indexShape;
    private final int size;

    ScatterAdd(int axis, int[] indices, int[] indexShape, int size) {
        if (size < 0) throw new IllegalArgumentException("scatterAdd: size must be >= 0, got " + size);
        this.axis = axis;
        this.indices = indices.clone();
        this.indexShape = indexShape.clone();
        this.size = size;
        Gather.checkIndexShape("scatterAdd", this.indices, this.indexShape);
    }

    @Override
    public String name() {
        return "scatterAdd";
    }

    @Override
    public int arity() {
        return 1;
    }

    /** The normalised position of the scattered axis in y, for an input of shape xs. */
    private int axis(int[] xs) {
        int ir = indexShape.length;
        if (xs.length < ir) {
            throw new ShapeException("scatterAdd: input of shape " + Shapes.str(xs) + " has fewer axes than the index "
                    + "shape " + Shapes.str(indexShape));
        }
        int rank = xs.length - ir + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException("scatterAdd: axis " + axis + " is out of range for the output's rank " + rank
                    + " (input of shape " + Shapes.str(xs) + ", index shape " + Shapes.str(indexShape) + ")");
        }
        return a;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int a = axis(xs);
        int ir = indexShape.length;
        for (int d = 0; d < ir; d++) {
            if (xs[a + d] != indexShape[d]) {
                throw new ShapeException("scatterAdd: input of shape " + Shapes.str(xs) + " does not hold the index "
                        + "shape " + Shapes.str(indexShape) + " at axis " + a);
            }
        }
        int[] out = new int[xs.length - ir + 1];
        System.arraycopy(xs, 0, out, 0, a);
        out[a] = size;
        System.arraycopy(xs, a + ir, out, a + 1, xs.length - a - ir);
        Gather.checkIndices("scatterAdd", indices, axis, size, out);
        return out;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int a = axis(x[0].shape());
        double[] src = x[0].data();
        double[] out = Allocation.doubles("scatterAdd", shape);
        if (src.length == 0) return Tensor.wrap(out, shape);
        int inner = 1;
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int m = indices.length;
        int outer = src.length / (m * inner);
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < m; p++) {
                int from = (o * m + p) * inner;
                int to = (o * size + indices[p]) * inner;
                for (int i = 0; i < inner; i++) out[to + i] += src[from + i];
            }
        }
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {new Gather(axis(node.input(0).shape()), indices, indexShape).apply(g)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return new ScatterAdd(axis(x[0].shape()) + 1, indices, indexShape, size).apply(t[0]);
    }
}
