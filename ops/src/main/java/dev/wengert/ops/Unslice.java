package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * The transpose of {@link Slice}, which its VJP applies: x placed at positions
 * {@code start, start + step, ...} of a zero tensor whose axis {@code axis} has size {@code size}:
 * {@code y[..., start + j step, ...] = x[..., j, ...]}, 0 elsewhere. y has x's shape except along
 * the axis; x's m elements along it must fit: {@code start + (m - 1) step < size}.
 *
 * <p>Unslice is linear. VJP: {@code dx = slice(g, axis, start, start + (m - 1) step + 1, step)}. JVP:
 * the same placement of the tangent, along the axis shifted past the batch axis.
 */
final class Unslice extends Primitive {
    private final int axis;
    private final int start;
    private final int step;
    private final int size;

    Unslice(int axis, int start, int step, int size) {
        if (step < 1) throw new IllegalArgumentException("unslice: step must be >= 1, got " + step);
        if (size < 0) throw new IllegalArgumentException("unslice: size must be >= 0, got " + size);
        this.axis = axis;
        this.start = start;
        this.step = step;
        this.size = size;
    }

    @Override
    public String name() {
        return "unslice";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int a = Shapes.axis("unslice", axis, xs.length);
        int m = xs[a];
        if (start < 0 || start > size || (m > 0 && start + (long) (m - 1) * step >= size)) {
            throw new ShapeException("unslice: " + m + " elements (axis " + axis + " of shape " + Shapes.str(xs)
                    + ") from start " + start + " with step " + step + " do not fit an axis of size " + size);
        }
        xs[a] = size;
        return xs;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        int a = Shapes.axis("unslice", axis, xs.length);
        int m = xs[a];
        double[] src = x[0].data();
        double[] out = Allocation.doubles("unslice", shape);
        if (src.length == 0) return Tensor.wrap(out, shape);
        int inner = 1;
        for (int i = a + 1; i < xs.length; i++) inner *= xs[i];
        int outer = src.length / (m * inner);
        for (int o = 0; o < outer; o++) {
            int from = o * m * inner;
            int to = (o * size + start) * inner;
            if (step == 1) {
                System.arraycopy(src, from, out, to, m * inner);
            } else if (inner == 1) {
                for (int j = 0; j < m; j++) out[to + j * step] = src[from + j];
            } else {
                for (int j = 0; j < m; j++) System.arraycopy(src, from + j * inner, out, to + j * step * inner, inner);
            }
        }
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        int[] xs = node.input(0).shape();
        int a = Shapes.axis("unslice", axis, xs.length);
        int m = xs[a];
        int end = m == 0 ? start : start + (m - 1) * step + 1;
        return new Tensor[] {new Slice(a, start, end, step).apply(g)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int a = Shapes.axis("unslice", axis, x[0].rank());
        return new Unslice(a + 1, start, step, size).apply(t[0]);
    }
}
