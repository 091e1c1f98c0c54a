package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * The unbroadcast: {@code y} of shape {@code target} is x summed over the axes along which target
 * broadcasts to x's shape (the leading axes target lacks, and its size-1 axes). Every binary op's VJP
 * ends with it. VJP: {@code broadcastTo(g, shape(x))}. JVP: the same sum of the tangent.
 */
final class SumTo extends Primitive {
    private final int[] target;

    SumTo(int[] target) {
        if (target == null) throw new NullPointerException("sumTo: the target shape is null");
        this.target = target.clone();
    }

    @Override
    public String name() {
        return "sumTo";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        if (!Shapes.broadcastsTo(target, x[0].shape())) {
            throw new ShapeException("sumTo: shape " + Shapes.str(x[0].shape()) + " cannot be summed to "
                    + Shapes.str(target) + " (the target must broadcast to the input)");
        }
        return target.clone();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] xs = x[0].shape();
        return Tensor.wrap(Strided.sumTo(x[0].data(), xs, Strided.padLeft(shape, xs.length)), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {Ops.broadcastTo(g, node.input(0).shape())};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int k = t[0].dim(0);
        int[] padded = Shapes.prepend(k, Strided.padLeft(target, x[0].rank()));
        return Ops.reshape(Ops.sumTo(t[0], padded), Shapes.prepend(k, target));
    }
}
