package dev.wengert.ops;

import dev.wengert.core.Tensor;

/**
 * {@code y = a^b}, broadcasting (Java's {@code Math.pow}: a negative base with a non-integer exponent
 * gives NaN). ∂y/∂a = b a^(b-1), taken as exactly 0 where b = 0 (a^0 is constant; the product
 * 0 · 0^(-1) would be NaN, and the derivative of a^1 at 0 must differentiate again to 0);
 * ∂y/∂b = y ln a for a > 0, and 0 where a = 0 (the limit of a^b ln a for b > 0, PyTorch's choice);
 * for a < 0 it is undefined (NaN).
 */
final class Pow extends BinaryElementwise {
    static final Pow INSTANCE = new Pow();

    private Pow() {}

    @Override
    public String name() {
        return "pow";
    }

    @Override
    double f(double a, double b) {
        return StrictMath.pow(a, b);
    }

    @Override
    Tensor partialA(Tensor a, Tensor b, Tensor y) {
        Tensor slope = Ops.mul(b, Ops.pow(a, Ops.sub(b, Tensor.scalar(1.0))));
        return Ops.where(Ops.mask(b, v -> v == 0), Tensor.scalar(0.0), slope);
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        // ln a with the base's zeros replaced by 1 (then masked to 0), so that 0 * ln 0 never makes a NaN.
        Tensor zero = Ops.mask(a, v -> v == 0);
        Tensor safeA = Ops.where(zero, Tensor.scalar(1.0), a);
        return Ops.where(zero, Tensor.scalar(0.0), Ops.mul(y, Ops.log(safeA)));
    }
}
