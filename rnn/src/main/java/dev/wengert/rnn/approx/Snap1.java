package dev.wengert.rnn.approx;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.internal.StepKernels;
import java.util.Locale;

/**
 * SnAp-1 (Menick et al., 2021, "Practical real time recurrent learning with a sparse approximation"):
 * RTRL that keeps only the entries of the influence matrix that one step can make non-zero, i.e. the
 * sparsity pattern of the immediate Jacobian {@code ∂s_t/∂θ_t}, and drops the rest after every step:
 * <pre>  M̃_t = P ⊙ ((∂s_t/∂s_{t−1}) M̃_{t−1} + ∂s_t/∂θ_t)</pre>
 * For both cells a parameter of unit i touches only unit i's state, so the pattern keeps, for every
 * parameter of unit i, its effect on unit i alone: memory and time O(p) per step instead of O(n p).
 *
 * <ul>
 *   <li>Vanilla RNN: {@code m_t[i, ·] = (1 − h_{t,i}²) (W_ii m_{t−1}[i, ·] + (h_{t−1}, x_t, 1))} for unit i's
 *       row of W, U and b: the diagonal of W is all of {@code ∂h_t/∂h_{t−1}} that survives.</li>
 *   <li>LSTM: the state of unit i is {@code (c_i, h_i)}, so for every parameter of unit i (its rows of
 *       all four gates) SnAp-1 keeps {@code (∂c_i/∂θ, ∂h_i/∂θ)}, propagated by the 2×2 diagonal block of
 *       {@code ∂(c_t, h_t)/∂(c_{t−1}, h_{t−1})} of that unit (the {@code W^{g,h}_{ii}} entries and the
 *       gate derivatives).</li>
 * </ul>
 * When the recurrent matrices are diagonal no entry outside the pattern ever becomes non-zero, and
 * SnAp-1 is exact RTRL. Otherwise the gradient is biased; {@link ApproximationQuality} measures how far
 * it is from the exact one.
 */
public final class Snap1 extends ForwardLearner {
    private final RnnCell rnn;
    private final LstmCell lstm;
    private final int n;
    private final int m;
    private final int k; // n + m + 1 parameters per unit and gate
    private final int block; // n² + nm + n: one gate's parameters
    private final double[] sh; // ∂h_i/∂θ for θ of unit i: [batch][n][gates·k]
    private final double[] sc; // ∂c_i/∂θ (LSTM only)
    private final double[] d;
    private final StepKernels.LstmCoefficients coef;

    /**
     * SnAp-1 for a network whose cell is an {@link RnnCell} or an {@link LstmCell}.
     *
     * @param net   the network; its cell must be an {@link RnnCell} or an {@link LstmCell}
     * @param batch the number of sequences, ≥ 1
     */
    public Snap1(RecurrentNet net, int batch) {
        super(net, batch);
        Cell c = net.cell();
        if (!(c instanceof RnnCell) && !(c instanceof LstmCell)) {
            throw new IllegalArgumentException("Snap1: implemented for RnnCell and LstmCell, got " + c.name());
        }
        rnn = c instanceof RnnCell ? (RnnCell) c : null;
        lstm = c instanceof LstmCell ? (LstmCell) c : null;
        n = c.hiddenSize();
        m = c.inputSize();
        k = n + m + 1;
        block = n * k;
        int gates = lstm == null ? 1 : 4;
        double size = (double) batch * n * gates * k;
        requireMemory("snap-1", String.format(Locale.ROOT, "%s, batch %d: %.0f sensitivities per sequence",
                c.name(), batch, (double) n * gates * k), size * (lstm == null ? 1 : 2) + 7.0 * batch * n,
                2.0 * batch * n, size);
        sh = new double[(int) size];
        sc = lstm == null ? null : new double[(int) size];
        d = new double[batch * n];
        coef = lstm == null ? null : new StepKernels.LstmCoefficients(batch * n);
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        double[] hn = new double[batch * n];
        if (rnn != null) {
            StepKernels.rnn(rnn, state[0].data(), x.data(), batch, hn, d);
            return new Tensor[] {Tensor.wrap(hn, batch, n)};
        }
        double[] cn = new double[batch * n];
        StepKernels.lstm(lstm, state[0].data(), state[1].data(), x.data(), batch, hn, cn, coef);
        return new Tensor[] {Tensor.wrap(hn, batch, n), Tensor.wrap(cn, batch, n)};
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        if (rnn != null) propagateRnn(state[0].data(), x.data(), gh, grad);
        else propagateLstm(state[0].data(), x.data(), gh, grad);
    }

    /** The input of unit parameters number q: (h_{t−1}, x_t, 1). */
    private double z(double[] h, double[] x, int b, int q) {
        if (q < n) return h[b * n + q];
        if (q < n + m) return x[b * m + q - n];
        return 1.0;
    }

    /** The flat index of unit i's q-th parameter within a gate block. */
    private int param(int i, int q) {
        if (q < n) return i * n + q;
        if (q < n + m) return n * n + i * m + (q - n);
        return n * n + n * m + i;
    }

    private void propagateRnn(double[] h, double[] x, double[] gh, double[] grad) {
        double[] W = rnn.whh().data();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int u = b * n + i;
                double di = d[u];
                double wii = W[i * n + i];
                int base = u * k;
                double gi = gh == null ? 0.0 : gh[u];
                for (int q = 0; q < k; q++) {
                    double v = di * (wii * sh[base + q] + z(h, x, b, q));
                    sh[base + q] = v;
                    if (gh != null) grad[param(i, q)] += gi * v;
                }
            }
        }
    }

    private void propagateLstm(double[] h, double[] x, double[] gh, double[] grad) {
        double[] wdiag = new double[4];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < 4; g++) wdiag[g] = lstm.wh(g).data()[i * n + i];
                int u = b * n + i;
                double kf = coef.kf[u];
                double f = coef.f[u];
                double ki = coef.ki[u];
                double kc = coef.kc[u];
                double ko = coef.ko[u];
                double kh = coef.kh[u];
                double gi = gh == null ? 0.0 : gh[u];
                int base = u * 4 * k;
                for (int owner = 0; owner < 4; owner++) { // the gate whose row the parameter belongs to
                    for (int q = 0; q < k; q++) {
                        int idx = base + owner * k + q;
                        double hOld = sh[idx];
                        double zq = z(h, x, b, q);
                        double af = wdiag[0] * hOld + (owner == 0 ? zq : 0.0);
                        double ai = wdiag[1] * hOld + (owner == 1 ? zq : 0.0);
                        double ao = wdiag[2] * hOld + (owner == 2 ? zq : 0.0);
                        double ac = wdiag[3] * hOld + (owner == 3 ? zq : 0.0);
                        double dc = kf * af + f * sc[idx] + ki * ai + kc * ac;
                        double dh = ko * ao + kh * dc;
                        sc[idx] = dc;
                        sh[idx] = dh;
                        if (gh != null) grad[owner * block + param(i, q)] += gi * dh;
                    }
                }
            }
        }
    }

    @Override
    protected void resetInfluence() {
        java.util.Arrays.fill(sh, 0.0);
        if (sc != null) java.util.Arrays.fill(sc, 0.0);
    }

    @Override
    public long stateBytes() {
        return bytesOf(sh, sc, d);
    }
}
