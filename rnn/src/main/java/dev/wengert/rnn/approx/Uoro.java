package dev.wengert.rnn.approx;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.internal.Sequences;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Unbiased Online Recurrent Optimization (Tallec and Ollivier, 2018): the influence matrix is replaced by
 * a rank-one estimate {@code M_t ≈ s̃_t θ̃_tᵀ} ({@code s̃} of the state's size, {@code θ̃} of the parameters'),
 * updated with fresh random signs ν (each ±1 with probability ½) every step:
 * <pre>
 *   s̃_t = ρ₀ (∂s_t/∂s_{t−1}) s̃_{t−1} + ρ₁ ν
 *   θ̃_t = θ̃_{t−1} / ρ₀ + (νᵀ ∂s_t/∂θ_t) / ρ₁
 *   ρ₀ = √(‖θ̃_{t−1}‖ / ‖(∂s_t/∂s_{t−1}) s̃_{t−1}‖),   ρ₁ = √(‖νᵀ ∂s_t/∂θ_t‖ / ‖ν‖)   (+ε against 0/0)
 *   ∂ℓ_t/∂θ ≈ ((∂ℓ_t/∂s_t) s̃_t) θ̃_t
 * </pre>
 * Since {@code E[ννᵀ] = I} and ν is independent of the past, {@code E[s̃_t θ̃_tᵀ] = M_t}: the estimate is
 * unbiased, with a variance that the ρ's balance. The two products are computed generically, for any
 * cell made of ops: {@code (∂s_t/∂s_{t−1}) s̃} by one forward-mode JVP, {@code νᵀ ∂s_t/∂θ} by one reverse
 * pass through the step. Cost: about three step evaluations; memory O(p + state). With a batch, the
 * states of all sequences form one state vector with one shared rank-one estimate (still unbiased).
 */
public final class Uoro extends ForwardLearner {
    static final double EPS = 1e-7;

    private final Random rng;
    private Tensor[] sTilde; // per state part [batch, size]; null = zero
    private final double[] thetaTilde;
    private Tensor[] pendingJvp;

    /**
     * UORO for any cell, with the random signs drawn from {@code seed}.
     *
     * @param net   the network
     * @param batch the number of sequences, ≥ 1
     * @param seed  the seed of the random signs ν
     */
    public Uoro(RecurrentNet net, int batch, long seed) {
        super(net, batch);
        double values = stepOutputsPerSequence(cell);
        // A step: one forward-mode JVP and one recorded step with its reverse pass, each a few times the values
        // the step computes; the parameter cotangents, their flattened copy, the random signs.
        requireMemory("uoro", String.format(Locale.ROOT, "%s with p = %d, batch %d", net.cell().name(), p, batch),
                p + 2.0 * batch * cell.stateSize(), 6.0 * batch * values + 2.0 * p + 2.0 * batch * cell.stateSize()
                        + packing(dev.wengert.ops.kernel.Gemm.threads() + 1), p);
        this.rng = new Random(seed);
        this.thetaTilde = new double[p];
        this.sTilde = new Tensor[cell.stateParts()];
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        Tensor[] cp = cellParams();
        ForwardMode.Result r = ForwardMode.jvp(in -> cell.step(cp, in, x), state, sTilde);
        Tensor[] next = new Tensor[state.length];
        pendingJvp = new Tensor[state.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = r.value(i);
            pendingJvp[i] = r.tangent(i);
        }
        return next;
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        Tensor[] cp = cellParams();
        int r = state.length;
        Tensor[] nu = new Tensor[r];
        double nuNorm2 = 0;
        for (int i = 0; i < r; i++) {
            double[] v = new double[state[i].size()];
            for (int j = 0; j < v.length; j++) v[j] = rng.nextBoolean() ? 1.0 : -1.0;
            nuNorm2 += v.length;
            nu[i] = Tensor.wrap(v, state[i].shape());
        }
        // νᵀ ∂s_t/∂θ_t: reverse mode through one step, the previous state held constant.
        Tensor[] dtheta;
        try (Tape tape = Tape.open()) {
            Tensor[] s = cell.step(cp, Sequences.detach(state), x);
            dtheta = tape.gradient(s, nu, cp);
        }
        double[] dt = SequenceGradient.flatten(Arrays.asList(dtheta));
        double fsNorm = 0;
        for (Tensor t : pendingJvp) for (double v : t.data()) fsNorm += v * v;
        fsNorm = Math.sqrt(fsNorm);
        double thNorm = norm(thetaTilde);
        double rho0 = Math.sqrt(thNorm / (fsNorm + EPS)) + EPS;
        double rho1 = Math.sqrt(norm(dt) / (Math.sqrt(nuNorm2) + EPS)) + EPS;
        Tensor[] s = new Tensor[r];
        for (int i = 0; i < r; i++) {
            double[] fs = pendingJvp[i].data();
            double[] nv = nu[i].data();
            double[] out = new double[fs.length];
            for (int j = 0; j < out.length; j++) out[j] = rho0 * fs[j] + rho1 * nv[j];
            s[i] = Tensor.wrap(out, state[i].shape());
        }
        sTilde = s;
        for (int j = 0; j < p; j++) thetaTilde[j] = thetaTilde[j] / rho0 + dt[j] / rho1;
        pendingJvp = null;
        if (gh == null) return;
        double[] so = sTilde[cell.outputPart()].data();
        double c = 0;
        for (int j = 0; j < so.length; j++) c += gh[j] * so[j];
        for (int j = 0; j < p; j++) grad[j] += c * thetaTilde[j];
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) s += a * a;
        return Math.sqrt(s);
    }

    @Override
    protected void resetInfluence() {
        sTilde = new Tensor[cell.stateParts()];
        Arrays.fill(thetaTilde, 0.0);
    }

    @Override
    public long stateBytes() {
        return bytesOf(sTilde) + bytesOf(thetaTilde) + bytesOf(pendingJvp);
    }
}
