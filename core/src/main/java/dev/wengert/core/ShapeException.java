package dev.wengert.core;

/**
 * Thrown when the shapes given to an operation do not fit its shape rule. The message names the
 * operation, the argument and the shapes, e.g. {@code matmul: inner dimensions differ: [5,4] x [3,6]}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A shape error described by {@code message}, which starts with the op's name.
     *
     * @param message the whole message, starting with the op's name
     */
    public ShapeException(String message) {
        super(message);
    }
}
