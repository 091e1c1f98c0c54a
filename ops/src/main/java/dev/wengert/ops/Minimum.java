package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = min(a, b)} elementwise, broadcasting; NaN if either is NaN. ∂y/∂a = 1 where a < b, 0 where
 * a > b, 1/2 at a tie (the kink), as for {@link Maximum}.
 */
final class Minimum extends BinaryElementwise {
    static final Minimum INSTANCE = new Minimum();

    private Minimum() {}

    @Override
    public String name() {
        return "minimum";
    }

    @Override
    double f(double a, double b) {
        return Math.min(a, b);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        return Maximum.winner(b, a, y.shape());
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        return Maximum.winner(a, b, y.shape());
    }

    @Override
    public boolean hasKinks() {
        return true;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        return Kinks.signs(Strided.map2(x[0].data(), x[0].shape(), x[1].data(), x[1].shape(), y.shape(),
                (u, v) -> u - v));
    }
}
