package dev.wengert.core;

/**
 * Thrown in anomaly mode ({@link Anomaly}) by the first operation whose forward value or whose
 * vector-Jacobian product contains NaN or an infinity. The message names the operation, the
 * offending element and the line of user code that created the operation.
 */
public class AnomalyException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /**
     * An anomaly described by {@code message}.
     *
     * @param message the whole message: the op, the offending element and where the op was created
     */
    public AnomalyException(String message) {
        super(message);
    }
}
