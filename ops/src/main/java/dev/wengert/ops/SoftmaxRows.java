package dev.wengert.ops;

import dev.wengert.core.Tensor;

/**
 * The arithmetic that logSumExp, softmax, logSoftmax and softmaxCrossEntropy share, one slice at a time
 * ({@link Slices}), arranged to stay within a few ulps of the exact result at any magnitude.
 *
 * <p>With k the first maximal entry of a slice and {@code m = x_k}, every entry is shifted by m:
 * {@code d_j = x_j - m ≤ 0}, carried to twice the working precision ({@code hi + lo} by Knuth's TwoSum),
 * so that {@code e_j = exp(d_j)} is accurate to an ulp or two even where |d_j| is in the hundreds. From
 * the mass outside the maximum {@code r = Σ_{j≠k} e_j}:
 * <pre>
 *   s = 1 + r        log s = log1p(r)        p_j = e_j / s        log p_j = d_j - log s
 *   lse = m + log s                          1 - p_k = r / s
 * </pre>
 * No term cancels: {@code log1p} keeps r even below ulp(1) ({@code lse([0, -40]) = 4.25e-18}, not 0),
 * probabilities never come from {@code exp(x - lse)} (where lse rounds to x at |x| ≥ 1e16 and
 * {@code logSumExp([1e16, 1e16])} would get the gradient [1, 1]), and the complement of a dominant
 * probability comes from r, not from {@code 1 - p_k}.
 *
 * <p>Infinite entries: the shift is symbolic. An entry equal to m has {@code d = 0} even when m = ±∞,
 * and an entry below an infinite m, or a -∞ entry below a finite m, has {@code d = -∞}. So the entries
 * equal to the maximum share the mass equally, which is the limit of a row of equal values shifted by
 * ±∞ under the shift invariance {@code softmax(x + c) = softmax(x)}; a -∞ entry has probability 0 and
 * log-probability -∞; a row of -∞ has the uniform softmax, log-softmax -ln n and logSumExp -∞. A NaN
 * anywhere in a slice makes the whole slice NaN.
 *
 * <p>The products with the softmax Jacobian {@code diag(p) - p pᵀ} use {@code Σ p = 1} to take
 * differences from entry k rather than from {@code <p, v>}:
 * {@code v_j - <p, v> = (v_j - v_k) + Σ_{i≠k} p_i (v_k - v_i)}, so that {@code p_k ≈ 1} does not
 * cancel {@code v_k - <p, v>} down to rounding noise.
 */
final class SoftmaxRows {
    private SoftmaxRows() {}

    /** The index into {@code off} of the first maximum of slice b (of its first NaN if any); -1 if empty. */
    static int argmax(double[] x, int b, int[] off) {
        int k = -1;
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < off.length; j++) {
            double v = x[b + off[j]];
            if (v != v) return j;
            if (k < 0 || v > m) {
                k = j;
                m = v;
            }
        }
        return k;
    }

    /** The high part of {@code x - m}: 0 when x equals m (infinities included), -∞ below an infinite m. */
    static double shift(double x, double m) {
        return x == m ? 0.0 : x - m;
    }

    /** The rounding error of {@code hi = x - m} (TwoSum), 0 where hi is 0 or not finite. */
    static double shiftLow(double x, double m, double hi) {
        if (hi == 0.0 || !(hi > Double.NEGATIVE_INFINITY && hi < Double.POSITIVE_INFINITY)) return 0.0;
        double bv = hi - x;
        return (x - (hi - bv)) + (-m - bv);
    }

    /** {@code exp(x - m)}, the difference taken to twice the working precision. */
    static double expShift(double x, double m) {
        double hi = shift(x, m);
        double e = StrictMath.exp(hi);
        return e + e * shiftLow(x, m, hi);
    }

    /** {@code r = Σ_{j≠k} exp(x_j - x_k)} over slice b, whose maximum is at {@code off[k]}. */
    static double rest(double[] x, int b, int[] off, int k) {
        double m = x[b + off[k]];
        double r = 0;
        for (int j = 0; j < off.length; j++) {
            if (j != k) r += expShift(x[b + off[j]], m);
        }
        return r;
    }

    /**
     * Fills {@code p[pb + off[j]]} with the softmax of slice b of x (maximum at {@code off[k]}) and
     * returns r, the mass outside the maximum ({@code 1 - p_k = r / (1 + r)}).
     */
    static double probabilities(double[] x, int b, int[] off, int k, double[] p, int pb) {
        double m = x[b + off[k]];
        if (m != m) { // a NaN maximum never enters an exponential (it is the shift): the slice is NaN
            for (int j = 0; j < off.length; j++) p[pb + off[j]] = Double.NaN;
            return Double.NaN;
        }
        double r = 0;
        for (int j = 0; j < off.length; j++) {
            if (j == k) continue;
            double e = expShift(x[b + off[j]], m);
            p[pb + off[j]] = e;
            r += e;
        }
        double s = 1 + r;
        p[pb + off[k]] = 1 / s;
        for (int j = 0; j < off.length; j++) {
            if (j != k) p[pb + off[j]] /= s;
        }
        return r;
    }

    /** The softmax of every slice of x into a new array. */
    static double[] probabilities(double[] x, Slices s) {
        double[] p = new double[x.length];
        for (int o = 0; o < s.count(); o++) {
            int b = s.base[o];
            int k = argmax(x, b, s.off);
            if (k >= 0) probabilities(x, b, s.off, k, p, b);
        }
        return p;
    }

    /** {@code -log p_j = log s - (x_j - m)}, ≥ 0, for the slice's maximum m and {@code log s}. */
    static double negLogP(double x, double m, double logS) {
        double hi = shift(x, m);
        return (logS - hi) - shiftLow(x, m, hi);
    }

    /**
     * {@code w (-log p)} for a weight w (a target): where {@code x - m} overflows (x and m finite, e.g.
     * -1e308 and 1e308) {@code -log p} is +∞ but a weight below 1 can bring the product back into
     * range, so the parts are halved, weighed and doubled. A zero weight gives 0 even where -log p is
     * +∞ ({@code 0 log 0 = 0}); NaN stays NaN.
     */
    static double weightedNegLogP(double w, double x, double m, double logS) {
        double v = negLogP(x, m, logS);
        if (v != Double.POSITIVE_INFINITY) return w * v;
        if (w == 0) return 0;
        if (Double.isInfinite(x) || Double.isInfinite(m)) return w * v;
        return 2 * (w * (0.5 * logS + (0.5 * m - 0.5 * x)));
    }

    /**
     * {@code out[ob + off[j]] = v_j - <p, v>} over one slice, with p's maximum at {@code off[k]}: as
     * {@code (v_j - v_k) + c}, {@code c = Σ_{i≠k} p_i (v_k - v_i)}.
     */
    static void centered(double[] p, int pb, int[] off, int k, double[] v, int vb, double[] out, int ob) {
        double vk = v[vb + off[k]];
        double c = 0;
        for (int i = 0; i < off.length; i++) {
            if (i != k) c += p[pb + off[i]] * (vk - v[vb + off[i]]);
        }
        for (int j = 0; j < off.length; j++) out[ob + off[j]] = (v[vb + off[j]] - vk) + c;
    }

    /**
     * The softmax Jacobian {@code diag(p) - p pᵀ} (symmetric) applied to v over every slice:
     * {@code p ⊙ (v - <p, v>)}, from p itself; v may be a batch of {@code v.length / p.length} tangents.
     */
    static double[] jacobianTimes(double[] p, Slices s, double[] v) {
        int[] ks = argmaxes(p, s);
        double[] out = new double[v.length];
        for (int d = 0; d < v.length; d += p.length) {
            for (int o = 0; o < ks.length; o++) {
                int b = s.base[o];
                if (ks[o] < 0) continue;
                centered(p, b, s.off, ks[o], v, d + b, out, d + b);
                for (int j : s.off) out[d + b + j] *= p[b + j];
            }
        }
        return out;
    }

    /** {@link #argmax} of every slice. */
    static int[] argmaxes(double[] x, Slices s) {
        int[] ks = new int[s.count()];
        for (int o = 0; o < ks.length; o++) ks[o] = argmax(x, s.base[o], s.off);
        return ks;
    }

    // ---------------------------------------------------------------- the same, recorded

    /** A constant of x's shape: 1 at the first maximum of each slice, 0 elsewhere. */
    static Tensor argmaxMask(Tensor x, Slices s) {
        double[] xd = x.data();
        double[] mask = new double[xd.length];
        int[] ks = argmaxes(xd, s);
        for (int o = 0; o < ks.length; o++) {
            if (ks[o] >= 0) mask[s.base[o] + s.off[ks[o]]] = 1;
        }
        return Tensor.wrap(mask, x.shape());
    }

    /**
     * {@code (Σ_slice v) mask - v} from primitives, where the constant mask marks one entry k of each
     * slice: computed as {@code mask Σ_{j≠k} v_j - (1 - mask) ⊙ v}, which does not cancel at k when v_k
     * dominates. For {@code v = softmax(x)} it is {@code mask - p} with {@code 1 - p_k} exact.
     */
    static Tensor lessOneHot(Tensor v, Tensor mask, int[] axes) {
        Tensor others = Ops.sub(1.0, mask);
        return Ops.sub(Ops.mul(mask, Ops.sumKeepDims(Ops.mul(v, others), axes)), Ops.mul(others, v));
    }

    /**
     * {@code y ⊙ (g - <g, y>)} for {@code y = softmax(x)} from primitives, with the differences taken
     * from the dominant entry as above: {@code w = g - g_k}, then {@code y ⊙ (w - <w, y>)}, whose term
     * at k vanishes. Equal to the textbook form wherever {@code Σ y = 1}, so it has the same
     * derivatives of every order.
     */
    static Tensor recordedJacobianTimes(Tensor y, Tensor g, Slices s, int[] axes) {
        Tensor mask = argmaxMask(y, s);
        Tensor w = Ops.sub(g, Ops.sumKeepDims(Ops.mul(g, mask), axes));
        return Ops.mul(y, Ops.sub(w, Ops.sumKeepDims(Ops.mul(w, y), axes)));
    }
}
