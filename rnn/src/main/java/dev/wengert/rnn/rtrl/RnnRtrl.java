package dev.wengert.rnn.rtrl;

import dev.wengert.core.Allocation;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.MemoryGuard;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.internal.StepKernels;
import java.util.Locale;

/**
 * Exact RTRL for the vanilla tanh RNN ({@link RnnCell}), exploiting its structure. With
 * {@code a_t = W h_{t−1} + U x_t + b}, {@code h_t = tanh(a_t)}, {@code D_t = diag(1 − h_t²)} and θ =
 * (W, U, b) flattened in parameter order ({@code p = n² + nm + n}), the influence matrix
 * {@code M_t = ∂h_t/∂θ} ({@code n × p}) follows
 * <pre>
 *   M_t = D_t (W M_{t−1} + Ī_t),   Ī_t[i, W_ij] = h_{t−1,j},  Ī_t[i, U_ij] = x_{t,j},  Ī_t[i, b_i] = 1
 * </pre>
 * The immediate Jacobian Ī_t touches only unit i's own parameters in row i, so it is added in O(p)
 * without being formed; the rest is one {@code n × n} by {@code n × p} matrix product per step
 * ({@link Gemm}), 2n²p = O(n⁴) flops.
 *
 * <p>How the step is organised so that the product is almost all the work. The learner stores the
 * unscaled {@code Ã_t = W M_{t−1} + Ī_t} (so {@code M_t = D_t Ã_t}) and folds the row scaling into the
 * small matrix: {@code W M_{t−1} = (W D_{t−1}) Ã_{t−1}}, an n × n rescaling instead of an n × p one. The
 * gradient of the step's loss rides along as one extra row of the same product: with
 * {@code u = (∂ℓ_t/∂h_t) ⊙ diag(D_t)},
 * <pre>  ∂ℓ_t/∂θ = (∂ℓ_t/∂h_t) M_t = uᵀ Ã_t = (uᵀ W D_{t−1}) Ã_{t−1} + uᵀ Ī_t</pre>
 * so each step is one product {@code [W D_{t−1}; uᵀ W D_{t−1}] Ã_{t−1}} ({@code (n+1) × n} by
 * {@code n × p}) written into the second of two buffers, plus O(p) for the immediate terms. For a batch of
 * B sequences each has its own D, so each has its own product over its p columns.
 *
 * <p>Threads: each sequence's product is one {@link Gemm} call over its p columns, split over at most
 * {@code threads} threads by Gemm's own low-latency workers (a fork-join hand-off per step measured slower:
 * 298 ms against 230 ms best of 15 at n = 64, T = 200 on two cores). The immediate terms are added on the
 * calling thread afterwards, O(p) per sequence. Nothing is allocated in the step loop except the new state.
 */
public final class RnnRtrl extends ForwardLearner {
    private final RnnCell rc;
    private final int n;
    private final int m;
    private final int rows; // n + 1: the influence rows and the gradient row
    private final int cols;
    private final int threads;
    private double[] prev; // Ã_{t−1}: rows 0..n−1 (row n: the gradient of step t−1), columns b·p + j
    private double[] next;
    private final double[] d; // diag(D_t) per sequence
    private final double[] dPrev; // diag(D_{t−1})
    private final double[] lhs; // per sequence: [W D_{t−1}; uᵀ W D_{t−1}], (n+1) × n
    private final double[] u;
    private boolean fresh = true; // Ã_0 = 0: the first product can be skipped
    // Inputs of the step being propagated.
    private double[] hPrev;
    private double[] xd;
    private boolean withGrad;

    /**
     * A learner for batches of {@code batch} sequences, using all available processors.
     *
     * @param net   a network whose cell is an {@link RnnCell}
     * @param batch the number of sequences per step
     * @throws IllegalArgumentException when the cell is not an RnnCell, or batch is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices would not fit in the heap
     */
    public RnnRtrl(RecurrentNet net, int batch) {
        this(net, batch, Parallel.defaultThreads());
    }

    /**
     * A learner that splits each step's product over {@code threads} threads (1: single-threaded).
     *
     * @param net     a network whose cell is an {@link RnnCell}
     * @param batch   the number of sequences per step
     * @param threads the most threads a step's product uses
     * @throws IllegalArgumentException when the cell is not an RnnCell, or batch or threads is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices would not fit in the heap
     */
    public RnnRtrl(RecurrentNet net, int batch, int threads) {
        super(net, batch);
        if (!(net.cell() instanceof RnnCell)) {
            throw new IllegalArgumentException("RnnRtrl: the fast kernel needs an RnnCell, got " + net.cell().name()
                    + "; use GenericRtrl for other cells");
        }
        if (threads < 1) throw new IllegalArgumentException("RnnRtrl: threads must be positive, got " + threads);
        this.rc = (RnnCell) net.cell();
        this.n = rc.hiddenSize();
        this.m = rc.inputSize();
        this.rows = n + 1;
        this.threads = threads;
        // In double until the guard has refused what does not fit: batch · p overflows an int at batch 60,000.
        double wide = (double) batch * p;
        requireMemory("rtrl (fast, vanilla RNN)", String.format(Locale.ROOT,
                "%s, batch %d: the influence matrix n × batch·p = %d × %.0f (p = n² + nm + n = %d), stored twice",
                rc.name(), batch, n, wide, p), 2.0 * rows * wide + batch * (3.0 * n + (double) rows * n),
                (double) batch * n + packing(threads + 1), (double) rows * wide);
        this.cols = batch * p;
        this.prev = Allocation.doubles("rtrl", "the influence matrix", (long) rows * cols);
        this.next = Allocation.doubles("rtrl", "the influence matrix", (long) rows * cols);
        this.d = new double[batch * n];
        this.dPrev = new double[batch * n];
        this.lhs = new double[batch * rows * n];
        this.u = new double[batch * n];
    }

    /**
     * The most threads each step's product is split over.
     *
     * @return the thread count given at construction
     */
    public int threads() {
        return threads;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        double[] hn = new double[batch * n];
        StepKernels.rnn(rc, state[0].data(), x.data(), batch, hn, d);
        return new Tensor[] {Tensor.wrap(hn, batch, n)};
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        this.hPrev = state[0].data();
        this.xd = x.data();
        this.withGrad = gh != null;
        double[] W = rc.whh().data();
        for (int b = 0; b < batch; b++) {
            int l = b * rows * n;
            int db = b * n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) lhs[l + i * n + j] = W[i * n + j] * dPrev[db + j];
            }
            if (withGrad) {
                for (int i = 0; i < n; i++) u[db + i] = gh[db + i] * d[db + i];
                int g = l + n * n;
                java.util.Arrays.fill(lhs, g, g + n, 0.0);
                for (int i = 0; i < n; i++) {
                    double ui = u[db + i];
                    if (ui == 0) continue;
                    for (int j = 0; j < n; j++) lhs[g + j] += ui * lhs[l + i * n + j];
                }
            }
        }
        int mRows = withGrad ? rows : n;
        for (int b = 0; b < batch; b++) {
            int c0 = b * p;
            if (fresh) {
                for (int r = 0; r < mRows; r++) java.util.Arrays.fill(this.next, r * cols + c0, r * cols + c0 + p, 0.0);
            } else {
                Gemm.gemm(threads, false, false, mRows, p, n, 1.0, lhs, b * rows * n, n, prev, c0, cols, 0.0,
                        this.next, c0, cols);
            }
            addImmediate(b);
        }
        if (withGrad) {
            int g = n * cols;
            for (int b = 0; b < batch; b++) {
                int base = g + b * p;
                for (int j = 0; j < p; j++) grad[j] += this.next[base + j];
            }
        }
        double[] swap = prev;
        prev = this.next;
        this.next = swap;
        System.arraycopy(d, 0, dPrev, 0, d.length);
        fresh = false;
    }

    /**
     * Adds Ī_t for sequence b: in row i, unit i's columns get (h_{t−1}, x_t, 1); the gradient row gets the
     * same scaled by u_i.
     */
    private void addImmediate(int b) {
        int nn = n * n;
        int nm = n * m;
        int base = b * p;
        int gRow = n * cols + base;
        for (int i = 0; i < n; i++) {
            int row = i * cols + base;
            double ui = withGrad ? u[b * n + i] : 0.0;
            addRange(row + i * n, gRow + i * n, ui, hPrev, b * n, n);
            addRange(row + nn + i * m, gRow + nn + i * m, ui, xd, b * m, m);
            int q = nn + nm + i;
            next[row + q] += 1.0;
            if (withGrad) next[gRow + q] += ui;
        }
    }

    /** {@code next[at + j] += src[from + j]} and, with a gradient, {@code next[gAt + j] += ui · src[from + j]}. */
    private void addRange(int at, int gAt, double ui, double[] src, int from, int len) {
        for (int j = 0; j < len; j++) next[at + j] += src[from + j];
        if (withGrad) for (int j = 0; j < len; j++) next[gAt + j] += ui * src[from + j];
    }

    @Override
    protected void resetInfluence() {
        java.util.Arrays.fill(prev, 0.0);
        fresh = true;
    }

    /**
     * A copy of the influence matrix {@code M_t = ∂h_t/∂θ} of one sequence.
     *
     * @param b the sequence, 0 ≤ b &lt; batch
     * @return a new tensor of shape {@code [n, p]} (zeros before the first step)
     * @throws IndexOutOfBoundsException naming the sequence and the batch
     */
    public Tensor influence(int b) {
        Rtrl.checkSequence("RnnRtrl.influence", b, batch);
        double[] out = new double[n * p];
        if (!fresh) {
            for (int i = 0; i < n; i++) {
                double di = dPrev[b * n + i];
                int src = i * cols + b * p;
                for (int j = 0; j < p; j++) out[i * p + j] = di * prev[src + j];
            }
        }
        return Tensor.wrap(out, n, p);
    }

    @Override
    public long stateBytes() {
        return bytesOf(prev, next, d, dPrev, lhs, u);
    }
}
