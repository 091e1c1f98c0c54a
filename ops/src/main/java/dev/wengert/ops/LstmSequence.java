package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.ops.kernel.MathKernels;

/**
 * A whole sequence of the LSTM as one primitive. For gates g ∈ (f, i, o, c), in that order,
 * <pre>
 *   a^g_t = h_{t−1} W_gᵀ + x_t U_gᵀ + b_g
 *   f_t, i_t, o_t = σ(a^f_t), σ(a^i_t), σ(a^o_t),   c̃_t = tanh(a^c_t)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t,   h_t = o_t ⊙ tanh(c_t),   t = 0 … T−1
 * </pre>
 * Inputs, 15 of them: {@code W_f, W_i, W_o, W_c} ({@code [n,n]}), {@code U_f, U_i, U_o, U_c} ({@code [n,m]}),
 * {@code b_f, b_i, b_o, b_c} ({@code [n]}), {@code h0}, {@code c0} ({@code [B,n]}), {@code X [T,B,m]}. Output
 * {@code [2,T,B,n]}: every h_t (index 0) and every c_t (index 1). The states are the same bits as T steps made
 * of separate ops; it exists for speed: the input projections of all steps and gates are one product, each
 * step one {@code [B,n]×[n,4n]} product for the four gates together.
 *
 * <p>VJP, for cotangents {@code Ḡ_t} of h_t and {@code C̄_t} of c_t, back through time from
 * {@code δh = δc = 0}:
 * <pre>
 *   ∂h = Ḡ_t + δh,   ∂c = C̄_t + δc + ∂h ⊙ o ⊙ (1 − tanh²c_t)
 *   ∂a^o = ∂h ⊙ tanh c_t ⊙ o(1−o),   ∂a^f = ∂c ⊙ c_{t−1} ⊙ f(1−f),   ∂a^i = ∂c ⊙ c̃ ⊙ i(1−i),
 *   ∂a^c = ∂c ⊙ i ⊙ (1 − c̃²),   δc = ∂c ⊙ f,   δh = Σ_g ∂a^g W_g
 *   ∂W_g = Σ_t ∂a^gᵀ_t h_{t−1},   ∂U_g = Σ_t ∂a^gᵀ_t x_t,   ∂b_g = Σ ∂a^g,   ∂x_t = Σ_g ∂a^g_t U_g
 * </pre>
 * (δh, δc after step 0 are ∂L/∂h0, ∂L/∂c0); the three sums are one product each over all T·B rows after
 * the loop. When the backward pass is recorded, the same formulas are written with ops. JVP: the tangent
 * recursion of the same equations.
 */
final class LstmSequence extends Primitive {
    static final LstmSequence INSTANCE = new LstmSequence();

    private static final String NAME = "lstmSequence";
    private static final String[] GATES = {"f", "i", "o", "c"};

    private LstmSequence() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int arity() {
        return 15;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] s = Sequences.checkGated(NAME, x, GATES, "h0", "c0");
        return new int[] {2, s[0], s[1], s[2]};
    }

    /** What forward keeps: the gate activations {@code [T·B, 4n]} (f, i, o, c̃ per row) and tanh c_t. */
    private static final class Activations {
        final double[] gates;
        final double[] tanhC;

        Activations(double[] gates, double[] tanhC) {
            this.gates = gates;
            this.tanhC = tanhC;
        }
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] y = Allocation.doubles(NAME, shape);
        Activations a = run(x, y);
        saved.put(a);
        return Tensor.wrap(y, shape);
    }

    /** The forward recursion into y ({@code [2,T,B,n]}); returns the activations. */
    private static Activations run(Tensor[] x, double[] y) {
        int steps = x[14].dim(0);
        int batch = x[14].dim(1);
        int m = x[14].dim(2);
        int n = x[0].dim(0);
        int n4 = 4 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        int cOff = rows * n;
        double[] w = Sequences.stacked(x, 0, 4, n, n);
        double[] u = Sequences.stacked(x, 4, 4, n, m);
        double[] h0 = x[12].data();
        double[] c0 = x[13].data();
        double[] gates = Allocation.doubles(NAME, new int[] {rows, n4});
        double[] tanhC = Allocation.doubles(NAME, new int[] {rows, n});
        // All steps' input projections at once: the same bits per entry as one product per step.
        Gemm.gemm(false, true, rows, n4, m, 1.0, x[14].data(), 0, m, u, 0, m, 0.0, gates, 0, n4);
        double[] recurrent = new double[batch * n4];
        for (int t = 0; t < steps; t++) {
            int o = t * stepSize;
            if (t == 0) Gemm.gemm(false, true, batch, n4, n, 1.0, h0, 0, n, w, 0, n, 0.0, recurrent, 0, n4);
            else Gemm.gemm(false, true, batch, n4, n, 1.0, y, o - stepSize, n, w, 0, n, 0.0, recurrent, 0, n4);
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n4;
                int ro = r * n4;
                // (h Wᵀ + x Uᵀ) + b, in the order of the step-by-step graph.
                for (int g = 0; g < 4; g++) {
                    double[] b = x[8 + g].data();
                    int gg = g * n;
                    for (int i = 0; i < n; i++) gates[go + gg + i] = (recurrent[ro + gg + i] + gates[go + gg + i]) + b[i];
                }
                MathKernels.sigmoid(gates, go, gates, go, 3 * n);
                MathKernels.tanh(gates, go + 3 * n, gates, go + 3 * n, n);
                int so = o + r * n;
                for (int i = 0; i < n; i++) {
                    double cPrev = t == 0 ? c0[r * n + i] : y[cOff + so - stepSize + i];
                    y[cOff + so + i] = gates[go + i] * cPrev + gates[go + n + i] * gates[go + 3 * n + i];
                }
            }
            MathKernels.tanh(y, cOff + o, tanhC, o, stepSize);
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n4 + 2 * n;
                int so = o + r * n;
                for (int i = 0; i < n; i++) y[so + i] = gates[go + i] * tanhC[so + i];
            }
        }
        return new Activations(gates, tanhC);
    }

    private static Activations activations(Saved saved, Tensor[] x, Tensor y) {
        Activations a = saved == null ? null : saved.get();
        if (a != null) return a;
        return run(x, new double[y.size()]);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        if (node.creatingGraph()) return recordedVjp(g, node);
        Tensor[] in = node.inputs();
        Tensor out = node.output();
        Activations act = activations(node, in, out);
        int steps = in[14].dim(0);
        int batch = in[14].dim(1);
        int m = in[14].dim(2);
        int n = in[0].dim(0);
        int n4 = 4 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        int cOff = rows * n;
        double[] y = out.data();
        double[] gd = g.data();
        double[] c0 = in[13].data();
        double[] w = Sequences.stacked(in, 0, 4, n, n);
        double[] gates = act.gates;
        double[] tanhC = act.tanhC;
        double[] da = Allocation.doubles(NAME, new int[] {rows, n4});
        double[] dh = new double[stepSize];
        double[] dc = new double[stepSize];
        for (int t = steps - 1; t >= 0; t--) {
            int o = t * stepSize;
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n4;
                int so = o + r * n;
                for (int i = 0; i < n; i++) {
                    int q = r * n + i;
                    double f = gates[go + i];
                    double ig = gates[go + n + i];
                    double og = gates[go + 2 * n + i];
                    double cand = gates[go + 3 * n + i];
                    double tc = tanhC[so + i];
                    double cPrev = t == 0 ? c0[q] : y[cOff + so - stepSize + i];
                    double dH = gd[so + i] + dh[q];
                    double dC = gd[cOff + so + i] + dc[q] + dH * og * (1.0 - tc * tc);
                    da[go + i] = dC * cPrev * f * (1.0 - f);
                    da[go + n + i] = dC * cand * ig * (1.0 - ig);
                    da[go + 2 * n + i] = dH * tc * og * (1.0 - og);
                    da[go + 3 * n + i] = dC * ig * (1.0 - cand * cand);
                    dc[q] = dC * f;
                }
            }
            Gemm.gemm(false, false, batch, n, n4, 1.0, da, t * batch * n4, n4, w, 0, n, 0.0, dh, 0, n);
        }
        Tensor[] grads = new Tensor[15];
        boolean anyW = false;
        boolean anyU = false;
        boolean anyB = false;
        for (int k = 0; k < 4; k++) {
            anyW |= node.needsGrad(k);
            anyU |= node.needsGrad(4 + k);
            anyB |= node.needsGrad(8 + k);
        }
        if (anyW) {
            double[] dw = new double[n4 * n];
            Gemm.gemm(true, false, n4, n, rows - batch, 1.0, da, batch * n4, n4, y, 0, n, 0.0, dw, 0, n);
            Gemm.gemm(true, false, n4, n, batch, 1.0, da, 0, n4, in[12].data(), 0, n, 1.0, dw, 0, n);
            split(dw, grads, 0, n, n, node);
        }
        if (anyU) {
            double[] du = new double[n4 * m];
            Gemm.gemm(true, false, n4, m, rows, 1.0, da, 0, n4, in[14].data(), 0, m, 0.0, du, 0, m);
            split(du, grads, 4, n, m, node);
        }
        if (anyB) {
            double[] db = new double[n4];
            for (int r = 0; r < rows; r++) {
                int o = r * n4;
                for (int i = 0; i < n4; i++) db[i] += da[o + i];
            }
            split(db, grads, 8, n, 1, node);
        }
        if (node.needsGrad(12)) grads[12] = Tensor.wrap(dh, batch, n);
        if (node.needsGrad(13)) grads[13] = Tensor.wrap(dc, batch, n);
        if (node.needsGrad(14)) {
            double[] u = Sequences.stacked(in, 4, 4, n, m);
            double[] dx = Allocation.doubles(NAME, new int[] {steps, batch, m});
            Gemm.gemm(false, false, rows, m, n4, 1.0, da, 0, n4, u, 0, m, 0.0, dx, 0, m);
            grads[14] = Tensor.wrap(dx, steps, batch, m);
        }
        return grads;
    }

    /** The gates' blocks of a stacked {@code [4n, cols]} gradient, into inputs {@code first..first+3}. */
    private static void split(double[] stackedGrad, Tensor[] grads, int first, int n, int cols, Node node) {
        for (int g = 0; g < 4; g++) {
            if (node.needsGrad(first + g)) grads[first + g] = Sequences.block(stackedGrad, g, n, cols, first == 8);
        }
    }

    /** The VJP written with ops (the gates recomputed from the inputs and the output), differentiable again. */
    private static Tensor[] recordedVjp(Tensor g, Node node) {
        Tensor[] in = node.inputs();
        Tensor y = node.output();
        int steps = in[14].dim(0);
        int batch = in[14].dim(1);
        int m = in[14].dim(2);
        int n = in[0].dim(0);
        Tensor[] dw = new Tensor[4];
        Tensor[] du = new Tensor[4];
        Tensor[] db = new Tensor[4];
        Tensor[] dx = new Tensor[steps];
        Tensor dh = null;
        Tensor dc = null;
        for (int t = steps - 1; t >= 0; t--) {
            Tensor hPrev = t == 0 ? in[12] : at(y, 0, t - 1, batch, n);
            Tensor cPrev = t == 0 ? in[13] : at(y, 1, t - 1, batch, n);
            Tensor x = Ops.reshape(Ops.slice(in[14], 0, t, t + 1), batch, m);
            Tensor[] a = new Tensor[4];
            for (int k = 0; k < 4; k++) {
                Tensor pre = Ops.add(Ops.add(Ops.matmul(hPrev, in[k], false, true), Ops.matmul(x, in[4 + k], false, true)),
                        in[8 + k]);
                a[k] = k == 3 ? Ops.tanh(pre) : Ops.sigmoid(pre);
            }
            Tensor tc = Ops.tanh(at(y, 1, t, batch, n));
            Tensor gh = at(g, 0, t, batch, n);
            Tensor gc = at(g, 1, t, batch, n);
            Tensor dH = dh == null ? gh : Ops.add(gh, dh);
            Tensor dC = Ops.add(dc == null ? gc : Ops.add(gc, dc), Ops.mul(Ops.mul(dH, a[2]), Ops.sub(1.0, Ops.mul(tc, tc))));
            Tensor[] da = {
                Ops.mul(Ops.mul(dC, cPrev), Ops.mul(a[0], Ops.sub(1.0, a[0]))),
                Ops.mul(Ops.mul(dC, a[3]), Ops.mul(a[1], Ops.sub(1.0, a[1]))),
                Ops.mul(Ops.mul(dH, tc), Ops.mul(a[2], Ops.sub(1.0, a[2]))),
                Ops.mul(Ops.mul(dC, a[1]), Ops.sub(1.0, Ops.mul(a[3], a[3])))};
            dc = Ops.mul(dC, a[0]);
            dh = null;
            Tensor dxt = null;
            for (int k = 0; k < 4; k++) {
                dh = Sequences.plus(dh, Ops.matmul(da[k], in[k]));
                dxt = Sequences.plus(dxt, Ops.matmul(da[k], in[4 + k]));
                dw[k] = Sequences.plus(dw[k], Ops.matmul(da[k], hPrev, true, false));
                du[k] = Sequences.plus(du[k], Ops.matmul(da[k], x, true, false));
                db[k] = Sequences.plus(db[k], Ops.sum(da[k], 0));
            }
            dx[t] = dxt;
        }
        Tensor[] grads = new Tensor[15];
        for (int k = 0; k < 4; k++) {
            if (node.needsGrad(k)) grads[k] = dw[k];
            if (node.needsGrad(4 + k)) grads[4 + k] = du[k];
            if (node.needsGrad(8 + k)) grads[8 + k] = db[k];
        }
        if (node.needsGrad(12)) grads[12] = dh;
        if (node.needsGrad(13)) grads[13] = dc;
        if (node.needsGrad(14)) grads[14] = Ops.stack(0, dx);
        return grads;
    }

    /** Step t of part p (0 = h, 1 = c) of a {@code [2,T,B,n]} tensor, as {@code [B,n]}. */
    private static Tensor at(Tensor y, int part, int t, int batch, int n) {
        return Ops.reshape(Ops.slice(Ops.reshape(Ops.slice(y, 0, part, part + 1), y.dim(1), batch, n), 0, t, t + 1),
                batch, n);
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int k = Sequences.directions(t);
        if (k < 0) return null;
        Activations act = activations(saved, x, y);
        int steps = x[14].dim(0);
        int batch = x[14].dim(1);
        int m = x[14].dim(2);
        int n = x[0].dim(0);
        int n4 = 4 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        int outSize = 2 * rows * n;
        int cOff = rows * n;
        double[] yd = y.data();
        double[] w = Sequences.stacked(x, 0, 4, n, n);
        double[] u = Sequences.stacked(x, 4, 4, n, m);
        double[] gates = act.gates;
        double[] tanhC = act.tanhC;
        double[] out = Allocation.doubles(NAME, new int[] {k, 2, steps, batch, n});
        double[] pre = Allocation.doubles(NAME, new int[] {rows, n4});
        for (int q = 0; q < k; q++) {
            java.util.Arrays.fill(pre, 0.0);
            // ȧ without the ḣ_{t−1} part, all steps at once: ẋ Uᵀ + x U̇ᵀ + ḃ + h_{t−1} Ẇᵀ.
            if (t[14] != null) Gemm.gemm(false, true, rows, n4, m, 1.0, t[14].data(), q * rows * m, m, u, 0, m, 1.0, pre, 0, n4);
            double[] du = Sequences.tangentStack(t, 4, 4, q, n, m);
            if (du != null) Gemm.gemm(false, true, rows, n4, m, 1.0, x[14].data(), 0, m, du, 0, m, 1.0, pre, 0, n4);
            double[] dbias = Sequences.tangentStack(t, 8, 4, q, n, 1);
            if (dbias != null) {
                for (int r = 0; r < rows; r++) for (int i = 0; i < n4; i++) pre[r * n4 + i] += dbias[i];
            }
            double[] dw = Sequences.tangentStack(t, 0, 4, q, n, n);
            if (dw != null) {
                Gemm.gemm(false, true, batch, n4, n, 1.0, x[12].data(), 0, n, dw, 0, n, 1.0, pre, 0, n4);
                Gemm.gemm(false, true, rows - batch, n4, n, 1.0, yd, 0, n, dw, 0, n, 1.0, pre, batch * n4, n4);
            }
            int o = q * outSize;
            for (int s = 0; s < steps; s++) {
                int so = s * stepSize;
                if (s == 0) {
                    if (t[12] != null) Gemm.gemm(false, true, batch, n4, n, 1.0, t[12].data(), q * stepSize, n, w, 0, n, 1.0,
                            pre, 0, n4);
                } else {
                    Gemm.gemm(false, true, batch, n4, n, 1.0, out, o + so - stepSize, n, w, 0, n, 1.0, pre, s * batch * n4, n4);
                }
                for (int r = 0; r < batch; r++) {
                    int go = (s * batch + r) * n4;
                    for (int i = 0; i < n; i++) {
                        int p = so + r * n + i;
                        double f = gates[go + i];
                        double ig = gates[go + n + i];
                        double og = gates[go + 2 * n + i];
                        double cand = gates[go + 3 * n + i];
                        double tc = tanhC[p];
                        double cPrev = s == 0 ? x[13].data()[r * n + i] : yd[cOff + p - stepSize];
                        double cDotPrev = s == 0 ? (t[13] == null ? 0.0 : t[13].data()[q * stepSize + r * n + i])
                                : out[o + cOff + p - stepSize];
                        double fDot = f * (1.0 - f) * pre[go + i];
                        double iDot = ig * (1.0 - ig) * pre[go + n + i];
                        double oDot = og * (1.0 - og) * pre[go + 2 * n + i];
                        double candDot = (1.0 - cand * cand) * pre[go + 3 * n + i];
                        double cDot = fDot * cPrev + f * cDotPrev + iDot * cand + ig * candDot;
                        out[o + cOff + p] = cDot;
                        out[o + p] = oDot * tc + og * (1.0 - tc * tc) * cDot;
                    }
                }
            }
        }
        return Tensor.wrap(out, k, 2, steps, batch, n);
    }
}
