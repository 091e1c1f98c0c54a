package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * An elementwise op {@code y_i = f(x_i)}: it states its derivative {@code f'} once, as a tensor built
 * from primitives, and gets both rules from it: VJP {@code g * f'(x)}, JVP {@code t * f'(x)} (the
 * tangent batch broadcasts against f'). Ops may add a fused raw VJP for the non-recorded backward pass;
 * the recorded pass (gradients of gradients) always uses {@link #derivative}.
 */
abstract class UnaryElementwise extends Primitive {

    @Override
    public final int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        return x[0].shape();
    }

    /**
     * {@code dy/dx} elementwise, of the input's shape, built from primitives so it can be recorded; for the
     * default VJP and JVP (an op that overrides both does not define it).
     */
    Tensor derivative(Tensor x, Tensor y) {
        throw new UnsupportedOperationException(name() + " has its own VJP and JVP");
    }

    /** {@code g * f'(x)} without recording; override with a fused loop where it pays. */
    Tensor vjpRaw(Tensor g, Tensor x, Tensor y) {
        return Ops.mul(g, derivative(x, y));
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        Tensor y = node.output();
        Tensor gx = node.creatingGraph() ? Ops.mul(g, derivative(x, y)) : vjpRaw(g, x, y);
        return new Tensor[] {gx};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return Ops.mul(t[0], derivative(x[0], y));
    }

    /** Wraps a freshly computed array in the input's shape. */
    static Tensor like(Tensor x, double[] data) {
        return Tensor.wrap(data, x.shape());
    }
}
