package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.ops.kernel.MathKernels;

/**
 * A whole sequence of the vanilla tanh RNN as one primitive:
 * <pre>
 *   h_t = tanh(a_t),   a_t = h_{t−1} Wᵀ + x_t Uᵀ + b,   t = 0 … T−1,
 * </pre>
 * with inputs {@code W [n,n]}, {@code U [n,m]}, {@code b [n]}, {@code h_{−1} = h0 [B,n]}, {@code X [T,B,m]}
 * (the inputs of all steps, stacked) and output {@code H [T,B,n]} (every state). It equals T applications of
 * the step {@code tanh(h Wᵀ + x Uᵀ + b)} made of separate ops, to rounding, and exists for speed: the input
 * projection of all steps is one product {@code X Uᵀ} before the loop, and the loop does one
 * {@code [B,n]×[n,n]} product per step.
 *
 * <p>VJP, for {@code G = ∂L/∂H}: back through time with {@code δ_T = 0},
 * <pre>
 *   ∂a_t = (G_t + δ_{t+1}) ⊙ (1 − h_t²),   δ_t = ∂a_t W          (δ_0 = ∂L/∂h0)
 *   ∂W = Σ_t ∂a_tᵀ h_{t−1},   ∂U = Σ_t ∂a_tᵀ x_t,   ∂b = Σ_t Σ_rows ∂a_t,   ∂x_t = ∂a_t U
 * </pre>
 * where only the {@code δ} recursion is sequential: the three sums are each one product over all T·B rows
 * after the loop. When the backward pass is recorded (gradients of gradients) the same formulas are
 * written with ops instead. JVP, per tangent direction:
 * {@code ḣ_t = (1 − h_t²) ⊙ (ḣ_{t−1} Wᵀ + h_{t−1} Ẇᵀ + ẋ_t Uᵀ + x_t U̇ᵀ + ḃ)}.
 */
final class TanhRnnSequence extends Primitive {
    static final TanhRnnSequence INSTANCE = new TanhRnnSequence();

    private static final String NAME = "tanhRnnSequence";

    private TanhRnnSequence() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int arity() {
        return 5;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = Sequences.checkInputs(NAME, x[4]);
        int n = Sequences.checkSquare(NAME, "W", x[0]);
        int batch = xs[1];
        String from = "n from W, B and m from X";
        Sequences.check(NAME, x[1], "U", from, n, xs[2]);
        Sequences.check(NAME, x[2], "b", from, n);
        Sequences.check(NAME, x[3], "h0", from, batch, n);
        return new int[] {xs[0], batch, n};
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int steps = shape[0];
        int batch = shape[1];
        int n = shape[2];
        int m = x[4].dim(2);
        double[] w = x[0].data();
        double[] u = x[1].data();
        double[] b = x[2].data();
        double[] h0 = x[3].data();
        double[] xs = x[4].data();
        double[] h = Allocation.doubles(NAME, shape);
        int rows = steps * batch;
        int stepSize = batch * n;
        // All input projections at once (the same bits as one product per step: each entry is one dot
        // product, in order), then per step a_t = (h_{t−1} Wᵀ + x_t Uᵀ) + b, summed in the order of the
        // step-by-step graph, so the states are the same bits as T steps of matmul, add and tanh.
        Gemm.gemm(false, true, rows, n, m, 1.0, xs, 0, m, u, 0, m, 0.0, h, 0, n);
        double[] recurrent = new double[stepSize];
        for (int t = 0; t < steps; t++) {
            int o = t * stepSize;
            if (t == 0) Gemm.gemm(false, true, batch, n, n, 1.0, h0, 0, n, w, 0, n, 0.0, recurrent, 0, n);
            else Gemm.gemm(false, true, batch, n, n, 1.0, h, o - stepSize, n, w, 0, n, 0.0, recurrent, 0, n);
            for (int r = 0; r < batch; r++) {
                int ro = r * n;
                for (int i = 0; i < n; i++) h[o + ro + i] = (recurrent[ro + i] + h[o + ro + i]) + b[i];
            }
            MathKernels.tanh(h, o, h, o, stepSize);
        }
        return Tensor.wrap(h, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        if (node.creatingGraph()) return recordedVjp(g, node);
        Tensor[] in = node.inputs();
        int steps = in[4].dim(0);
        int batch = in[4].dim(1);
        int m = in[4].dim(2);
        int n = in[0].dim(0);
        int rows = steps * batch;
        int stepSize = batch * n;
        double[] w = in[0].data();
        double[] u = in[1].data();
        double[] h0 = in[3].data();
        double[] xs = in[4].data();
        double[] h = node.output().data();
        double[] gd = g.data();
        double[] da = Allocation.doubles(NAME, new int[] {steps, batch, n});
        double[] delta = new double[stepSize];
        for (int t = steps - 1; t >= 0; t--) {
            int o = t * stepSize;
            for (int i = 0; i < stepSize; i++) {
                double y = h[o + i];
                da[o + i] = (gd[o + i] + delta[i]) * (1.0 - y * y);
            }
            Gemm.gemm(false, false, batch, n, n, 1.0, da, o, n, w, 0, n, 0.0, delta, 0, n);
        }
        Tensor gw = null;
        Tensor gu = null;
        Tensor gb = null;
        Tensor gh0 = null;
        Tensor gx = null;
        if (node.needsGrad(0)) {
            double[] dw = new double[n * n];
            // Σ_{t≥1} ∂a_tᵀ h_{t−1} is one product over the rows of steps 1..T−1, then step 0 reads h0.
            Gemm.gemm(true, false, n, n, rows - batch, 1.0, da, stepSize, n, h, 0, n, 0.0, dw, 0, n);
            Gemm.gemm(true, false, n, n, batch, 1.0, da, 0, n, h0, 0, n, 1.0, dw, 0, n);
            gw = Tensor.wrap(dw, n, n);
        }
        if (node.needsGrad(1)) {
            double[] du = new double[n * m];
            Gemm.gemm(true, false, n, m, rows, 1.0, da, 0, n, xs, 0, m, 0.0, du, 0, m);
            gu = Tensor.wrap(du, n, m);
        }
        if (node.needsGrad(2)) {
            double[] db = new double[n];
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                for (int i = 0; i < n; i++) db[i] += da[o + i];
            }
            gb = Tensor.wrap(db, n);
        }
        if (node.needsGrad(3)) gh0 = Tensor.wrap(delta, batch, n);
        if (node.needsGrad(4)) {
            double[] dx = Allocation.doubles(NAME, new int[] {steps, batch, m});
            Gemm.gemm(false, false, rows, m, n, 1.0, da, 0, n, u, 0, m, 0.0, dx, 0, m);
            gx = Tensor.wrap(dx, steps, batch, m);
        }
        return new Tensor[] {gw, gu, gb, gh0, gx};
    }

    /** The VJP above written with ops, so that it is itself differentiable. */
    private static Tensor[] recordedVjp(Tensor g, Node node) {
        Tensor w = node.input(0);
        Tensor u = node.input(1);
        Tensor h0 = node.input(3);
        Tensor xs = node.input(4);
        Tensor h = node.output();
        int steps = xs.dim(0);
        int batch = xs.dim(1);
        int m = xs.dim(2);
        int n = w.dim(0);
        Tensor[] da = new Tensor[steps];
        Tensor delta = null;
        for (int t = steps - 1; t >= 0; t--) {
            Tensor gt = Sequences.step(g, t, batch, n);
            Tensor ht = Sequences.step(h, t, batch, n);
            Tensor total = delta == null ? gt : Ops.add(gt, delta);
            da[t] = Ops.mul(total, Ops.sub(1.0, Ops.mul(ht, ht)));
            delta = Ops.matmul(da[t], w);
        }
        Tensor all = Ops.reshape(Ops.stack(0, da), steps * batch, n);
        Tensor previous = Ops.concat(0, h0, Ops.reshape(Ops.slice(h, 0, 0, steps - 1), (steps - 1) * batch, n));
        return new Tensor[] {
            node.needsGrad(0) ? Ops.matmul(all, previous, true, false) : null,
            node.needsGrad(1) ? Ops.matmul(all, Ops.reshape(xs, steps * batch, m), true, false) : null,
            node.needsGrad(2) ? Ops.sum(all, 0) : null,
            node.needsGrad(3) ? delta : null,
            node.needsGrad(4) ? Ops.reshape(Ops.matmul(all, u), steps, batch, m) : null};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int k = Sequences.directions(t);
        if (k < 0) return null;
        int steps = x[4].dim(0);
        int batch = x[4].dim(1);
        int m = x[4].dim(2);
        int n = x[0].dim(0);
        int rows = steps * batch;
        int stepSize = batch * n;
        int outSize = rows * n;
        double[] w = x[0].data();
        double[] u = x[1].data();
        double[] h0 = x[3].data();
        double[] xs = x[4].data();
        double[] h = y.data();
        double[] out = Allocation.doubles(NAME, new int[] {k, steps, batch, n});
        for (int q = 0; q < k; q++) {
            int o = q * outSize;
            // The parts that do not depend on ḣ: ẋ_t Uᵀ + x_t U̇ᵀ + ḃ + h_{t−1} Ẇᵀ, for all steps at once.
            if (t[4] != null) Gemm.gemm(false, true, rows, n, m, 1.0, t[4].data(), q * rows * m, m, u, 0, m, 1.0, out, o, n);
            if (t[1] != null) Gemm.gemm(false, true, rows, n, m, 1.0, xs, 0, m, t[1].data(), q * n * m, m, 1.0, out, o, n);
            if (t[2] != null) {
                double[] tb = t[2].data();
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < n; i++) out[o + r * n + i] += tb[q * n + i];
                }
            }
            if (t[0] != null) {
                double[] tw = t[0].data();
                Gemm.gemm(false, true, batch, n, n, 1.0, h0, 0, n, tw, q * n * n, n, 1.0, out, o, n);
                Gemm.gemm(false, true, rows - batch, n, n, 1.0, h, 0, n, tw, q * n * n, n, 1.0, out, o + stepSize, n);
            }
            for (int s = 0; s < steps; s++) {
                int os = o + s * stepSize;
                if (s == 0) {
                    if (t[3] != null) Gemm.gemm(false, true, batch, n, n, 1.0, t[3].data(), q * stepSize, n, w, 0, n, 1.0,
                            out, os, n);
                } else {
                    Gemm.gemm(false, true, batch, n, n, 1.0, out, os - stepSize, n, w, 0, n, 1.0, out, os, n);
                }
                int hs = s * stepSize;
                for (int i = 0; i < stepSize; i++) {
                    double v = h[hs + i];
                    out[os + i] *= 1.0 - v * v;
                }
            }
        }
        return Tensor.wrap(out, k, steps, batch, n);
    }
}
