package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * {@code y} of shape {@code target}: x repeated along the axes where it broadcasts (NumPy rules).
 * VJP: {@code sumTo(g, shape(x))}. JVP: the tangent broadcast the same way.
 */
final class BroadcastTo extends Primitive {
    private final int[] target;

    BroadcastTo(int[] target) {
        if (target == null) throw new NullPointerException("broadcastTo: the target shape is null");
        this.target = target.clone();
    }

    @Override
    public String name() {
        return "broadcastTo";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        Shapes.size("broadcastTo: target", target);
        if (!Shapes.broadcastsTo(x[0].shape(), target)) {
            throw new ShapeException("broadcastTo: shape " + Shapes.str(x[0].shape()) + " cannot be broadcast to "
                    + Shapes.str(target));
        }
        return target.clone();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrap(Strided.broadcast("broadcastTo", x[0].data(), x[0].shape(), shape), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {Ops.sumTo(g, node.input(0).shape())};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return Ops.broadcastTo(Tangents.lift(t[0], target.length), Shapes.prepend(t[0].dim(0), target));
    }
}
