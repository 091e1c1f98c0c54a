package dev.wengert.core;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Allocation of the arrays that tensors hold, for operations whose output can be huge (factories,
 * matrix products, broadcasts, gathers, Jacobians): the size is computed in {@code long} and checked
 * before anything is allocated, and a request that cannot succeed is refused up front with an
 * {@link AllocationException} (or a {@link ShapeException} for a shape past 2^31 − 1 elements) that names
 * the operation and the size, rather than a {@code NegativeArraySizeException} from an overflowed int or an
 * {@code OutOfMemoryError} halfway through.
 *
 * <p>A request fits when its bytes are at most what the heap can still give ({@link #availableBytes()}:
 * {@code Runtime.maxMemory()} minus what is in use, within the roomiest memory pool). What is in use may be
 * garbage, so a request that does not fit at first is measured again after a collection before it is
 * refused. Requests of at most {@value #UNCHECKED} doubles skip the
 * measurement (they are the vast majority, and cost less than it).
 */
public final class Allocation {
    private Allocation() {}

    /** The longest array HotSpot allocates: a few elements short of 2^31 − 1 (its array header). */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Requests up to this many doubles (8 MiB) are not measured against the heap. */
    public static final int UNCHECKED = 1 << 20;

    /**
     * A zeroed array for a tensor of {@code shape}, for the operation {@code op}.
     *
     * @param op    the operation asking, named in the messages
     * @param shape the tensor's shape
     * @return a new array of {@code size(shape)} zeros
     * @throws ShapeException      when the shape has a negative size or more than 2^31 − 1 elements
     * @throws AllocationException when the array would not fit in the heap
     */
    public static double[] doubles(String op, int[] shape) {
        int n = Shapes.size(op, shape);
        if (n <= UNCHECKED) return new double[n];
        return checked(op, null, shape, n);
    }

    /**
     * An array for a tensor of {@code shape} whose contents are unspecified, for an operation that
     * overwrites every element (a matrix product with β = 0): one of this thread's arrays a backward pass
     * has finished with ({@link Node#recycle}), nothing else refers to, when one of that size is at hand;
     * else a new one. Lets a training loop reuse the arrays of one step's cotangents for the next step's.
     *
     * @param op    the operation asking, named in the messages
     * @param shape the tensor's shape
     * @return an array of {@code size(shape)} doubles, to be overwritten in full
     * @throws ShapeException      when the shape has a negative size or more than 2^31 − 1 elements
     * @throws AllocationException when a new array would not fit in the heap
     */
    public static double[] reusable(String op, int[] shape) {
        int n = Shapes.size(op, shape);
        double[] a = State.get().pool.take(n);
        return a != null ? a : doubles(op, shape);
    }

    /**
     * A zeroed array of {@code n} doubles for the operation {@code op}, {@code what} saying what it is for
     * in the message (e.g. {@code "the identity basis of 50000 directions"}).
     *
     * @param op   the operation asking, named in the messages
     * @param what what the array is for
     * @param n    its length
     * @return a new array of n zeros
     * @throws IllegalArgumentException when n is negative
     * @throws AllocationException      when n exceeds the largest Java array, or the array would not fit
     *                                  in the heap
     */
    public static double[] doubles(String op, String what, long n) {
        if (n < 0) throw new IllegalArgumentException(op + ": " + what + " needs a negative number of doubles, " + n);
        if (n <= UNCHECKED) return new double[(int) n];
        return checked(op, what, null, n);
    }

    private static double[] checked(String op, String what, int[] shape, long n) {
        require(op, what != null ? what : "shape " + Shapes.str(shape), n, n);
        try {
            return new double[(int) n];
        } catch (OutOfMemoryError e) {
            // The heap was measured big enough, but not in one piece (or another thread took it): the single
            // failed allocation left nothing behind, so it is safe to turn into a named refusal.
            AllocationException refused = refusal(op, what != null ? what : "shape " + Shapes.str(shape), n,
                    n * 8, "could not be allocated in one piece");
            refused.initCause(e);
            throw refused;
        }
    }

    /**
     * Checks, before a caller allocates several arrays, that {@code doubles} doubles in all fit in the
     * heap and that the largest of them, {@code largestArray} doubles, fits in a Java array.
     *
     * @param op           the operation asking, named in the messages
     * @param what         what the arrays are for
     * @param doubles      how many doubles they hold in all
     * @param largestArray how many the largest of them holds
     * @throws AllocationException naming {@code op}, {@code what} and the sizes when they do not
     */
    public static void require(String op, String what, double doubles, double largestArray) {
        long elements = saturate(doubles);
        long bytes = saturate(doubles * 8.0);
        if (largestArray > MAX_ARRAY) {
            throw refusal(op, what, elements, bytes, "has an array of " + count(largestArray)
                    + " doubles, more than the largest Java array (2^31 − 1 elements)");
        }
        if (!fits(bytes)) throw refusal(op, what, elements, bytes, null);
    }

    /**
     * Whether {@code bytes} more bytes fit in the heap now: at most {@link #availableBytes()}, measured
     * again after a collection when they do not fit at first.
     *
     * @param bytes the bytes asked for
     * @return whether they fit
     */
    public static boolean fits(long bytes) {
        if (bytes > Runtime.getRuntime().maxMemory()) return false;
        if (bytes <= availableBytes()) return true;
        System.gc(); // what is in use may be garbage; a failing allocation would collect first too
        return bytes <= availableBytes();
    }

    /**
     * The bytes the heap can still give to large arrays: its maximum (-Xmx) minus what is in use (garbage
     * included), and no more than the roomiest of its memory pools has left. A generational collector
     * (Parallel, Serial) puts large arrays in its old generation, two thirds of the heap: there, two arrays
     * of 40% of the heap each do not fit although the heap as a whole has room for them.
     *
     * @return the bytes available to large arrays now
     */
    public static long availableBytes() {
        Runtime r = Runtime.getRuntime();
        long heap = r.maxMemory() - (r.totalMemory() - r.freeMemory());
        long pool = -1;
        for (MemoryPoolMXBean p : HEAP_POOLS) {
            MemoryUsage u = p.getUsage();
            if (u != null && u.getMax() >= 0) pool = Math.max(pool, u.getMax() - u.getUsed());
        }
        return pool >= 0 ? Math.min(heap, pool) : heap;
    }

    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).collect(Collectors.toList());

    private static AllocationException refusal(String op, String what, long elements, long bytes, String why) {
        long available = availableBytes();
        String msg = why != null
                ? String.format(Locale.ROOT, "%s: %s needs %s doubles (%s) but %s", op, what, count(elements),
                        bytes(bytes), why)
                : String.format(Locale.ROOT, "%s: %s needs %s doubles (%s) but the heap has %s available (max heap %s, "
                        + "-Xmx)", op, what, count(elements), bytes(bytes), bytes(available),
                        bytes(Runtime.getRuntime().maxMemory()));
        return new AllocationException(msg, op, elements, bytes, available);
    }

    private static long saturate(double v) {
        return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(v);
    }

    private static String count(double n) {
        return n < 1e15 ? String.format(Locale.ROOT, "%.0f", n) : String.format(Locale.ROOT, "%.4g", n);
    }

    /**
     * A byte count in binary units.
     *
     * @param b a number of bytes
     * @return it in B, KiB, MiB, ..., e.g. {@code 16.00 GiB}
     */
    public static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.2f %s", b, units[u]);
    }
}
