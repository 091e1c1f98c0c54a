package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = max(a, b)} elementwise, broadcasting; NaN if either is NaN. ∂y/∂a = 1 where a > b, 0 where
 * a < b; at a tie (the kink) the gradient is split, 1/2 to each (JAX's and PyTorch's choice). The masks
 * are piecewise constant and enter the derivative as constants.
 */
final class Maximum extends BinaryElementwise {
    static final Maximum INSTANCE = new Maximum();

    private Maximum() {}

    @Override
    public String name() {
        return "maximum";
    }

    @Override
    double f(double a, double b) {
        return Math.max(a, b);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        return winner(a, b, y.shape());
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        return winner(b, a, y.shape());
    }

    /** 1 where p beats q, 1/2 at ties, 0 where it loses, over the output shape. */
    static Tensor winner(Tensor p, Tensor q, int[] shape) {
        return Tensor.wrap(Strided.map2(p.data(), p.shape(), q.data(), q.shape(), shape,
                (u, v) -> u > v ? 1.0 : u == v ? 0.5 : 0.0), shape);
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
