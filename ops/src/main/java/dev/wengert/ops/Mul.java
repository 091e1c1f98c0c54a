package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = a * b} elementwise, broadcasting.
 * ∂y/∂a = b, ∂y/∂b = a: VJP {@code (sumTo(g b), sumTo(g a))}, JVP {@code t_a b + a t_b}.
 */
final class Mul extends BinaryElementwise {
    static final Mul INSTANCE = new Mul();

    private Mul() {}

    @Override
    public String name() {
        return "mul";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrap(Strided.map2(x[0].data(), x[0].shape(), x[1].data(), x[1].shape(), shape, (a, b) -> a * b),
                shape);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        return b;
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        return a;
    }
}
