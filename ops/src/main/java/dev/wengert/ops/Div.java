package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = a / b} elementwise, broadcasting (IEEE: division by zero gives ±Inf or NaN).
 * ∂y/∂a = 1/b, ∂y/∂b = -a/b² = -y/b: VJP {@code (sumTo(g / b), -sumTo(g y / b))}.
 */
final class Div extends BinaryElementwise {
    static final Div INSTANCE = new Div();

    private Div() {}

    @Override
    public String name() {
        return "div";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrap(Strided.map2(x[0].data(), x[0].shape(), x[1].data(), x[1].shape(), shape, (a, b) -> a / b),
                shape);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        return Ops.div(Tensor.scalar(1.0), b);
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        return Ops.neg(Ops.div(y, b));
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor a = node.input(0);
        Tensor b = node.input(1);
        Tensor ga = node.needsGrad(0) ? Ops.sumTo(Ops.div(g, b), a.shape()) : null;
        Tensor gb = node.needsGrad(1) ? Ops.sumTo(Ops.neg(Ops.div(Ops.mul(g, node.output()), b)), b.shape()) : null;
        return new Tensor[] {ga, gb};
    }
}
