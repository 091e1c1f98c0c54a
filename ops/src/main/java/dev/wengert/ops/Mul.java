package dev.wengert.ops;

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
    void row(double[] a, int ia, int sa, double[] b, int ib, int sb, double[] o, int io, int n) {
        if (sa == 1 && sb == 1) {
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] * b[ib + j];
        } else if (sa == 1) {
            double v = b[ib];
            for (int j = 0; j < n; j++) o[io + j] = a[ia + j] * v;
        } else if (sb == 1) {
            double v = a[ia];
            for (int j = 0; j < n; j++) o[io + j] = v * b[ib + j];
        } else {
            java.util.Arrays.fill(o, io, io + n, a[ia] * b[ib]);
        }
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
