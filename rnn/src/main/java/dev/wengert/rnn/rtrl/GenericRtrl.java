package dev.wengert.rnn.rtrl;

import dev.wengert.core.Allocation;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.MemoryGuard;
import dev.wengert.rnn.RecurrentNet;
import java.util.Arrays;
import java.util.Locale;

/**
 * Exact RTRL for any cell built from ops, by forward-mode automatic differentiation of the recorded step,
 * exploiting the structure of the immediate Jacobian where the cell has it.
 *
 * <p>The influence matrix of sequence b, {@code M_t = ∂s_t/∂θ} ({@code S × p} for a state of S numbers and
 * p parameter scalars), follows the RTRL recursion
 * <pre>  M_t = J_t M_{t−1} + Ī_t,    J_t = ∂s_t/∂s_{t−1} (S × S),    Ī_t = ∂s_t/∂θ at fixed s_{t−1} (S × p)</pre>
 * Each step is recorded on a tape and pushed forward once, with the ops' own JVP rules, in
 * K = S + Σ w + p_dense tangent directions:
 * <ul>
 *   <li>S directions one-hot in each state unit give {@code J_t};</li>
 *   <li>a parameter that enters only through products and elementwise terms of its own units,
 *       {@code y = v Wᵀ} (or {@code v W}), {@code y = a ± b}, {@code y = a ⊙ g}, with y of shape
 *       {@code [batch, w]}, has a Kronecker-structured immediate Jacobian: with
 *       {@code G = ∂s_t/∂y} (S × w, from w directions one-hot in the units of y),
 *       <pre>  Ī_t[:, W_ij] = G[:, i] v_j,    Ī_t[:, b_i] = G[:, i],    Ī_t[:, g_i] = G[:, i] a_i</pre>
 *       so it costs w directions instead of one per scalar (for {@code tanh(W h + U x + b)}: n directions
 *       for all of W, U and b, since additions of y's own shape share y's directions);</li>
 *   <li>every other parameter ("dense": used through any other op) gets one direction per scalar, one-hot in
 *       the parameter itself, which gives its columns of Ī_t directly.</li>
 * </ul>
 * Then {@code M_t = J_t M_{t−1}} is one {@link Gemm} product of {@code S × S} by {@code S × p} per sequence,
 * 2S²p flops, the same product the fast kernels ({@link RnnRtrl}, {@link LstmRtrl}) compute, and Ī_t is
 * added in O(S·p) (O(p) when G is diagonal: zeros of G are skipped). The gradient of the step's loss rides
 * along as one more row: with {@code u = ∂ℓ_t/∂h_t}, {@code uᵀ M_t = (uᵀ J_t) M_{t−1} + uᵀ Ī_t}.
 *
 * <p>The directions are one-hot in a unit for every sequence of the batch at once, so this form needs the
 * step to keep the sequences apart (row b of s_t made from row b of s_{t−1} and x_t alone); the recorded
 * graph is checked for that, op by op. A step that may mix sequences (batch &gt; 1 and an op not known to
 * keep rows apart) is differentiated the plain way instead, exact for any cell: p directions
 * {@code (M_{t−1}[:, j], e_j)} for the state and the parameters, the output tangents being
 * {@code M_t[:, j]}. Both forms give the same numbers to rounding; both are checked against BPTT.
 *
 * <p>Memory: the influence matrices {@code batch × (S + 1) × p} twice, and a step's tangents,
 * {@code K × batch} per value the step computes; the plain form adds the parameters' basis tangents,
 * p × p. The learner probes the cell's structure with one step at construction, for the memory guard; a cell
 * whose graph changes with the data gets the form each step's graph allows.
 */
public final class GenericRtrl extends ForwardLearner {
    /**
     * Tangent temporaries of a step per value the step computes: each op's JVP makes its output's tangent
     * batch and up to two more of that size (products with partial derivatives, their sum). Measured: 1.6
     * for the LSTM and GRU cells.
     */
    static final double TANGENTS_PER_VALUE = 3;

    private static final String WHO = "GenericRtrl";

    private final int stateSize;
    private final int[] sizes;
    private final int[] partStart;
    private final int[] partOf; // per state unit: its part
    private final int outPart;
    private final int[] offsets;
    private final int block; // (S + 1) · p: one sequence's influence rows and its gradient row
    /** Whether the probe step had the structure; for {@link #structured()}. */
    private final boolean probedStructured;
    private double[] prev; // M_{t−1} per sequence: rows 0..S−1 (row S: the previous step's gradient)
    private double[] next;
    private boolean fresh = true; // M = 0: the product is skipped
    private final double[] jac; // (S + 1) × S: J_t and uᵀ J_t
    private double[] g = new double[0]; // (S + 1) × w: a seed's G and uᵀ G
    private StepGraph graph; // the step being propagated
    // Cached one-hot tangents (they only depend on the number of directions and where each block starts).
    private int seedK = -1;
    private Tensor[] stateSeeds;
    private Tensor[] denseSeeds;
    private int[] denseSeedStart;
    private Tensor[] basis; // the plain form's parameter tangents [p, shape], made when first needed
    /** Steps propagated in each form since construction (for the tests). */
    int structuredSteps;
    int plainSteps;

    /**
     * A learner for batches of {@code batch} sequences of {@code net}'s cell.
     *
     * @param net   the network (its cell is differentiated through its ops)
     * @param batch the number of sequences per step
     * @throws NullPointerException     when net is null
     * @throws IllegalArgumentException when batch is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices or a step's tangents would
     *                                  not fit in the heap
     */
    public GenericRtrl(RecurrentNet net, int batch) {
        super(net, batch);
        this.sizes = cell.stateSizes();
        this.stateSize = cell.stateSize();
        this.partStart = new int[sizes.length + 1];
        for (int i = 0; i < sizes.length; i++) partStart[i + 1] = partStart[i] + sizes[i];
        this.partOf = new int[stateSize];
        for (int i = 0; i < sizes.length; i++) Arrays.fill(partOf, partStart[i], partStart[i + 1], i);
        this.outPart = cell.outputPart();
        this.offsets = offsets();
        int probeBatch = Math.min(batch, 2);
        StepGraph probe = StepGraph.record(WHO, cell, cellParams(), cell.initialState(probeBatch),
                Tensor.zeros(probeBatch, cell.inputSize()));
        this.probedStructured = probe.rowLocal;
        double values = stepOutputsPerSequence(cell);
        double influence = (double) batch * (stateSize + 1) * p;
        double packing = packing(Gemm.threads() + 1);
        if (probe.rowLocal) {
            double k = (double) stateSize + probe.seedDirections + probe.denseDirections;
            int widest = 0;
            for (StepGraph.Seed s : probe.seeds) widest = Math.max(widest, s.width);
            int largestDense = 0;
            for (int i : probe.denseParams) largestDense = Math.max(largestDense, cellParams()[i].size());
            double seedsKept = k * batch * stateSize + k * probe.denseDirections;
            requireMemory("rtrl (generic, forward mode)", String.format(Locale.ROOT,
                    "%s with p = %d parameters (%d of them dense), batch %d: K = %.0f tangent directions (state %d, "
                            + "structured %d, dense %d), the influence matrix batch × (state + 1) × p = %.4g doubles "
                            + "twice, K-direction tangents of the %.0f values a step computes per sequence",
                    cell.name(), p, probe.denseDirections, batch, k, stateSize, probe.seedDirections,
                    probe.denseDirections, influence, values),
                    2 * influence + seedsKept + (stateSize + 1.0) * (stateSize + widest),
                    TANGENTS_PER_VALUE * k * batch * (values + stateSize) + batch * values + packing,
                    Math.max(influence, Math.max(k * batch * largestSize(), k * largestDense)));
        } else {
            double stateTangents = (double) p * batch * stateSize;
            requireMemory("rtrl (generic, forward mode)", String.format(Locale.ROOT,
                    "%s with p = %d parameters, batch %d: parameter tangents p × p = %.4g doubles, state tangents "
                            + "p × batch × state = %.4g doubles twice, and the tangents of the %.0f values a step computes "
                            + "per sequence (the step may mix the sequences of a batch: no structured directions)",
                    cell.name(), p, batch, (double) p * p, stateTangents, values),
                    (double) p * p + 2 * stateTangents + 2 * influence,
                    TANGENTS_PER_VALUE * p * batch * values + packing,
                    Math.max(Math.max((double) p * largestParameter(), stateTangents), influence));
        }
        this.block = (stateSize + 1) * p;
        this.prev = Allocation.doubles("rtrl", "the influence matrix", (long) batch * block);
        this.next = Allocation.doubles("rtrl", "the influence matrix", (long) batch * block);
        this.jac = new double[(stateSize + 1) * stateSize];
    }

    private int largestParameter() {
        int max = 0;
        for (Tensor t : cellParams()) max = Math.max(max, t.size());
        return max;
    }

    private int largestSize() {
        int max = 0;
        for (int s : sizes) max = Math.max(max, s);
        return max;
    }

    /**
     * Whether the cell's step, probed at construction, keeps the sequences of a batch apart, so that
     * structured directions are used ({@code true} for every cell at batch 1, and for the RNN, LSTM, GRU and
     * stacked cells at any batch).
     *
     * @return whether the structured form was planned
     */
    public boolean structured() {
        return probedStructured;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        graph = StepGraph.record(WHO, cell, cellParams(), state, x);
        Tensor[] out = new Tensor[graph.outputs.length];
        for (int i = 0; i < out.length; i++) out[i] = graph.outputs[i].detach();
        return out;
    }

    @Override
    protected void propagate(Tensor x, Tensor[] nextState, double[] gh, double[] grad) {
        StepGraph gr = graph;
        graph = null;
        if (gr.rowLocal) {
            structuredStep(gr, gh, grad);
            structuredSteps++;
        } else {
            plainStep(gr, gh, grad);
            plainSteps++;
        }
        double[] swap = prev;
        prev = next;
        next = swap;
        fresh = false;
    }

    // ---------------------------------------------------------------- the structured form

    private void structuredStep(StepGraph gr, double[] gh, double[] grad) {
        int s = stateSize;
        int k = s + gr.seedDirections + gr.denseDirections;
        Tensor[] paramTangents = denseSeeds(gr, k);
        Tensor[] out = gr.replay(k, paramTangents, stateSeeds(k), true);
        double[][] od = new double[out.length][];
        for (int i = 0; i < out.length; i++) od[i] = out[i] == null ? null : out[i].data();
        boolean withGrad = gh != null;
        int rows = withGrad ? s + 1 : s;
        int nh = sizes[outPart];
        int hStart = partStart[outPart];
        int widest = 0;
        for (StepGraph.Seed seed : gr.seeds) widest = Math.max(widest, seed.width);
        if (g.length < (s + 1) * widest) g = new double[(s + 1) * widest];
        for (int b = 0; b < batch; b++) {
            int base = b * block;
            // J_t, and uᵀ J_t in row S.
            gather(od, b, 0, s, jac, withGrad ? gh : null, nh, hStart);
            if (fresh) {
                Arrays.fill(next, base, base + rows * p, 0.0);
            } else {
                Gemm.gemm(false, false, rows, p, s, 1.0, jac, 0, s, prev, base, p, 0.0, next, base, p);
            }
            for (StepGraph.Seed seed : gr.seeds) {
                gather(od, b, seed.direction, seed.width, g, withGrad ? gh : null, nh, hStart);
                for (StepGraph.Use u : seed.uses) addUse(b, base, rows, u);
            }
            int d = s + gr.seedDirections;
            for (int pi : gr.denseParams) {
                int size = cellParams()[pi].size();
                addDense(od, b, base, d, size, offsets[pi], withGrad ? gh : null, nh, hStart);
                d += size;
            }
            if (withGrad) {
                int r = base + s * p;
                for (int j = 0; j < p; j++) grad[j] += next[r + j];
            }
        }
    }

    /**
     * {@code dst[k · w + i]} = the derivative of state unit k (sequence b) in direction {@code first + i}, for
     * the S units, and with a cotangent u, row S = {@code Σ_k u_k dst[k, i]} over the output part's units.
     */
    private void gather(double[][] od, int b, int first, int w, double[] dst, double[] u, int nh, int hStart) {
        for (int q = 0; q < sizes.length; q++) {
            int size = sizes[q];
            double[] t = od[q];
            int k0 = partStart[q];
            for (int kk = 0; kk < size; kk++) {
                int row = (k0 + kk) * w;
                if (t == null) {
                    Arrays.fill(dst, row, row + w, 0.0);
                    continue;
                }
                for (int i = 0; i < w; i++) dst[row + i] = t[((first + i) * batch + b) * size + kk];
            }
        }
        if (u == null) return;
        int row = stateSize * w;
        Arrays.fill(dst, row, row + w, 0.0);
        for (int kk = 0; kk < nh; kk++) {
            double uk = u[b * nh + kk];
            if (uk == 0) continue;
            int src = (hStart + kk) * w;
            for (int i = 0; i < w; i++) dst[row + i] += uk * dst[src + i];
        }
    }

    /** Adds one structured use's immediate Jacobian, {@code G[:, i] ⊗ coefficient}, to rows 0..rows−1. */
    private void addUse(int b, int base, int rows, StepGraph.Use u) {
        int w = u.width;
        int d = u.depth;
        int off = base + offsets[u.param];
        double[] c = u.coefficient == null ? null : u.coefficient.data();
        double sign = u.sign;
        for (int k = 0; k < rows; k++) {
            int row = off + k * p;
            int gRow = k * w;
            for (int i = 0; i < w; i++) {
                double gi = g[gRow + i];
                if (gi == 0) continue;
                gi *= sign;
                switch (u.kind) {
                    case StepGraph.MATMUL_NT: { // y = v Wᵀ: W_ij at i·d + j
                        int at = row + i * d;
                        int cb = b * d;
                        for (int j = 0; j < d; j++) next[at + j] += gi * c[cb + j];
                        break;
                    }
                    case StepGraph.MATMUL_NN: { // y = v W: W_ji at j·w + i
                        int at = row + i;
                        int cb = b * d;
                        for (int j = 0; j < d; j++) next[at + j * w] += gi * c[cb + j];
                        break;
                    }
                    case StepGraph.BIAS:
                        next[row + i] += gi;
                        break;
                    default: // GAIN
                        next[row + i] += gi * c[b * w + i];
                }
            }
        }
    }

    /** Adds a dense parameter's columns of Ī_t: its directions' tangents, and their u-weighted sum in row S. */
    private void addDense(double[][] od, int b, int base, int first, int size, int off, double[] u, int nh, int hStart) {
        for (int q = 0; q < sizes.length; q++) {
            double[] t = od[q];
            if (t == null) continue;
            int sz = sizes[q];
            for (int kk = 0; kk < sz; kk++) {
                int row = base + (partStart[q] + kk) * p + off;
                for (int j = 0; j < size; j++) next[row + j] += t[((first + j) * batch + b) * sz + kk];
            }
        }
        if (u == null || od[outPart] == null) return;
        double[] t = od[outPart];
        int row = base + stateSize * p + off;
        for (int j = 0; j < size; j++) {
            int src = ((first + j) * batch + b) * nh;
            double sum = 0;
            for (int kk = 0; kk < nh; kk++) sum += u[b * nh + kk] * t[src + kk];
            next[row + j] += sum;
        }
    }

    /** The state parts' tangents: one-hot in each state unit, for every sequence ({@code [k, batch, size]}). */
    private Tensor[] stateSeeds(int k) {
        if (stateSeeds == null || seedK != k) {
            stateSeeds = new Tensor[sizes.length];
            for (int q = 0; q < sizes.length; q++) {
                int size = sizes[q];
                double[] d = Allocation.doubles("rtrl", "the state's tangents", (long) k * batch * size);
                for (int kk = 0; kk < size; kk++) {
                    int dir = partStart[q] + kk;
                    for (int b = 0; b < batch; b++) d[(dir * batch + b) * size + kk] = 1.0;
                }
                stateSeeds[q] = Tensor.wrap(d, k, batch, size);
            }
            seedK = k;
            denseSeeds = null;
        }
        return stateSeeds;
    }

    /** The parameters' tangents: one-hot in each scalar of a dense parameter, none for a structured one. */
    private Tensor[] denseSeeds(StepGraph gr, int k) {
        Tensor[] cp = cellParams();
        int[] start = new int[cp.length];
        Arrays.fill(start, -1);
        int d = stateSize + gr.seedDirections;
        for (int pi : gr.denseParams) {
            start[pi] = d;
            d += cp[pi].size();
        }
        if (seedK != k) stateSeeds(k);
        if (denseSeeds == null || !Arrays.equals(start, denseSeedStart)) {
            denseSeeds = new Tensor[cp.length];
            for (int pi : gr.denseParams) {
                int size = cp[pi].size();
                double[] e = Allocation.doubles("rtrl", "the tangents of parameter " + pi, (long) k * size);
                for (int j = 0; j < size; j++) e[(start[pi] + j) * size + j] = 1.0;
                int[] shape = new int[cp[pi].rank() + 1];
                shape[0] = k;
                System.arraycopy(cp[pi].shape(), 0, shape, 1, cp[pi].rank());
                denseSeeds[pi] = Tensor.wrap(e, shape);
            }
            denseSeedStart = start;
        }
        return denseSeeds;
    }

    // ---------------------------------------------------------------- the plain form

    /**
     * p directions {@code (M_{t−1}[:, j], e_j)}: the output tangents are {@code M_t[:, j]}, for a step that
     * may mix the sequences of a batch.
     */
    private void plainStep(StepGraph gr, double[] gh, double[] grad) {
        Tensor[] st = new Tensor[sizes.length];
        if (!fresh) {
            for (int q = 0; q < sizes.length; q++) {
                int size = sizes[q];
                double[] d = Allocation.doubles("rtrl", "the state's tangents", (long) p * batch * size);
                for (int b = 0; b < batch; b++) {
                    for (int kk = 0; kk < size; kk++) {
                        int src = b * block + (partStart[q] + kk) * p;
                        for (int j = 0; j < p; j++) d[(j * batch + b) * size + kk] = prev[src + j];
                    }
                }
                st[q] = Tensor.wrap(d, p, batch, size);
            }
        }
        Tensor[] out = gr.replay(p, basis(), st, false);
        for (int q = 0; q < sizes.length; q++) {
            int size = sizes[q];
            double[] t = out[q] == null ? null : out[q].data();
            for (int b = 0; b < batch; b++) {
                for (int kk = 0; kk < size; kk++) {
                    int dst = b * block + (partStart[q] + kk) * p;
                    if (t == null) Arrays.fill(next, dst, dst + p, 0.0);
                    else for (int j = 0; j < p; j++) next[dst + j] = t[(j * batch + b) * size + kk];
                }
            }
        }
        if (gh == null || out[outPart] == null) return;
        double[] m = out[outPart].data(); // [p, batch · n]
        int bn = gh.length;
        for (int j = 0; j < p; j++) {
            double sum = 0;
            int row = j * bn;
            for (int kk = 0; kk < bn; kk++) sum += gh[kk] * m[row + kk];
            grad[j] += sum;
        }
    }

    /** The parameters' basis tangents {@code [p, shape]}, e_j in direction j. */
    private Tensor[] basis() {
        if (basis == null) {
            Tensor[] cp = cellParams();
            basis = new Tensor[cp.length];
            for (int i = 0; i < cp.length; i++) {
                int size = cp[i].size();
                double[] e = Allocation.doubles("rtrl", "the tangents of parameter " + i, (long) p * size);
                for (int j = 0; j < size; j++) e[(offsets[i] + j) * size + j] = 1.0;
                int[] shape = new int[cp[i].rank() + 1];
                shape[0] = p;
                System.arraycopy(cp[i].shape(), 0, shape, 1, cp[i].rank());
                basis[i] = Tensor.wrap(e, shape);
            }
        }
        return basis;
    }

    // ---------------------------------------------------------------- state

    @Override
    protected void resetInfluence() {
        fresh = true;
    }

    /**
     * The influence matrix of state part {@code part}, {@code ∂s_t^{(part)}/∂θ} for every sequence.
     *
     * @param part the state part (0 ≤ part &lt; {@code cell.stateParts()})
     * @return a new tensor of shape {@code [p, batch, size]}: entry {@code [j, b, k]} is the derivative of unit
     *         k of sequence b with respect to parameter scalar j (zeros before the first step)
     * @throws IndexOutOfBoundsException naming the part and the cell's number of parts
     */
    public Tensor influence(int part) {
        if (part < 0 || part >= sizes.length) {
            throw new IndexOutOfBoundsException(WHO + ".influence: state part " + part + " of a cell with "
                    + sizes.length + " part" + (sizes.length == 1 ? "" : "s") + " (" + cell.name() + ")");
        }
        int size = sizes[part];
        double[] d = Allocation.doubles("rtrl", "a copy of the influence matrix", (long) p * batch * size);
        if (!fresh) {
            for (int b = 0; b < batch; b++) {
                for (int kk = 0; kk < size; kk++) {
                    int src = b * block + (partStart[part] + kk) * p;
                    for (int j = 0; j < p; j++) d[(j * batch + b) * size + kk] = prev[src + j];
                }
            }
        }
        return Tensor.wrap(d, p, batch, size);
    }

    @Override
    public long stateBytes() {
        return bytesOf(prev, next, jac, g) + bytesOf(stateSeeds) + bytesOf(denseSeeds) + bytesOf(basis);
    }
}
