package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * One or more tensors joined along an axis (negative counts from the end): with offsets
 * {@code o_i = n_0 + ... + n_{i-1}} of the inputs' sizes along the axis,
 * {@code y[..., o_i + j, ...] = x_i[..., j, ...]}. All other sizes must agree; 0-d inputs have no axis
 * to join along and are rejected.
 *
 * <p>Concat is linear. VJP: {@code dx_i = slice(g, axis, o_i, o_i + n_i)}. JVP: the concat of the
 * tangents along the axis shifted past the batch axis, a null (zero) tangent filled with zeros of its
 * input's shape.
 */
final class Concat extends Primitive {
    private final int axis;

    Concat(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "concat";
    }

    @Override
    public int arity() {
        return -1;
    }

    @Override
    public int[] shape(Tensor... x) {
        if (x.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor, got none");
        for (int i = 0; i < x.length; i++) {
            if (x[i].rank() == 0) {
                throw new ShapeException("concat: input " + i + " is 0-d (shape []) and has no axis " + axis
                        + " to join along");
            }
        }
        int[] s0 = x[0].shape();
        int a = Shapes.axis("concat", axis, s0.length);
        int[] out = s0.clone();
        long joined = 0;
        for (int i = 0; i < x.length; i++) {
            int[] si = x[i].shape();
            boolean fits = si.length == s0.length;
            for (int d = 0; fits && d < si.length; d++) fits = d == a || si[d] == s0[d];
            if (!fits) {
                throw new ShapeException("concat: input " + i + " has shape " + Shapes.str(si) + ", input 0 has "
                        + Shapes.str(s0) + "; all sizes but axis " + axis + " must agree");
            }
            joined += si[a];
        }
        if (joined > Integer.MAX_VALUE) {
            throw new ShapeException("concat: the sizes along axis " + axis + " add up to " + joined
                    + ", more than 2^31 − 1 (" + x.length + " inputs of shape " + Shapes.str(s0) + " and the like)");
        }
        out[a] = (int) joined;
        Shapes.size("concat", out);
        return out;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        if (x.length == 1) return Tensor.viewOf(x[0], shape);
        int a = Shapes.axis("concat", axis, shape.length);
        int inner = 1;
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        int row = shape[a] * inner;
        double[] out = Allocation.doubles("concat", shape);
        int offset = 0;
        for (Tensor xi : x) {
            // Each input contributes one contiguous block per position of the outer axes.
            int block = xi.dim(a) * inner;
            double[] src = xi.data();
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * block, out, o * row + offset, block);
            offset += block;
        }
        return Tensor.wrap(out, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        int a = Shapes.axis("concat", axis, g.rank());
        Tensor[] dx = new Tensor[node.arity()];
        int offset = 0;
        for (int i = 0; i < dx.length; i++) {
            int n = node.input(i).dim(a);
            if (node.needsGrad(i)) dx[i] = new Slice(a, offset, offset + n, 1).apply(g);
            offset += n;
        }
        return dx;
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int k = -1;
        for (Tensor ti : t) {
            if (ti != null) {
                k = Tangents.k(ti);
                break;
            }
        }
        if (k < 0) return null;
        Tensor[] full = new Tensor[t.length];
        for (int i = 0; i < t.length; i++) {
            full[i] = t[i] != null ? t[i] : Tensor.zeros(Shapes.prepend(k, x[i].shape()));
        }
        return new Concat(Shapes.axis("concat", axis, y.rank()) + 1).apply(full);
    }
}
