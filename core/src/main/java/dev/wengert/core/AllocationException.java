package dev.wengert.core;

/**
 * Thrown, before anything is allocated, when an operation asks for more memory than it can get: more
 * elements than a Java array holds, or more bytes than the heap can still give. The message names the
 * operation, what it wanted, the size in elements and in bytes, and the heap, e.g.
 * {@code zeros: shape [46340,46340] needs 2147395600 doubles (16.00 GiB) but the heap has 3.81 GiB
 * available (max heap 4.00 GiB, -Xmx)}.
 */
public class AllocationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    /** The operation that asked. */
    private final String op;
    /** The elements it asked for. */
    private final long elements;
    /** The bytes it asked for. */
    private final long bytes;
    /** What the heap could still give. */
    private final long availableBytes;

    /**
     * @param message        the whole message, starting with the op's name
     * @param op             the operation that asked
     * @param elements       how many elements it asked for
     * @param bytes          how many bytes that is (saturating at {@link Long#MAX_VALUE})
     * @param availableBytes what the heap could still give when it asked
     */
    public AllocationException(String message, String op, long elements, long bytes, long availableBytes) {
        super(message);
        this.op = op;
        this.elements = elements;
        this.bytes = bytes;
        this.availableBytes = availableBytes;
    }

    /**
     * The operation that asked.
     *
     * @return its name, as the message starts
     */
    public String op() {
        return op;
    }

    /**
     * The number of elements asked for.
     *
     * @return the elements
     */
    public long elements() {
        return elements;
    }

    /**
     * The bytes asked for.
     *
     * @return the bytes, saturating at {@link Long#MAX_VALUE}
     */
    public long bytes() {
        return bytes;
    }

    /**
     * The bytes the heap could still give at the time.
     *
     * @return the bytes available
     */
    public long availableBytes() {
        return availableBytes;
    }
}
