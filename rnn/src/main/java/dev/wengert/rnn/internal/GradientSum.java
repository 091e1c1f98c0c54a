package dev.wengert.rnn.internal;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.SequenceGradient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sums gradients (one buffer per parameter); the algorithms use it to add step or chunk gradients. Internal,
 * not API.
 */
public final class GradientSum {
    /** The summed gradient, one buffer per parameter, row-major. */
    public final double[][] g;
    private final int[][] shapes;
    /** The summed loss. */
    public double loss;

    /**
     * Zero sums for the parameters' shapes.
     *
     * @param params the parameters, in order
     */
    public GradientSum(List<Tensor> params) {
        g = new double[params.size()][];
        shapes = new int[params.size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = new double[params.get(i).size()];
            shapes[i] = params.get(i).shape();
        }
    }

    /**
     * Adds one gradient per parameter.
     *
     * @param grads the gradients, in parameter order; null entries add nothing
     */
    public void add(List<Tensor> grads) {
        for (int i = 0; i < g.length; i++) {
            Tensor t = grads.get(i);
            if (t == null) continue;
            double[] d = t.data();
            double[] a = g[i];
            for (int j = 0; j < a.length; j++) a[j] += d[j];
        }
    }

    /**
     * Adds one gradient per parameter.
     *
     * @param grads the gradients, in parameter order; null entries add nothing
     */
    public void add(Tensor[] grads) {
        add(java.util.Arrays.asList(grads));
    }

    /** Sets the sums and the loss to zero. */
    public void zero() {
        for (double[] a : g) java.util.Arrays.fill(a, 0.0);
        loss = 0;
    }

    /** {@return the sums as new tensors of the parameters' shapes, an unmodifiable list} */
    public List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>(g.length);
        for (int i = 0; i < g.length; i++) out.add(Tensor.of(g[i], shapes[i]));
        return Collections.unmodifiableList(out);
    }

    /**
     * {@return the sums, the loss and the final state as a result}
     *
     * @param finalState the state after the last step
     */
    public SequenceGradient result(Tensor[] finalState) {
        return new SequenceGradient(loss, tensors(), finalState);
    }
}
