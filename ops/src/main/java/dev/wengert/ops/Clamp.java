package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = min(max(x, lo), hi)}. dy/dx = 1 where lo ≤ x ≤ hi (the bounds included, the subgradient
 * chosen at the two kinks, as PyTorch does), else 0. NaN passes through.
 */
final class Clamp extends UnaryElementwise {
    private final double lo;
    private final double hi;

    Clamp(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: lower bound " + lo + " exceeds upper bound " + hi);
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public String name() {
        return "clamp";
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double l = lo;
        double h = hi;
        double[] xd = x[0].data();
        double[] y = new double[xd.length];
        for (int i = 0; i < y.length; i++) {
            double v = xd[i];
            y[i] = v < l ? l : v > h ? h : v;
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        double l = lo;
        double h = hi;
        return Ops.mask(x, v -> v >= l && v <= h);
    }

    @Override
    public boolean hasKinks() {
        return true;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        return 31 * Kinks.signsAround(x[0].data(), lo) + Kinks.signsAround(x[0].data(), hi);
    }
}
