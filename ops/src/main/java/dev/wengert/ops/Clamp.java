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
        return like(x[0], Strided.map(x[0].data(), v -> v < l ? l : v > h ? h : v));
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        double l = lo;
        double h = hi;
        return like(x, Strided.map(x.data(), v -> v >= l && v <= h ? 1.0 : 0.0));
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
