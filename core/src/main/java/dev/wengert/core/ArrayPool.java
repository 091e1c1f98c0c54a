package dev.wengert.core;

/**
 * One thread's arrays that a backward pass has finished with, for the next products of the same size to
 * write into instead of allocating ({@link Allocation#reusable}). An array comes here only from
 * {@link Node#recycle}: a VJP's own cotangent, which nothing else refers to (the engine vouched for it with
 * {@link Node#mayOverwrite}) and which the VJP did not return. Small arrays are not kept (allocating them
 * costs less than looking), and the pool holds at most {@value #SLOTS} arrays and {@value #MAX_DOUBLES}
 * doubles, so memory it keeps from being collected stays bounded.
 */
final class ArrayPool {
    static final int SLOTS = 8;
    static final int MIN_LENGTH = 512;
    static final long MAX_DOUBLES = 1L << 22; // 32 MiB

    private final double[][] slots = new double[SLOTS][];
    private long held;

    /** Keeps {@code a} for reuse, unless it is small, already here, or there is no room. */
    void give(double[] a) {
        if (a.length < MIN_LENGTH || held + a.length > MAX_DOUBLES) return;
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] == a) return; // never twice: two takers would share it
            if (slots[i] == null && free < 0) free = i;
        }
        if (free < 0) return;
        slots[free] = a;
        held += a.length;
    }

    /** An array of exactly {@code n} doubles with stale contents, or null. */
    double[] take(int n) {
        if (n < MIN_LENGTH) return null;
        for (int i = 0; i < SLOTS; i++) {
            double[] a = slots[i];
            if (a != null && a.length == n) {
                slots[i] = null;
                held -= n;
                return a;
            }
        }
        return null;
    }
}
