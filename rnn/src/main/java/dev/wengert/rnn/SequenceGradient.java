package dev.wengert.rnn;

import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
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

    public SequenceGradient(double loss, List<Tensor> grads, Tensor[] finalState) {
        this.loss = loss;
        this.grads = List.copyOf(grads);
        this.finalState = finalState == null ? null : finalState.clone();
    }

    /** {@code L = Σ_t ℓ_t}. */
    public double loss() {
        return loss;
    }

    /** The gradient, one tensor per parameter of the network, in order. */
    public List<Tensor> gradients() {
        return grads;
    }

    /** The gradient of parameter {@code i}. */
    public Tensor gradient(int i) {
        return grads.get(i);
    }

    /** The state after the last step (detached), or null. */
    public Tensor[] finalState() {
        return finalState == null ? null : finalState.clone();
    }

    /** All gradient entries concatenated in parameter order. */
    public double[] flat() {
        return flatten(grads);
    }

    /**
     * The normwise relative error against a reference: {@code max_i |a_i − b_i| / max_i |b_i|} over all
     * entries (0 when both are zero). Entries that are tiny compared with the largest do not blow it up,
     * which an elementwise ratio would.
     */
    public double relativeError(SequenceGradient reference) {
        return relativeError(flat(), reference.flat());
    }

    /** The cosine similarity {@code <a, b> / (|a| |b|)} of the two gradients. */
    public double cosine(SequenceGradient other) {
        return cosine(flat(), other.flat());
    }

    /** See {@link #relativeError(SequenceGradient)}. */
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

    /** See {@link #cosine(SequenceGradient)}. */
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

    /** All entries of the tensors concatenated in order. */
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

    /** Sums gradients (one buffer per parameter); the algorithms use it to add step or chunk gradients. */
    static final class Sum {
        final double[][] g;
        final int[][] shapes;
        double loss;

        Sum(List<Tensor> params) {
            g = new double[params.size()][];
            shapes = new int[params.size()][];
            for (int i = 0; i < g.length; i++) {
                g[i] = new double[params.get(i).size()];
                shapes[i] = params.get(i).shape();
            }
        }

        void add(List<Tensor> grads) {
            for (int i = 0; i < g.length; i++) {
                Tensor t = grads.get(i);
                if (t == null) continue;
                double[] d = t.data();
                double[] a = g[i];
                for (int j = 0; j < a.length; j++) a[j] += d[j];
            }
        }

        void add(Tensor[] grads) {
            add(java.util.Arrays.asList(grads));
        }

        void zero() {
            for (double[] a : g) java.util.Arrays.fill(a, 0.0);
            loss = 0;
        }

        List<Tensor> tensors() {
            List<Tensor> out = new ArrayList<>(g.length);
            for (int i = 0; i < g.length; i++) out.add(Tensor.of(g[i], shapes[i]));
            return Collections.unmodifiableList(out);
        }

        SequenceGradient result(Tensor[] finalState) {
            return new SequenceGradient(loss, tensors(), finalState);
        }
    }
}
