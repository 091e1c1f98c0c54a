package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping on lists of gradients (null entries are skipped and kept). Both return new
 * tensors; {@link Optimizer#clipByValue} and {@link Optimizer#clipByGlobalNorm} apply the same rules
 * inside an update.
 */
public final class Clip {
    private Clip() {}

    /**
     * {@code clamp(g, -c, c)} elementwise.
     *
     * @param grads the gradients; null entries are kept as null; not modified
     * @param c     the bound, &gt; 0
     * @return a new list of new tensors
     */
    public static List<Tensor> byValue(List<Tensor> grads, double c) {
        if (!(c > 0)) throw new IllegalArgumentException("clip: value must be positive, got " + c);
        double[][] d = copy(grads);
        byValueInPlace(d, c);
        return wrap(grads, d);
    }

    /**
     * {@code g · min(1, maxNorm / ||g||)} with {@code ||g|| = √(Σ over all tensors and elements g²)}: one
     * factor for all gradients, so the update keeps its direction.
     *
     * @param grads   the gradients; null entries are kept as null; not modified
     * @param maxNorm the largest global norm, &gt; 0
     * @return a new list of new tensors
     */
    public static List<Tensor> byGlobalNorm(List<Tensor> grads, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clip: norm must be positive, got " + maxNorm);
        double[][] d = copy(grads);
        byGlobalNormInPlace(d, maxNorm);
        return wrap(grads, d);
    }

    /**
     * The global Euclidean norm of all the gradients together.
     *
     * @param grads the gradients; null entries count as zero
     * @return {@code √(Σ g²)} over every element of every tensor, computed without overflow or underflow
     */
    public static double globalNorm(List<Tensor> grads) {
        double[][] d = new double[grads.size()][];
        for (int i = 0; i < d.length; i++) d[i] = grads.get(i) == null ? null : grads.get(i).data();
        return globalNorm(d);
    }

    static double globalNorm(double[][] g) {
        // Scaled sum of squares: no overflow for huge gradients, no underflow for tiny ones.
        double scale = 0;
        for (double[] a : g) {
            if (a == null) continue;
            for (double v : a) scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) return scale;
        double s = 0;
        for (double[] a : g) {
            if (a == null) continue;
            for (double v : a) {
                double r = v / scale;
                s += r * r;
            }
        }
        return scale * Math.sqrt(s);
    }

    static void byValueInPlace(double[][] g, double c) {
        for (double[] a : g) {
            if (a == null) continue;
            for (int j = 0; j < a.length; j++) a[j] = Math.max(-c, Math.min(c, a[j]));
        }
    }

    static void byGlobalNormInPlace(double[][] g, double maxNorm) {
        double norm = globalNorm(g);
        if (!(norm > maxNorm)) return;
        double f = maxNorm / norm;
        for (double[] a : g) {
            if (a == null) continue;
            for (int j = 0; j < a.length; j++) a[j] *= f;
        }
    }

    private static double[][] copy(List<Tensor> grads) {
        double[][] d = new double[grads.size()][];
        for (int i = 0; i < d.length; i++) d[i] = grads.get(i) == null ? null : grads.get(i).toArray();
        return d;
    }

    private static List<Tensor> wrap(List<Tensor> like, double[][] d) {
        List<Tensor> out = new ArrayList<>(d.length);
        for (int i = 0; i < d.length; i++) out.add(d[i] == null ? null : Tensor.wrap(d[i], like.get(i).shape()));
        return out;
    }
}
