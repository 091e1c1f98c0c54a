package dev.wengert.ops;

import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y = min(max(x, lo), hi)}, the formula taken literally (as torch.clamp does): with lo &gt; hi every
 * element is hi, since {@code max(x, lo) ≥ lo > hi}. dy/dx = 1 where lo ≤ x ≤ hi (the bounds included,
 * the subgradient chosen at the two kinks, as PyTorch does), else 0; so 0 everywhere when lo &gt; hi,
 * where the output is constant. NaN passes through; a NaN bound is an error.
 */
final class Clamp extends UnaryElementwise {
    private final double lo;
    private final double hi;

    Clamp(double lo, double hi) {
        if (Double.isNaN(lo)) throw new IllegalArgumentException("clamp: the lower bound is NaN (upper bound " + hi + ")");
        if (Double.isNaN(hi)) throw new IllegalArgumentException("clamp: the upper bound is NaN (lower bound " + lo + ")");
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
            double atLeastLo = v < l ? l : v; // NaN stays NaN through both comparisons
            y[i] = atLeastLo > h ? h : atLeastLo;
        }
        return like(x[0], y);
    }

    @Override
    Tensor derivative(Tensor x, Tensor y) {
        double l = lo;
        double h = hi;
        return Ops.mask(x, v -> v >= l && v <= h);
    }

    /** With lo &gt; hi the output is constant: no kinks. */
    @Override
    public boolean hasKinks() {
        return lo <= hi;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        if (lo > hi) return 0L;
        return 31 * Kinks.signsAround(x[0].data(), lo) + Kinks.signsAround(x[0].data(), hi);
    }
}
