package dev.wengert.rnn;

import dev.wengert.core.Tensor;
import java.util.List;

/**
 * The result of running an algorithm over a sequence: the loss {@code L = Σ_t ℓ_t} (summed over the
 * steps that have a loss), the gradient (or gradient estimate) of L with respect to every parameter of
 * the network, aligned with {@link RecurrentNet#parameters()}, and the final state (detached), from
 * which a following segment of a stream can continue.
 */
public final class SequenceGradient {
    private final double loss;
    private final List<Tensor> grads;
    private final Tensor[] finalState;

    /**
     * A result: the loss, the gradient and the final state.
     *
     * @param loss       the summed loss {@code L = Σ_t ℓ_t}
     * @param grads      one gradient per parameter of the network, in order; the list is copied, the tensors
     *     kept
     * @param finalState the state after the last step (detached), or null; the array is copied
     */
    public SequenceGradient(double loss, List<Tensor> grads, Tensor[] finalState) {
        this.loss = loss;
        this.grads = List.copyOf(grads);
        this.finalState = finalState == null ? null : finalState.clone();
    }

    /** {@return the summed loss {@code L = Σ_t ℓ_t}} */
    public double loss() {
        return loss;
    }

    /** {@return the gradient, one tensor per parameter of the network, in order} An unmodifiable list. */
    public List<Tensor> gradients() {
        return grads;
    }

    /**
     * {@return the gradient of parameter {@code i}}
     *
     * @param i the parameter's index in {@link RecurrentNet#parameters()}
     */
    public Tensor gradient(int i) {
        return grads.get(i);
    }

    /** {@return the state after the last step (detached), or null} A new array of the state's tensors. */
    public Tensor[] finalState() {
        return finalState == null ? null : finalState.clone();
    }

    /** {@return all gradient entries concatenated in parameter order} A new array. */
    public double[] flat() {
        return flatten(grads);
    }

    /**
     * The normwise relative error against a reference: {@code max_i |a_i − b_i| / max_i |b_i|} over all
     * entries (0 when both are zero). Entries that are tiny compared with the largest do not blow it up,
     * which an elementwise ratio would.
     *
     * @param reference the exact gradient, of the same network
     * @return the error, ≥ 0
     */
    public double relativeError(SequenceGradient reference) {
        return relativeError(flat(), reference.flat());
    }

    /**
     * The cosine similarity {@code <a, b> / (|a| |b|)} of the two gradients.
     *
     * @param other the other gradient, of the same network
     * @return the cosine in [−1, 1]; NaN when either gradient is zero
     */
    public double cosine(SequenceGradient other) {
        return cosine(flat(), other.flat());
    }

    /**
     * The normwise relative error {@code max_i |a_i − b_i| / max_i |b_i|}; see {@link
     * #relativeError(SequenceGradient)}.
     *
     * @param a the estimate
     * @param b the reference, of a's length
     * @return the error, ≥ 0; 0 when a equals b
     */
    public static double relativeError(double[] a, double[] b) {
        checkLengths("relativeError", a, b);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        if (num == 0) return 0;
        return num / den;
    }

    /**
     * The cosine similarity {@code <a, b> / (|a| |b|)}; see {@link #cosine(SequenceGradient)}.
     *
     * @param a one vector
     * @param b the other, of a's length
     * @return the cosine in [−1, 1]; NaN when either is zero
     */
    public static double cosine(double[] a, double[] b) {
        checkLengths("cosine", a, b);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static void checkLengths(String what, double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(what + ": gradients of " + a.length + " and " + b.length
                    + " entries (different networks?)");
        }
    }

    /**
     * All entries of the tensors concatenated in order.
     *
     * @param ts the tensors
     * @return a new array of all their entries, row-major, tensor after tensor
     */
    public static double[] flatten(List<Tensor> ts) {
        int n = 0;
        for (Tensor t : ts) n += t.size();
        double[] out = new double[n];
        int k = 0;
        for (Tensor t : ts) {
            System.arraycopy(t.data(), 0, out, k, t.size());
            k += t.size();
        }
        return out;
    }
}
