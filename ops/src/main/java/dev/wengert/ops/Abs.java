package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = |x|}. dy/dx = sign(x), and the subgradient chosen at the kink x = 0 is 0 (as PyTorch and
 * JAX do). The sign is piecewise constant, so it enters the derivative as a constant.
 */
final class Abs extends UnaryElementwise {
    static final Abs INSTANCE = new Abs();

    private Abs() {}

    @Override
    public String name() {
        return "abs";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return like(x[0], Strided.map(x[0].data(), Math::abs));
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        return like(x, Strided.map(x.data(), Math::signum));
    }

    @Override
    public boolean hasKinks() {
        return true;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        return Kinks.signs(x[0].data());
    }
}
