package dev.wengert.rnn.approx;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.online.ElementwiseOnline;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * SnAp-1 (Menick et al. 2021) for any cell made of ops, a stack included, through forward mode: the
 * influence matrix {@code M_t = ∂s_t/∂θ} is carried as p tangents exactly as in generic RTRL, but after every
 * step only the entries in the sparsity pattern P of the immediate Jacobian {@code ∂s_t/∂θ_t} (what one step
 * can make non-zero) are kept:
 * <pre>  M̃_t = P ⊙ ((∂s_t/∂s_{t−1}) M̃_{t−1} + ∂s_t/∂θ_t)</pre>
 * P is found once, structurally: one step from a random state and input, whose non-zero tangents are the
 * pattern (a random point makes an accidental zero improbable).
 *
 * <p>For a stack, one step of the stacked cell runs through every layer, so P holds, for a parameter of
 * layer l, its own units in layer l and every unit of every layer above. For a stack of real element-wise
 * layers ({@code DiagonalRnnCell}, {@code ElstmCell}) no entry outside P ever becomes non-zero (a parameter of
 * unit j of layer l moves only unit j of layer l, and whatever it moves above), so SnAp-1 is then exact RTRL;
 * its cost is that of the pattern, p × (units above) per sequence, which the layer-wise rule
 * ({@link ElementwiseOnline}) avoids by dropping the cross-layer temporal entries.
 *
 * <p>The {@code LruCell} is different: its complex units are real pairs, and the immediate effect of
 * {@code B_re[j,k]} is on {@code x_re,j} only (of {@code B_im[j,k]} on {@code x_im,j} only), so P leaves out
 * the other half of the unit, into which the rotation by λ carries the effect one step later. SnAp-1 on the
 * real-pair LRU is therefore an approximation (a complex-valued implementation, whose unit is one complex
 * number, would keep both halves and be exact).
 *
 * <p>P is the pattern of the immediate Jacobian, strictly (Menick et al.'s definition). The fast
 * {@link Snap1} of the LSTM keeps a unit's whole {@code (c_i, h_i)} block for every parameter of
 * unit i, one entry more for the output gate's parameters (which move {@code h_i} but not {@code c_i} in one
 * step); for the vanilla RNN the two are the same. This class computes the dense tangents and masks them: it
 * is the reference form (p² memory for the parameter tangents), for measurements on small networks.
 */
public final class GenericSnap1 extends ForwardLearner {
    private final Tensor[] paramTangents;
    private final boolean[][] pattern; // per state part, [p × size]
    private Tensor[] influence;
    private Tensor[] pending;

    /**
     * SnAp-1 for the network's cell.
     *
     * @param net   the network
     * @param batch the batch of sequences
     * @throws IllegalArgumentException when batch is not positive
     * @throws dev.wengert.rnn.MemoryGuard.InsufficientMemoryException when p² doubles do not fit
     */
    public GenericSnap1(RecurrentNet net, int batch) {
        super(net, batch);
        double stateTangents = (double) p * batch * cell.stateSize();
        requireMemory("snap-1 (generic, forward mode)", String.format(Locale.ROOT,
                "%s with p = %d parameters, batch %d", cell.name(), p, batch), (double) p * p + 3 * stateTangents,
                4 * stateTangents, Math.max((double) p * p, stateTangents));
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
        pattern = probe();
        influence = new Tensor[cell.stateParts()];
    }

    /** The non-zero pattern of one step's parameter tangents from a random state and input (batch 1). */
    private boolean[][] probe() {
        Random rng = new Random(0x5A4B1L);
        Tensor[] s = cell.initialState(1);
        for (int i = 0; i < s.length; i++) s[i] = Tensor.randn(rng, 1, cell.stateSizes()[i]);
        Tensor x = Tensor.randn(rng, 1, cell.inputSize());
        Tensor[] tangents = Arrays.copyOf(paramTangents, paramTangents.length + s.length);
        Tensor[] out = jvp(s, x, tangents);
        boolean[][] pat = new boolean[out.length][];
        for (int part = 0; part < out.length; part++) {
            double[] d = out[part].data();
            pat[part] = new boolean[d.length];
            for (int i = 0; i < d.length; i++) pat[part][i] = d[i] != 0.0;
        }
        return pat;
    }

    /** One step pushed forward with the given tangents (parameters first, then state parts); the state tangents. */
    private Tensor[] jvp(Tensor[] s, Tensor x, Tensor[] tangents) {
        Tensor[] cp = cellParams();
        int q = cp.length;
        int r = s.length;
        Tensor[] primals = new Tensor[q + r];
        System.arraycopy(cp, 0, primals, 0, q);
        System.arraycopy(s, 0, primals, q, r);
        ForwardMode.Result res = ForwardMode.jvpBatch(p,
                in -> cell.step(Arrays.copyOfRange(in, 0, q), Arrays.copyOfRange(in, q, q + r), x), primals, tangents);
        Tensor[] out = new Tensor[r + r];
        for (int i = 0; i < r; i++) {
            out[i] = res.tangent(i);
            out[r + i] = res.value(i);
        }
        return out;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        int r = state.length;
        Tensor[] tangents = Arrays.copyOf(paramTangents, paramTangents.length + r);
        System.arraycopy(influence, 0, tangents, paramTangents.length, r);
        Tensor[] out = jvp(state, x, tangents);
        pending = new Tensor[r];
        Tensor[] next = new Tensor[r];
        int[] sizes = cell.stateSizes();
        for (int part = 0; part < r; part++) {
            double[] d = out[part].toArray(); // [p, batch, size]
            boolean[] keep = pattern[part];
            int size = sizes[part];
            for (int j = 0; j < p; j++) {
                for (int b = 0; b < batch; b++) {
                    int row = (j * batch + b) * size;
                    for (int i = 0; i < size; i++) if (!keep[j * size + i]) d[row + i] = 0.0;
                }
            }
            pending[part] = Tensor.wrap(d, p, batch, size);
            next[part] = out[r + part];
        }
        return next;
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        influence = pending;
        pending = null;
        if (gh == null) return;
        double[] m = influence[cell.outputPart()].data();
        int bn = gh.length;
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int k = 0; k < bn; k++) s += gh[k] * m[j * bn + k];
            grad[j] += s;
        }
    }

    @Override
    protected void resetInfluence() {
        influence = new Tensor[cell.stateParts()];
    }

    @Override
    public long stateBytes() {
        long n = 0;
        for (Tensor t : paramTangents) n += t.size();
        for (Tensor[] ts : new Tensor[][] {influence, pending}) {
            if (ts != null) for (Tensor t : ts) if (t != null) n += t.size();
        }
        for (boolean[] b : pattern) n += b.length / 8;
        return 8 * n;
    }
}
