package dev.wengert.rnn;

import dev.wengert.core.Allocation;
import dev.wengert.core.AllocationException;
import java.util.Locale;

/**
 * Refuses forward-mode learning that would not fit in the heap, before allocating anything. Exact RTRL
 * carries an influence matrix {@code ∂s_t/∂θ} of {@code stateSize × p} doubles per sequence of the batch
 * (p = the cell's parameter count, about n² per gate), so a hidden size that BPTT handles easily can
 * need hundreds of gigabytes: this check turns an {@link OutOfMemoryError} halfway through into a
 * clear message up front. Each learner counts its working set, not only its influence matrix: the
 * buffers it keeps, what every learner keeps, and every temporary of one step
 * ({@link ForwardLearner#workingSetBytes()}).
 */
public final class MemoryGuard {
    private MemoryGuard() {}

    /**
     * Thrown when a learner's working set would not fit in the heap; the message gives sizes, bytes and heap.
     * An {@link AllocationException}, so one catch covers every refused allocation.
     */
    public static final class InsufficientMemoryException extends AllocationException {
        private static final long serialVersionUID = 1L;

        InsufficientMemoryException(String message, String what, long doubles, long bytesNeeded, long bytesAvailable) {
            super(message, what, doubles, bytesNeeded, bytesAvailable);
        }

        /**
         * The bytes the learner would need.
         *
         * @return the bytes of its working set
         */
        public long bytesNeeded() {
            return bytes();
        }

        /**
         * The bytes the heap could give when it asked.
         *
         * @return the bytes available
         */
        public long bytesAvailable() {
            return super.availableBytes();
        }
    }

    /**
     * The bytes the heap can still give to large arrays.
     *
     * @return {@link Allocation#availableBytes()}
     */
    public static long availableBytes() {
        return Allocation.availableBytes();
    }

    /**
     * Checks that {@code doubles} doubles (the learner's working set, described by {@code what} and
     * {@code sizes}) fit into the heap ({@link Allocation#fits}, after a collection if need be), and that
     * the largest single buffer of {@code largestArray} doubles fits in a Java array.
     *
     * @param what         the learner, named in the message
     * @param sizes        its sizes as the message prints them, e.g. {@code "n = 256, m = 8, batch 1"}
     * @param doubles      the number of doubles the working set holds (a double, so that it cannot overflow)
     * @param largestArray the number of doubles in the largest single buffer
     * @throws InsufficientMemoryException naming the learner, the sizes, the bytes needed and the heap
     */
    public static void require(String what, String sizes, double doubles, double largestArray) {
        double bytes = doubles * 8.0;
        long needed = (long) Math.min(bytes, Long.MAX_VALUE);
        long elements = (long) Math.min(doubles, Long.MAX_VALUE);
        if (largestArray > Allocation.MAX_ARRAY) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s: %s needs an array of %.4g doubles (%s), beyond the largest Java array (2^31 − 1 elements); "
                            + "use a smaller hidden size or batch, SnAp-1 or UORO (memory O(p)), or BPTT",
                    what, sizes, largestArray, bytes(largestArray * 8.0)), what, elements, needed, availableBytes());
        }
        if (!Allocation.fits(needed)) {
            long available = availableBytes();
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s: %s needs %s (%.0f bytes) but the heap has %s available (max heap %s, -Xmx); use a smaller "
                            + "hidden size or batch, SnAp-1 or UORO (memory O(p)), or BPTT, or raise -Xmx",
                    what, sizes, bytes(bytes), bytes, bytes(available), bytes(Runtime.getRuntime().maxMemory())), what,
                    elements, needed, available);
        }
    }

    /** A byte count in binary units: {@code 1.50 GiB}. */
    static String bytes(double b) {
        return Allocation.bytes(b);
    }
}
