package dev.wengert.ops;

import dev.wengert.core.Node;
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
    void row(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] o, int io, int n) {
        if (sa == 1 && sb == 1) {
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] / b[ib + j];
        } else if (sa == 1) {
            double v = b[ib];
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] / v;
        } else if (sb == 1) {
            double v = a[ia];
            for (int j = 0; j < n; j++) o[io + j] = v / b[ib + j];
        } else {
            java.util.Arrays.fill(o, io, io + n, a[ia] / b[ib]);
        }
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
