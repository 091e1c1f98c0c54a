package dev.wengert.rnn;

import java.util.Locale;

/**
 * Refuses forward-mode learning that would not fit in the heap, before allocating anything. Exact RTRL
 * carries an influence matrix {@code ∂s_t/∂θ} of {@code stateSize × p} doubles per sequence of the batch
 * (p = the cell's parameter count, about n² per gate), so a hidden size that BPTT handles easily can
 * need hundreds of gigabytes: this check turns an {@link OutOfMemoryError} halfway through into a
 * clear message up front.
 */
public final class MemoryGuard {
    private MemoryGuard() {}

    /** Thrown when a learner's buffers would not fit in the heap; the message gives sizes, bytes and heap. */
    public static final class InsufficientMemoryException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final long bytesNeeded;
        private final long bytesAvailable;

        InsufficientMemoryException(String message, long bytesNeeded, long bytesAvailable) {
            super(message);
            this.bytesNeeded = bytesNeeded;
            this.bytesAvailable = bytesAvailable;
        }

        public long bytesNeeded() {
            return bytesNeeded;
        }

        public long bytesAvailable() {
            return bytesAvailable;
        }
    }

    /** The bytes the heap can still give: its maximum minus what is in use now. */
    public static long availableBytes() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Checks that {@code doubles} doubles (the learner's buffers, described by {@code what} and
     * {@code sizes}) fit into the heap, and that the largest single buffer of {@code largestArray}
     * doubles fits in a Java array.
     *
     * @throws InsufficientMemoryException naming the learner, the sizes, the bytes needed and the heap
     */
    public static void require(String what, String sizes, double doubles, double largestArray) {
        double bytes = doubles * 8.0;
        long available = availableBytes();
        long max = Runtime.getRuntime().maxMemory();
        if (largestArray > Integer.MAX_VALUE - 8) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s: %s needs an array of %.4g doubles (%s), beyond the largest Java array (2^31 − 1 elements); "
                            + "use a smaller hidden size or batch, SnAp-1 or UORO (memory O(p)), or BPTT",
                    what, sizes, largestArray, bytes(largestArray * 8.0)), (long) Math.min(bytes, Long.MAX_VALUE), available);
        }
        if (bytes > available) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s: %s needs %s (%.0f bytes) but the heap has %s available (max heap %s, -Xmx); use a smaller "
                            + "hidden size or batch, SnAp-1 or UORO (memory O(p)), or BPTT, or raise -Xmx",
                    what, sizes, bytes(bytes), bytes, bytes(available), bytes(max)), (long) Math.min(bytes, Long.MAX_VALUE),
                    available);
        }
    }

    /** A byte count in binary units: {@code 1.50 GiB}. */
    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.2f %s", b, units[u]);
    }
}
