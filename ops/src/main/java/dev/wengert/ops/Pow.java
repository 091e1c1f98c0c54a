package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.function.DoubleBinaryOperator;

/**
 * {@code y = a^b}, broadcasting (Java's {@code StrictMath.pow}: a negative base with a non-integer exponent
 * gives NaN, {@code 0^0 = 1}, {@code 0^b = +∞} for b &lt; 0).
 *
 * <p>{@code ∂y/∂a = b a^(b-1)}, taken as exactly 0 where a = 0 and b = 0 ({@code a^0 = 1} is constant;
 * the product {@code 0 · 0^(-1)} would be NaN). So the derivatives of every order of {@code x^n} in x are
 * exact at 0 for an integer {@code n ≥ 0}: {@code n!/(n-k)! x^(n-k)}, which is {@code n!} at order n and
 * 0 at every other order; and for other exponents they are the one-sided limits at +0 (x^0.5: 0, +∞,
 * -∞, +∞, ...). The masked branch is evaluated at the base 1 rather than 0, so that its derivatives,
 * multiplied by the zero cotangent the mask sends it, stay finite instead of making {@code 0 · ∞ = NaN}
 * at the next order. Where a or b is nonzero nothing is masked: with a tracked exponent,
 * {@code ∂²y/∂a∂b = a^(b-1) (1 + b ln a)} is {@code 1/a} at b = 0.
 *
 * <p>{@code ∂y/∂b = y ln a} for a &gt; 0 (NaN for a &lt; 0, where a^b is not differentiable in b). At a = 0
 * it is the limit {@code a → 0+} of {@code a^b ln a}: 0 for b &gt; 0 ({@code 0^b = 0} near b), and -∞ for
 * b ≤ 0 (at b = 0 the limit of {@code ln a}; {@code b ↦ 0^b} drops from 1 to 0 there, so the difference
 * quotients on both sides tend to -∞ too). PyTorch returns 0 for every b ≥ 0, which is right only for
 * b &gt; 0. With a tensor exponent the rule is applied element by element after broadcasting. The
 * derivatives of ∂y/∂b in a at a = 0 are not limits: there the exact value is 0 where b &gt; 1 and -∞
 * where 0 &lt; b ≤ 1, and this returns 0.
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
        Tensor constant = mask(a, b, (u, v) -> u == 0 && v == 0 ? 1 : 0);
        if (constant == null) return slopeA(a, b);
        Tensor safeA = Ops.where(constant, Tensor.scalar(1.0), a);
        return Ops.where(constant, Tensor.scalar(0.0), slopeA(safeA, b));
    }

    private static Tensor slopeA(Tensor a, Tensor b) {
        return Ops.mul(b, Ops.pow(a, Ops.sub(b, Tensor.scalar(1.0))));
    }

    @Override
    Tensor partialB(Tensor a, Tensor b, Tensor y) {
        // y ln a is 0 · (-∞) = NaN at a = 0 for b > 0; there the limit is 0. For b ≤ 0 it is -∞ as computed.
        Tensor zeroBase = mask(a, b, (u, v) -> u == 0 && v > 0 ? 1 : 0);
        if (zeroBase == null) return Ops.mul(y, Ops.log(a));
        Tensor safeA = Ops.where(zeroBase, Tensor.scalar(1.0), a);
        return Ops.where(zeroBase, Tensor.scalar(0.0), Ops.mul(y, Ops.log(safeA)));
    }

    /**
     * A constant 0/1 mask of a's and b's broadcast shape, from {@code test(a, b)}; null when it is 0
     * everywhere (then no branch is needed).
     */
    private static Tensor mask(Tensor a, Tensor b, DoubleBinaryOperator test) {
        int[] shape = Shapes.broadcast("pow", a.shape(), b.shape());
        double[] m = Strided.map2(a.data(), a.shape(), b.data(), b.shape(), shape, test);
        for (double v : m) {
            if (v != 0) return Tensor.wrap(m, shape);
        }
        return null;
    }
}
