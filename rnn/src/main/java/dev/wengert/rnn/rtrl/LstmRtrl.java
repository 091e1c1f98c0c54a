package dev.wengert.rnn.rtrl;

import dev.wengert.core.Allocation;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.MemoryGuard;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.internal.StepKernels;
import java.util.Locale;

/**
 * Exact RTRL for the {@link LstmCell}, exploiting its structure. The state of unit i is the pair
 * {@code (c_i, h_i)}; the influence matrices are {@code H_t = ∂h_t/∂θ} and {@code C_t = ∂c_t/∂θ}
 * ({@code n × p} each, {@code p = 4(n² + nm + n)}). Only {@code h_{t−1}} feeds the dense matrices, so with
 * the four recurrent matrices stacked, {@code W_h = [W^{f,h}; W^{i,h}; W^{o,h}; W^{c,h}]} ({@code 4n × n}),
 * the sensitivities of all pre-activations are one matrix product per step plus the immediate term:
 * <pre>
 *   Ȧ_t = W_h H_{t−1} + Ī_t          (4n × p; Ī_t adds (h_{t−1}, x_t, 1) to gate g's row i, in unit i's columns of gate g)
 *   C_t = f⊙C_{t−1} + (f(1−f) c_{t−1})⊙Ȧ^f + (i(1−i) c̃)⊙Ȧ^i + (i (1−c̃²))⊙Ȧ^c
 *   H_t = (o(1−o) tanh c_t)⊙Ȧ^o + (o (1 − tanh² c_t))⊙C_t
 * </pre>
 * (row-wise scalings, one coefficient per unit). The product costs {@code 8n²p} flops; everything else is
 * O(np). The gradient {@code (∂ℓ_t/∂h_t) H_t} is accumulated in the same pass. Layout as in
 * {@link RnnRtrl}. The columns are cut into panels, each product small enough to run on the calling thread,
 * so that a panel of Ȧ stays in cache while H and C are updated in place; the panels are shared among
 * this learner's threads, and each column is computed by the same code whatever the thread count.
 */
public final class LstmRtrl extends ForwardLearner {
    private static final int F = 0;
    private static final int I = 1;
    private static final int O = 2;
    private static final int C = 3;

    private final LstmCell lc;
    private final int n;
    private final int m;
    private final int block; // n² + nm + n: the parameters of one gate
    private final int cols;
    /** Overrides the panel width (columns), for tuning: system property {@code wengert.rtrl.panel}. */
    static final int PANEL_OVERRIDE = Integer.getInteger("wengert.rtrl.panel", 0);

    private final int panel;
    private final int tasks;
    private final double[] hInf;
    private final double[] cInf;
    private final double[] colGrad;
    private final double[][] tmp;
    private final double[] wh; // the stacked W_h, 4n × n, refreshed each step
    private final StepKernels.LstmCoefficients k; // per (sequence, unit), for the step being propagated
    private double[] hPrev;
    private double[] xd;
    private double[] gh;

    /**
     * A learner for batches of {@code batch} sequences, using all available processors.
     *
     * @param net   a network whose cell is an {@link LstmCell}
     * @param batch the number of sequences per step
     * @throws IllegalArgumentException when the cell is not an LstmCell, or batch is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices would not fit in the heap
     */
    public LstmRtrl(RecurrentNet net, int batch) {
        this(net, batch, Parallel.defaultThreads());
    }

    /**
     * A learner that splits each step over {@code threads} threads.
     *
     * @param net     a network whose cell is an {@link LstmCell}
     * @param batch   the number of sequences per step
     * @param threads the most threads a step uses (fewer when the step is small)
     * @throws IllegalArgumentException when the cell is not an LstmCell, or batch or threads is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices would not fit in the heap
     */
    public LstmRtrl(RecurrentNet net, int batch, int threads) {
        super(net, batch);
        if (!(net.cell() instanceof LstmCell)) {
            throw new IllegalArgumentException("LstmRtrl: the fast kernel needs an LstmCell, got " + net.cell().name()
                    + "; use GenericRtrl for other cells");
        }
        if (threads < 1) throw new IllegalArgumentException("LstmRtrl: threads must be positive, got " + threads);
        this.lc = (LstmCell) net.cell();
        this.n = lc.hiddenSize();
        this.m = lc.inputSize();
        this.block = n * n + n * m + n;
        // In double until the guard has refused what does not fit: batch · p overflows an int for large batches.
        double wide = (double) batch * p;
        this.panel = panelWidth(4 * n, n);
        double panels = Math.ceil(wide / panel);
        this.tasks = 4.0 * n * n * wide < 2e5 ? 1 : (int) Math.min(threads, panels);
        requireMemory("rtrl (fast, LSTM)", String.format(Locale.ROOT,
                "%s, batch %d: two influence matrices (h and c) of n × batch·p = %d × %.0f (p = 4(n² + nm + n) = %d)",
                lc.name(), batch, n, wide, p),
                2.0 * n * wide + wide + (double) tasks * 4 * n * panel + 4.0 * n * n + 6.0 * batch * n,
                2.0 * batch * n + packing(tasks + dev.wengert.ops.kernel.Gemm.threads()), (double) n * wide);
        this.cols = batch * p;
        this.hInf = Allocation.doubles("rtrl", "the influence matrix of h", (long) n * cols);
        this.cInf = Allocation.doubles("rtrl", "the influence matrix of c", (long) n * cols);
        this.colGrad = new double[cols];
        this.tmp = new double[tasks][4 * n * panel];
        this.wh = new double[4 * n * n];
        this.k = new StepKernels.LstmCoefficients(batch * n);
    }

    /**
     * The number of threads each step is split over.
     *
     * @return at most the thread count given at construction; 1 for steps too small to split
     */
    public int threads() {
        return tasks;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        double[] hn = new double[batch * n];
        double[] cn = new double[batch * n];
        StepKernels.lstm(lc, state[0].data(), state[1].data(), x.data(), batch, hn, cn, k);
        return new Tensor[] {Tensor.wrap(hn, batch, n), Tensor.wrap(cn, batch, n)};
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        this.hPrev = state[0].data();
        this.xd = x.data();
        this.gh = gh;
        for (int g = 0; g < 4; g++) System.arraycopy(lc.wh(g).data(), 0, wh, g * n * n, n * n);
        Parallel.run(tasks, this::work);
        if (gh != null) {
            for (int b = 0; b < batch; b++) {
                int base = b * p;
                for (int j = 0; j < p; j++) grad[j] += colGrad[base + j];
            }
        }
    }

    private void work(int part) {
        int panels = (cols + panel - 1) / panel;
        int first = (int) ((long) panels * part / tasks);
        int last = (int) ((long) panels * (part + 1) / tasks);
        double[] t = tmp[part];
        for (int q = first; q < last; q++) {
            int c0 = q * panel;
            int c1 = Math.min(cols, c0 + panel);
            int width = c1 - c0;
            // t = W_h · H[:, c0:c1]   (4n × width)
            Gemm.gemm(false, false, 4 * n, width, n, 1.0, wh, 0, n, hInf, c0, cols, 0.0, t, 0, width);
            addImmediate(t, c0, c1, width);
            finish(t, c0, c1, width);
        }
    }

    private void addImmediate(double[] t, int c0, int c1, int width) {
        int nn = n * n;
        int nm = n * m;
        for (int b = c0 / p; b <= (c1 - 1) / p; b++) {
            int base = b * p;
            int lo = Math.max(c0, base) - base;
            int hi = Math.min(c1, base + p) - base;
            for (int g = 0; g < 4; g++) {
                int gb = g * block;
                if (gb >= hi || gb + block <= lo) continue;
                for (int i = 0; i < n; i++) {
                    int rowOff = (g * n + i) * width + base - c0;
                    addRange(t, rowOff, gb + i * n, n, hPrev, b * n, lo, hi);
                    addRange(t, rowOff, gb + nn + i * m, m, xd, b * m, lo, hi);
                    int q = gb + nn + nm + i;
                    if (q >= lo && q < hi) t[rowOff + q] += 1.0;
                }
            }
        }
    }

    private static void addRange(double[] t, int rowOff, int start, int len, double[] src, int srcOff, int lo, int hi) {
        int from = Math.max(start, lo);
        int to = Math.min(start + len, hi);
        int s = srcOff - start;
        for (int q = from; q < to; q++) t[rowOff + q] += src[s + q];
    }

    private void finish(double[] t, int c0, int c1, int width) {
        double[] g = gh;
        for (int col = c0; col < c1; col++) colGrad[col] = 0.0;
        for (int b = c0 / p; b <= (c1 - 1) / p; b++) {
            int s0 = Math.max(c0, b * p);
            int s1 = Math.min(c1, (b + 1) * p);
            for (int i = 0; i < n; i++) {
                int u = b * n + i;
                double af = k.kf[u];
                double acc = k.f[u];
                double ai = k.ki[u];
                double ac = k.kc[u];
                double ao = k.ko[u];
                double ah = k.kh[u];
                double gi = g == null ? 0.0 : g[u];
                int rf = (F * n + i) * width - c0;
                int ri = (I * n + i) * width - c0;
                int ro = (O * n + i) * width - c0;
                int rc = (C * n + i) * width - c0;
                int mOff = i * cols;
                for (int col = s0; col < s1; col++) {
                    double dc = af * t[rf + col] + acc * cInf[mOff + col] + ai * t[ri + col] + ac * t[rc + col];
                    double dh = ao * t[ro + col] + ah * dc;
                    cInf[mOff + col] = dc;
                    hInf[mOff + col] = dh;
                    colGrad[col] += gi * dh;
                }
            }
        }
    }

    @Override
    protected void resetInfluence() {
        java.util.Arrays.fill(hInf, 0.0);
        java.util.Arrays.fill(cInf, 0.0);
    }

    /**
     * A copy of the influence matrix of h, {@code ∂h_t/∂θ}, of one sequence.
     *
     * @param b the sequence, 0 ≤ b &lt; batch
     * @return a new tensor of shape {@code [n, p]} (zeros before the first step)
     * @throws IndexOutOfBoundsException naming the sequence and the batch
     */
    public Tensor hInfluence(int b) {
        Rtrl.checkSequence("LstmRtrl.hInfluence", b, batch);
        return copy(hInf, b);
    }

    /**
     * A copy of the influence matrix of c, {@code ∂c_t/∂θ}, of one sequence.
     *
     * @param b the sequence, 0 ≤ b &lt; batch
     * @return a new tensor of shape {@code [n, p]} (zeros before the first step)
     * @throws IndexOutOfBoundsException naming the sequence and the batch
     */
    public Tensor cInfluence(int b) {
        Rtrl.checkSequence("LstmRtrl.cInfluence", b, batch);
        return copy(cInf, b);
    }

    private Tensor copy(double[] src, int b) {
        double[] out = new double[n * p];
        for (int i = 0; i < n; i++) System.arraycopy(src, i * cols + b * p, out, i * p, p);
        return Tensor.wrap(out, n, p);
    }

    @Override
    public long stateBytes() {
        long b = bytesOf(hInf, cInf, colGrad, wh);
        for (double[] t : tmp) b += bytesOf(t);
        return b;
    }

    /**
     * Columns per panel: a product of {@code rows × width × depth} below {@link Gemm}'s threading threshold
     * (about 128³), so that the learner's own threads share the panels; a multiple of 8.
     */
    static int panelWidth(int rows, int depth) {
        if (PANEL_OVERRIDE > 0) return PANEL_OVERRIDE;
        long w = (128L * 128 * 128 - 1) / ((long) rows * depth);
        return (int) Math.max(64, Math.min(4096, w & ~7L));
    }
}
