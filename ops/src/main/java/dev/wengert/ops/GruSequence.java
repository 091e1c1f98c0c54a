package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.ops.kernel.MathKernels;

/**
 * A whole sequence of the GRU as one primitive:
 * <pre>
 *   z_t = σ(h_{t−1} W_zᵀ + x_t U_zᵀ + b_z),   r_t = σ(h_{t−1} W_rᵀ + x_t U_rᵀ + b_r)
 *   ñ_t = tanh((r_t ⊙ h_{t−1}) W_nᵀ + x_t U_nᵀ + b_n)
 *   h_t = ñ_t + z_t ⊙ (h_{t−1} − ñ_t),   t = 0 … T−1
 * </pre>
 * Inputs, 11 of them: {@code W_z, W_r, W_n} ({@code [n,n]}), {@code U_z, U_r, U_n} ({@code [n,m]}),
 * {@code b_z, b_r, b_n} ({@code [n]}), {@code h0 [B,n]}, {@code X [T,B,m]}; output {@code H [T,B,n]}. The
 * states are the same bits as T steps of separate ops; the input projections of all steps and gates are one
 * product, each step two products (z and r together, then ñ on {@code r ⊙ h}).
 *
 * <p>VJP, for {@code Ḡ_t = ∂L/∂h_t}, back through time from {@code δ = 0}:
 * <pre>
 *   ∂h = Ḡ_t + δ,   ∂a^n = ∂h ⊙ (1 − z) ⊙ (1 − ñ²),   ∂(r⊙h) = ∂a^n W_n
 *   ∂a^z = ∂h ⊙ (h_{t−1} − ñ) ⊙ z(1−z),   ∂a^r = ∂(r⊙h) ⊙ h_{t−1} ⊙ r(1−r)
 *   δ = ∂h ⊙ z + ∂(r⊙h) ⊙ r + ∂a^z W_z + ∂a^r W_r
 *   ∂W_z = Σ ∂a^zᵀ h_{t−1},  ∂W_r = Σ ∂a^rᵀ h_{t−1},  ∂W_n = Σ ∂a^nᵀ (r⊙h_{t−1}),  ∂U_g = Σ ∂a^gᵀ x_t,
 *   ∂b_g = Σ ∂a^g,  ∂x_t = Σ_g ∂a^g_t U_g
 * </pre>
 * the sums as one product each after the loop; with ops when the backward pass is recorded. JVP: the tangent
 * recursion of the same equations.
 */
final class GruSequence extends Primitive {
    static final GruSequence INSTANCE = new GruSequence();

    private static final String NAME = "gruSequence";
    private static final String[] GATES = {"z", "r", "n"};

    private GruSequence() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int arity() {
        return 11;
    }

    @Override
    public int[] shape(Tensor... x) {
        return Sequences.checkGated(NAME, x, GATES, "h0");
    }

    /** What forward keeps: the gates {@code [T·B, 3n]} (z, r, ñ per row) and {@code r ⊙ h_{t−1}} {@code [T·B, n]}. */
    private static final class Activations {
        final double[] gates;
        final double[] resetState;

        Activations(double[] gates, double[] resetState) {
            this.gates = gates;
            this.resetState = resetState;
        }
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] y = Allocation.doubles(NAME, shape);
        saved.put(run(x, y));
        return Tensor.wrap(y, shape);
    }

    private static Activations run(Tensor[] x, double[] y) {
        int steps = x[10].dim(0);
        int batch = x[10].dim(1);
        int m = x[10].dim(2);
        int n = x[0].dim(0);
        int n2 = 2 * n;
        int n3 = 3 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        double[] wzr = Sequences.stacked(x, 0, 2, n, n);
        double[] wn = x[2].data();
        double[] u = Sequences.stacked(x, 3, 3, n, m);
        double[] h0 = x[9].data();
        double[] gates = Allocation.doubles(NAME, new int[] {rows, n3});
        double[] rh = Allocation.doubles(NAME, new int[] {rows, n});
        Gemm.gemm(false, true, rows, n3, m, 1.0, x[10].data(), 0, m, u, 0, m, 0.0, gates, 0, n3);
        double[] recurrent = new double[batch * n2];
        double[] candRecurrent = new double[stepSize];
        for (int t = 0; t < steps; t++) {
            int o = t * stepSize;
            double[] hp = t == 0 ? h0 : y;
            int hpOff = t == 0 ? 0 : o - stepSize;
            Gemm.gemm(false, true, batch, n2, n, 1.0, hp, hpOff, n, wzr, 0, n, 0.0, recurrent, 0, n2);
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n3;
                for (int g = 0; g < 2; g++) {
                    double[] b = x[6 + g].data();
                    for (int i = 0; i < n; i++) {
                        gates[go + g * n + i] = (recurrent[r * n2 + g * n + i] + gates[go + g * n + i]) + b[i];
                    }
                }
                MathKernels.sigmoid(gates, go, gates, go, n2);
                for (int i = 0; i < n; i++) rh[o + r * n + i] = gates[go + n + i] * hp[hpOff + r * n + i];
            }
            Gemm.gemm(false, true, batch, n, n, 1.0, rh, o, n, wn, 0, n, 0.0, candRecurrent, 0, n);
            double[] bn = x[8].data();
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n3 + n2;
                for (int i = 0; i < n; i++) gates[go + i] = (candRecurrent[r * n + i] + gates[go + i]) + bn[i];
                MathKernels.tanh(gates, go, gates, go, n);
                int zo = go - n2;
                for (int i = 0; i < n; i++) {
                    double cand = gates[go + i];
                    y[o + r * n + i] = cand + gates[zo + i] * (hp[hpOff + r * n + i] - cand);
                }
            }
        }
        return new Activations(gates, rh);
    }

    private static Activations activations(Saved saved, Tensor[] x, Tensor y) {
        Activations a = saved == null ? null : saved.get();
        return a != null ? a : run(x, new double[y.size()]);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        if (node.creatingGraph()) return recordedVjp(g, node);
        Tensor[] in = node.inputs();
        Tensor out = node.output();
        Activations act = activations(node, in, out);
        int steps = in[10].dim(0);
        int batch = in[10].dim(1);
        int m = in[10].dim(2);
        int n = in[0].dim(0);
        int n2 = 2 * n;
        int n3 = 3 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        double[] y = out.data();
        double[] gd = g.data();
        double[] h0 = in[9].data();
        double[] wzr = Sequences.stacked(in, 0, 2, n, n);
        double[] wn = in[2].data();
        double[] gates = act.gates;
        double[] da = Allocation.doubles(NAME, new int[] {rows, n3});
        double[] delta = new double[stepSize];
        double[] dRh = new double[stepSize];
        for (int t = steps - 1; t >= 0; t--) {
            int o = t * stepSize;
            double[] hp = t == 0 ? h0 : y;
            int hpOff = t == 0 ? 0 : o - stepSize;
            // ∂h, kept in delta for now; ∂a^n, then ∂(r⊙h) by one product.
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n3;
                for (int i = 0; i < n; i++) {
                    int q = r * n + i;
                    double z = gates[go + i];
                    double cand = gates[go + n2 + i];
                    double dH = gd[o + q] + delta[q];
                    delta[q] = dH;
                    da[go + n2 + i] = dH * (1.0 - z) * (1.0 - cand * cand);
                    da[go + i] = dH * (hp[hpOff + q] - cand) * z * (1.0 - z);
                }
            }
            Gemm.gemm(false, false, batch, n, n, 1.0, da, t * batch * n3 + n2, n3, wn, 0, n, 0.0, dRh, 0, n);
            for (int r = 0; r < batch; r++) {
                int go = (t * batch + r) * n3;
                for (int i = 0; i < n; i++) {
                    int q = r * n + i;
                    double rg = gates[go + n + i];
                    da[go + n + i] = dRh[q] * hp[hpOff + q] * rg * (1.0 - rg);
                    delta[q] = delta[q] * gates[go + i] + dRh[q] * rg;
                }
            }
            Gemm.gemm(false, false, batch, n, n2, 1.0, da, t * batch * n3, n3, wzr, 0, n, 1.0, delta, 0, n);
        }
        Tensor[] grads = new Tensor[11];
        if (node.needsGrad(0) || node.needsGrad(1)) {
            double[] dw = new double[n2 * n];
            Gemm.gemm(true, false, n2, n, rows - batch, 1.0, da, batch * n3, n3, y, 0, n, 0.0, dw, 0, n);
            Gemm.gemm(true, false, n2, n, batch, 1.0, da, 0, n3, h0, 0, n, 1.0, dw, 0, n);
            split(dw, grads, 0, 2, n, n, node);
        }
        if (node.needsGrad(2)) {
            double[] dw = new double[n * n];
            Gemm.gemm(true, false, n, n, rows, 1.0, da, n2, n3, act.resetState, 0, n, 0.0, dw, 0, n);
            grads[2] = Tensor.wrap(dw, n, n);
        }
        if (node.needsGrad(3) || node.needsGrad(4) || node.needsGrad(5)) {
            double[] du = new double[n3 * m];
            Gemm.gemm(true, false, n3, m, rows, 1.0, da, 0, n3, in[10].data(), 0, m, 0.0, du, 0, m);
            split(du, grads, 3, 3, n, m, node);
        }
        if (node.needsGrad(6) || node.needsGrad(7) || node.needsGrad(8)) {
            double[] db = new double[n3];
            for (int r = 0; r < rows; r++) for (int i = 0; i < n3; i++) db[i] += da[r * n3 + i];
            for (int k = 0; k < 3; k++) if (node.needsGrad(6 + k)) grads[6 + k] = Sequences.block(db, k, n, 1, true);
        }
        if (node.needsGrad(9)) grads[9] = Tensor.wrap(delta, batch, n);
        if (node.needsGrad(10)) {
            double[] u = Sequences.stacked(in, 3, 3, n, m);
            double[] dx = Allocation.doubles(NAME, new int[] {steps, batch, m});
            Gemm.gemm(false, false, rows, m, n3, 1.0, da, 0, n3, u, 0, m, 0.0, dx, 0, m);
            grads[10] = Tensor.wrap(dx, steps, batch, m);
        }
        return grads;
    }

    private static void split(double[] stackedGrad, Tensor[] grads, int first, int count, int n, int cols, Node node) {
        for (int g = 0; g < count; g++) {
            if (node.needsGrad(first + g)) grads[first + g] = Sequences.block(stackedGrad, g, n, cols, false);
        }
    }

    /** The VJP written with ops (the gates recomputed from the inputs and the output), differentiable again. */
    private static Tensor[] recordedVjp(Tensor g, Node node) {
        Tensor[] in = node.inputs();
        Tensor y = node.output();
        int steps = in[10].dim(0);
        int batch = in[10].dim(1);
        int m = in[10].dim(2);
        int n = in[0].dim(0);
        Tensor[] dw = new Tensor[3];
        Tensor[] du = new Tensor[3];
        Tensor[] db = new Tensor[3];
        Tensor[] dx = new Tensor[steps];
        Tensor delta = null;
        for (int t = steps - 1; t >= 0; t--) {
            Tensor hp = t == 0 ? in[9] : Sequences.step(y, t - 1, batch, n);
            Tensor x = Sequences.step(in[10], t, batch, m);
            Tensor z = Ops.sigmoid(pre(hp, x, in, 0));
            Tensor r = Ops.sigmoid(pre(hp, x, in, 1));
            Tensor rh = Ops.mul(r, hp);
            Tensor cand = Ops.tanh(pre(rh, x, in, 2));
            Tensor gt = Sequences.step(g, t, batch, n);
            Tensor dH = delta == null ? gt : Ops.add(gt, delta);
            Tensor daN = Ops.mul(Ops.mul(dH, Ops.sub(1.0, z)), Ops.sub(1.0, Ops.mul(cand, cand)));
            Tensor dRh = Ops.matmul(daN, in[2]);
            Tensor daZ = Ops.mul(Ops.mul(dH, Ops.sub(hp, cand)), Ops.mul(z, Ops.sub(1.0, z)));
            Tensor daR = Ops.mul(Ops.mul(dRh, hp), Ops.mul(r, Ops.sub(1.0, r)));
            delta = Ops.add(Ops.add(Ops.mul(dH, z), Ops.mul(dRh, r)),
                    Ops.add(Ops.matmul(daZ, in[0]), Ops.matmul(daR, in[1])));
            Tensor[] da = {daZ, daR, daN};
            Tensor[] rowsOf = {hp, hp, rh};
            Tensor dxt = null;
            for (int k = 0; k < 3; k++) {
                dw[k] = Sequences.plus(dw[k], Ops.matmul(da[k], rowsOf[k], true, false));
                du[k] = Sequences.plus(du[k], Ops.matmul(da[k], x, true, false));
                db[k] = Sequences.plus(db[k], Ops.sum(da[k], 0));
                dxt = Sequences.plus(dxt, Ops.matmul(da[k], in[3 + k]));
            }
            dx[t] = dxt;
        }
        Tensor[] grads = new Tensor[11];
        for (int k = 0; k < 3; k++) {
            if (node.needsGrad(k)) grads[k] = dw[k];
            if (node.needsGrad(3 + k)) grads[3 + k] = du[k];
            if (node.needsGrad(6 + k)) grads[6 + k] = db[k];
        }
        if (node.needsGrad(9)) grads[9] = delta;
        if (node.needsGrad(10)) grads[10] = Ops.stack(0, dx);
        return grads;
    }

    /** Gate k's pre-activation {@code (h W_kᵀ + x U_kᵀ) + b_k}. */
    private static Tensor pre(Tensor h, Tensor x, Tensor[] in, int k) {
        return Ops.add(Ops.add(Ops.matmul(h, in[k], false, true), Ops.matmul(x, in[3 + k], false, true)), in[6 + k]);
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int k = Sequences.directions(t);
        if (k < 0) return null;
        Activations act = activations(saved, x, y);
        int steps = x[10].dim(0);
        int batch = x[10].dim(1);
        int m = x[10].dim(2);
        int n = x[0].dim(0);
        int n2 = 2 * n;
        int n3 = 3 * n;
        int rows = steps * batch;
        int stepSize = batch * n;
        int outSize = rows * n;
        double[] yd = y.data();
        double[] h0 = x[9].data();
        double[] wzr = Sequences.stacked(x, 0, 2, n, n);
        double[] wn = x[2].data();
        double[] u = Sequences.stacked(x, 3, 3, n, m);
        double[] gates = act.gates;
        double[] rh = act.resetState;
        double[] out = Allocation.doubles(NAME, new int[] {k, steps, batch, n});
        double[] pre = Allocation.doubles(NAME, new int[] {rows, n3});
        double[] rhDot = new double[stepSize];
        for (int q = 0; q < k; q++) {
            java.util.Arrays.fill(pre, 0.0);
            // ȧ without the parts that depend on ḣ_{t−1}: ẋ Uᵀ + x U̇ᵀ + ḃ, h_{t−1} Ẇ_{z,r}ᵀ and (r⊙h) Ẇ_nᵀ.
            if (t[10] != null) Gemm.gemm(false, true, rows, n3, m, 1.0, t[10].data(), q * rows * m, m, u, 0, m, 1.0, pre, 0, n3);
            double[] dU = Sequences.tangentStack(t, 3, 3, q, n, m);
            if (dU != null) Gemm.gemm(false, true, rows, n3, m, 1.0, x[10].data(), 0, m, dU, 0, m, 1.0, pre, 0, n3);
            double[] dB = Sequences.tangentStack(t, 6, 3, q, n, 1);
            if (dB != null) for (int r = 0; r < rows; r++) for (int i = 0; i < n3; i++) pre[r * n3 + i] += dB[i];
            double[] dW = Sequences.tangentStack(t, 0, 2, q, n, n);
            if (dW != null) {
                Gemm.gemm(false, true, batch, n2, n, 1.0, h0, 0, n, dW, 0, n, 1.0, pre, 0, n3);
                Gemm.gemm(false, true, rows - batch, n2, n, 1.0, yd, 0, n, dW, 0, n, 1.0, pre, batch * n3, n3);
            }
            if (t[2] != null) Gemm.gemm(false, true, rows, n, n, 1.0, rh, 0, n, t[2].data(), q * n * n, n, 1.0, pre, n2, n3);
            int o = q * outSize;
            for (int s = 0; s < steps; s++) {
                int so = s * stepSize;
                double[] hp = s == 0 ? h0 : yd;
                int hpOff = s == 0 ? 0 : so - stepSize;
                double[] hDot = s == 0 ? (t[9] == null ? null : t[9].data()) : out;
                int hDotOff = s == 0 ? q * stepSize : o + so - stepSize;
                if (hDot != null) Gemm.gemm(false, true, batch, n2, n, 1.0, hDot, hDotOff, n, wzr, 0, n, 1.0, pre, s * batch * n3, n3);
                for (int r = 0; r < batch; r++) {
                    int go = (s * batch + r) * n3;
                    for (int i = 0; i < n; i++) {
                        double rg = gates[go + n + i];
                        double rDot = rg * (1.0 - rg) * pre[go + n + i];
                        double hpDot = hDot == null ? 0.0 : hDot[hDotOff + r * n + i];
                        rhDot[r * n + i] = rDot * hp[hpOff + r * n + i] + rg * hpDot;
                    }
                }
                Gemm.gemm(false, true, batch, n, n, 1.0, rhDot, 0, n, wn, 0, n, 1.0, pre, s * batch * n3 + n2, n3);
                for (int r = 0; r < batch; r++) {
                    int go = (s * batch + r) * n3;
                    for (int i = 0; i < n; i++) {
                        double z = gates[go + i];
                        double cand = gates[go + n2 + i];
                        double zDot = z * (1.0 - z) * pre[go + i];
                        double candDot = (1.0 - cand * cand) * pre[go + n2 + i];
                        double hpDot = hDot == null ? 0.0 : hDot[hDotOff + r * n + i];
                        out[o + so + r * n + i] = candDot + zDot * (hp[hpOff + r * n + i] - cand) + z * (hpDot - candDot);
                    }
                }
            }
        }
        return Tensor.wrap(out, k, steps, batch, n);
    }
}
