package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * NumPy's {@code take}: the slices of x at the given indices along one axis (negative axis counts
 * from the end), the index array having shape {@code indexShape}:
 * {@code y[i..., p..., k...] = x[i..., indices[p], k...]}, so that
 * {@code shape(y) = shape(x)[:axis] + indexShape + shape(x)[axis+1:]} (an embedding lookup of a
 * {@code [batch, time]} array of ids). Indices may repeat; they must lie in {@code [0, size)}, negative
 * ones are not counted from the end: an out-of-range index throws an
 * {@link IndexOutOfBoundsException} naming its position.
 *
 * <p>Gather is linear. VJP: {@code dx = scatterAdd(g)}: each slice of g added into zeros of x's shape
 * at its index, so repeated indices sum their cotangents ({@link ScatterAdd}, the transpose). JVP: the
 * same gather of the tangent, along the axis shifted past the batch axis.
 */
final class Gather extends Primitive {
    private final int axis;
    private final int[] indices;
    private final int[] indexShape;

    Gather(int axis, int[] indices, int[] indexShape) {
        if (indices == null) throw new NullPointerException("gather: indices is null");
        if (indexShape == null) throw new NullPointerException("gather: the index shape is null");
        this.axis = axis;
        this.indices = indices.clone();
        this.indexShape = indexShape.clone();
        checkIndexShape("gather", this.indices, this.indexShape);
    }

    /** The indices must fill the index shape exactly. */
    static void checkIndexShape(String op, int[] indices, int[] indexShape) {
        for (int i = 0; i < indexShape.length; i++) {
            if (indexShape[i] < 0) {
                throw new ShapeException(op + ": the index shape " + Shapes.str(indexShape) + " has a negative size "
                        + indexShape[i] + " (axis " + i + ")");
            }
        }
        int n = Shapes.size(op, indexShape);
        if (indices.length != n) {
            throw new ShapeException(op + ": " + indices.length + " indices do not fill the index shape "
                    + Shapes.str(indexShape) + " (" + n + " elements)");
        }
    }

    /** Every index must address a position of an axis of {@code size}. */
    static void checkIndices(String op, int[] indices, int axis, int size, int[] shape) {
        for (int p = 0; p < indices.length; p++) {
            if (indices[p] < 0 || indices[p] >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + indices[p] + " at position " + p
                        + " is out of range for axis " + axis + " of size " + size + " (shape " + Shapes.str(shape)
                        + "); indices must lie in [0, " + size + ")");
            }
        }
    }

    @Override
    public String name() {
        return "gather";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int a = Shapes.axis("gather", axis, xs.length);
        checkIndices("gather", indices, axis, xs[a], xs);
        int[] out = new int[xs.length - 1 + indexShape.length];
        System.arraycopy(xs, 0, out, 0, a);
        System.arraycopy(indexShape, 0, out, a, indexShape.length);
        System.arraycopy(xs, a + 1, out, a + indexShape.length, xs.length - a - 1);
        return out;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        int a = Shapes.axis("gather", axis, xs.length);
        double[] src = x[0].data();
        double[] out = Allocation.doubles("gather", shape);
        if (out.length == 0) return Tensor.wrap(out, shape);
        int n = xs[a];
        int inner = 1;
        for (int i = a + 1; i < xs.length; i++) inner *= xs[i];
        int m = indices.length;
        int outer = out.length / (m * inner);
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < m; p++) {
                int from = (o * n + indices[p]) * inner;
                int to = (o * m + p) * inner;
                if (inner == 1) out[to] = src[from];
                else System.arraycopy(src, from, out, to, inner);
            }
        }
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        int[] xs = node.input(0).shape();
        int a = Shapes.axis("gather", axis, xs.length);
        return new Tensor[] {new ScatterAdd(a, indices, indexShape, xs[a]).apply(g)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return new Gather(Shapes.axis("gather", axis, x[0].rank()) + 1, indices, indexShape).apply(t[0]);
    }
}
