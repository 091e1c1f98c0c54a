package dev.wengert.ops;

/** Fingerprints of which side of a kink each element lies on, for {@code Primitive#branch}. */
final class Kinks {
    private Kinks() {}

    /** A hash of the signs (-1, 0, +1) of {@code v}. */
    static long signs(double[] v) {
        long h = 17;
        for (double d : v) h = 31 * h + (d > 0 ? 1 : d < 0 ? -1 : 0);
        return h;
    }

    /** A hash of the signs of {@code a[i] - c}. */
    static long signsAround(double[] a, double c) {
        long h = 17;
        for (double d : a) h = 31 * h + (d > c ? 1 : d < c ? -1 : 0);
        return h;
    }

    /** A hash of small integer codes. */
    static long codes(int[] codes) {
        long h = 17;
        for (int c : codes) h = 31 * h + c;
        return h;
    }
}
