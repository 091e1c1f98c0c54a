package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * The elements {@code start, start + step, ...} before {@code end} along one axis:
 * {@code y[..., j, ...] = x[..., start + j step, ...]} for {@code j < ceil((end - start) / step)}.
 * Negative axis, start and end count from the end (as in Python); unlike Python, bounds are not
 * clamped: after that, {@code 0 <= start <= end <= size} must hold, else a {@link ShapeException}.
 * {@code start == end} gives an empty result. The step must be at least 1.
 *
 * <p>Slice is linear. VJP: {@code dx = unslice(g)}, g placed at the sliced positions of zeros of x's
 * shape ({@link Unslice}, its transpose). JVP: the same slice of the tangent, along the axis shifted
 * past the batch axis.
 */
final class Slice extends Primitive {
    private final int axis;
    private final int start;
    private final int end;
    private final int step;

    Slice(int axis, int start, int end, int step) {
        if (step < 1) {
            throw new IllegalArgumentException("slice: step must be >= 1, got " + step + " (axis " + axis + ", range ["
                    + start + ", " + end + "))");
        }
        this.axis = axis;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    /** The slice on an input of a given shape: axis and bounds normalised, the count it selects, the axis size. */
    private record Range(int axis, int start, int end, int count, int size) {}

    private Range range(int[] xs) {
        int a = Shapes.axis("slice", axis, xs.length);
        int n = xs[a];
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        if (s < 0 || e > n || s > e) {
            throw new ShapeException("slice: range [" + start + ", " + end + ") does not fit axis " + axis + " of size "
                    + n + " (shape " + Shapes.str(xs) + "); after counting negative bounds from the end, "
                    + "0 <= start <= end <= " + n + " must hold");
        }
        // ceil((e - s) / step) in long: e - s + step - 1 overflows an int for steps near 2^31.
        return new Range(a, s, e, (int) (((long) e - s + step - 1) / step), n);
    }

    @Override
    public String name() {
        return "slice";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        Range r = range(xs);
        xs[r.axis()] = r.count();
        return xs;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        Range r = range(xs);
        double[] src = x[0].data();
        if (r.count() == r.size()) return Tensor.viewOf(x[0], shape); // the whole axis (step 1): a view
        int inner = 1;
        for (int i = r.axis() + 1; i < xs.length; i++) inner *= xs[i];
        int outer = src.length == 0 ? 0 : src.length / (r.size() * inner);
        int m = r.count();
        int n = r.size();
        double[] out = Allocation.doubles("slice", shape);
        if (m == 0 || inner == 0) return Tensor.wrap(out, shape);
        for (int o = 0; o < outer; o++) {
            int from = (o * n + r.start()) * inner;
            int to = o * m * inner;
            if (step == 1) {
                System.arraycopy(src, from, out, to, m * inner);
            } else if (inner == 1) {
                for (int j = 0; j < m; j++) out[to + j] = src[from + j * step];
            } else {
                for (int j = 0; j < m; j++) System.arraycopy(src, from + j * step * inner, out, to + j * inner, inner);
            }
        }
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Range r = range(node.input(0).shape());
        return new Tensor[] {new Unslice(r.axis(), r.start(), step, r.size()).apply(g)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        Range r = range(x[0].shape());
        return new Slice(r.axis() + 1, r.start(), r.end(), step).apply(t[0]);
    }
}
