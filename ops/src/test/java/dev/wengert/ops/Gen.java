package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Random;

/**
 * Random shapes and values for op specs: ranks 0 to 3 with sizes 1 to 4 (so size-1 axes and 0-d
 * tensors come up often), broadcast-compatible pairs, and values from an op's domain.
 */
final class Gen {
    private Gen() {}

    /** Where an op's inputs are drawn from. */
    enum Domain {
        /** N(0, 1). */
        REAL,
        /** Uniform on [0.5, 2.5]: logs, square roots, bases of powers. */
        POSITIVE,
        /** ±[0.3, 2]: away from a kink at 0. */
        NONZERO,
        /** Uniform on [-1.5, 1.5]: exponents. */
        SMALL
    }

    static double value(Random rng, Domain d) {
        switch (d) {
            case POSITIVE:
                return 0.5 + 2.0 * rng.nextDouble();
            case NONZERO:
                return (rng.nextBoolean() ? 1 : -1) * (0.3 + 1.7 * rng.nextDouble());
            case SMALL:
                return -1.5 + 3.0 * rng.nextDouble();
            default:
                return rng.nextGaussian();
        }
    }

    static Tensor tensor(Random rng, Domain d, int... shape) {
        double[] v = new double[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = value(rng, d);
        return Tensor.wrap(v, shape);
    }

    static Tensor tensor(Random rng, int... shape) {
        return tensor(rng, Domain.REAL, shape);
    }

    /** A shape of rank in [minRank, maxRank] with sizes in [1, maxDim]. */
    static int[] shape(Random rng, int minRank, int maxRank, int maxDim) {
        int r = minRank + rng.nextInt(maxRank - minRank + 1);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) s[i] = 1 + rng.nextInt(maxDim);
        return s;
    }

    static int[] shape(Random rng) {
        return shape(rng, 0, 3, 4);
    }

    /**
     * A shape that broadcasts to {@code out}: some leading axes dropped, some sizes replaced by 1.
     */
    static int[] broadcastable(Random rng, int[] out) {
        int drop = rng.nextInt(out.length + 1);
        if (rng.nextInt(3) == 0) drop = 0; // same rank more often
        int[] s = new int[out.length - drop];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(3) == 0 ? 1 : out[i + drop];
        }
        return s;
    }

    /** Two shapes that broadcast together (either may be the larger in any axis, or have fewer axes). */
    static int[][] broadcastPair(Random rng) {
        int[] out = shape(rng);
        int r = out.length;
        int[] a = out.clone();
        int[] b = out.clone();
        for (int i = 0; i < r; i++) {
            int c = rng.nextInt(3);
            if (c == 1) a[i] = 1;
            else if (c == 2) b[i] = 1;
        }
        return new int[][] {dropLeadingOnes(rng, a), dropLeadingOnes(rng, b)};
    }

    /** Drops a random number of the leading size-1 axes (broadcasting adds them back). */
    static int[] dropLeadingOnes(Random rng, int[] s) {
        int ones = 0;
        while (ones < s.length && s[ones] == 1) ones++;
        int drop = rng.nextInt(ones + 1);
        return java.util.Arrays.copyOfRange(s, drop, s.length);
    }

    /** A random axis of a tensor of rank r (r ≥ 1), sometimes negative. */
    static int axis(Random rng, int r) {
        int a = rng.nextInt(r);
        return rng.nextBoolean() ? a : a - r;
    }

    /** A random non-empty subset of the axes 0..r-1, or null (all) sometimes. */
    static int[] axes(Random rng, int r) {
        if (r == 0 || rng.nextInt(4) == 0) return null;
        int mask = 1 + rng.nextInt((1 << r) - 1);
        int[] a = new int[Integer.bitCount(mask)];
        int k = 0;
        for (int i = 0; i < r; i++) if ((mask & (1 << i)) != 0) a[k++] = rng.nextBoolean() ? i : i - r;
        return a;
    }

    static String str(int[] a) {
        return a == null ? "all" : Shapes.str(a);
    }
}
