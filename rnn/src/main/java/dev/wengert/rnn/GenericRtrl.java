package dev.wengert.rnn;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Exact RTRL for any cell built from ops, by forward-mode automatic differentiation: the influence
 * matrix {@code M_t = ∂s_t/∂θ} is carried as a batch of p tangents, one per parameter scalar θ_j, and one
 * step of the cell is pushed forward with {@link ForwardMode#jvpBatch} with direction j given by
 * <pre>  (tangent of s_{t−1}, tangent of θ) = (M_{t−1}[j], e_j)</pre>
 * so that the output tangents are {@code (∂s_t/∂s_{t−1}) M_{t−1}[j] + ∂s_t/∂θ_j = M_t[j]}: eq. 5.1 of
 * sheet 000, computed by the ops' own JVP rules (the same rules BPTT's VJPs transpose, so the two agree
 * to rounding).
 *
 * <p>Cost per step: the cell's tangent arithmetic times p (for a vanilla RNN O(n²·p) = O(n⁴)). Memory:
 * the state tangents {@code p × batch × stateSize} and the constant parameter tangents
 * {@code [e_j]}, p × p doubles in all, which is what makes this form the reference rather than the fast
 * one ({@link RnnRtrl}, {@link LstmRtrl} add the immediate Jacobian in O(p) instead).
 */
public final class GenericRtrl extends ForwardLearner {
    /**
     * Tangent temporaries of a step per value the step computes: each op's JVP makes its output's tangent
     * batch and up to two more of that size (products with partial derivatives, their sum). Measured: 1.6
     * for the LSTM and GRU cells.
     */
    static final double TANGENTS_PER_VALUE = 3;

    private final Tensor[] paramTangents;
    private Tensor[] influence; // per state part, [p, batch, size]; null = zero
    private Tensor[] pendingInfluence;

    public GenericRtrl(RecurrentNet net, int batch) {
        super(net, batch);
        double stateTangents = (double) p * batch * cell.stateSize();
        double values = stepOutputsPerSequence(cell);
        requireMemory("rtrl (generic, forward mode)", String.format(Locale.ROOT,
                "%s with p = %d parameters, batch %d: parameter tangents p × p = %.4g doubles, state tangents "
                        + "p × batch × state = %.4g doubles twice, and the tangents of the %.0f values a step computes "
                        + "per sequence", cell.name(), p, batch, (double) p * p, stateTangents, values),
                (double) p * p + 2 * stateTangents,
                TANGENTS_PER_VALUE * p * batch * values + packing(dev.wengert.ops.kernel.Gemm.threads() + 1),
                Math.max((double) p * largestParameter(), stateTangents));
        Tensor[] cp = cellParams();
        int[] off = offsets();
        paramTangents = new Tensor[cp.length];
        for (int i = 0; i < cp.length; i++) {
            int size = cp[i].size();
            double[] e = new double[p * size];
            for (int j = 0; j < size; j++) e[(off[i] + j) * size + j] = 1.0;
            int[] shape = new int[cp[i].rank() + 1];
            shape[0] = p;
            System.arraycopy(cp[i].shape(), 0, shape, 1, cp[i].rank());
            paramTangents[i] = Tensor.wrap(e, shape);
        }
        influence = new Tensor[cell.stateParts()];
    }

    private int largestParameter() {
        int max = 0;
        for (Tensor t : cellParams()) max = Math.max(max, t.size());
        return max;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        Tensor[] cp = cellParams();
        int q = cp.length;
        int r = state.length;
        Tensor[] primals = new Tensor[q + r];
        Tensor[] tangents = new Tensor[q + r];
        System.arraycopy(cp, 0, primals, 0, q);
        System.arraycopy(paramTangents, 0, tangents, 0, q);
        System.arraycopy(state, 0, primals, q, r);
        System.arraycopy(influence, 0, tangents, q, r);
        ForwardMode.Result res = ForwardMode.jvpBatch(p,
                in -> cell.step(Arrays.copyOfRange(in, 0, q), Arrays.copyOfRange(in, q, q + r), x), primals, tangents);
        Tensor[] next = new Tensor[r];
        pendingInfluence = new Tensor[r];
        for (int i = 0; i < r; i++) {
            next[i] = res.value(i);
            pendingInfluence[i] = res.tangent(i);
        }
        return next;
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        influence = pendingInfluence;
        pendingInfluence = null;
        if (gh == null) return;
        double[] m = influence[cell.outputPart()].data(); // [p, batch * n]
        int bn = gh.length;
        for (int j = 0; j < p; j++) {
            double s = 0;
            int row = j * bn;
            for (int k = 0; k < bn; k++) s += gh[k] * m[row + k];
            grad[j] += s;
        }
    }

    @Override
    protected void resetInfluence() {
        influence = new Tensor[cell.stateParts()];
    }

    /** The influence matrix of state part {@code part}: shape {@code [p, batch, size]} (zeros before the first step). */
    public Tensor influence(int part) {
        Tensor m = influence[part];
        return m != null ? m : Tensor.zeros(p, batch, cell.stateSizes()[part]);
    }

    @Override
    public long stateBytes() {
        return bytesOf(paramTangents) + bytesOf(influence) + bytesOf(pendingInfluence);
    }
}
