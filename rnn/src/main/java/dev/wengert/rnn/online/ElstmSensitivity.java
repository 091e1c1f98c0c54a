package dev.wengert.rnn.online;

import dev.wengert.ops.kernel.MathKernels;
import dev.wengert.rnn.elementwise.ElstmCell;

/**
 * {@link LayerSensitivity} of the {@link ElstmCell}. With {@code k_z = (1 − f)(1 − z²)},
 * {@code k_f = (c_{t−1} − z) f (1 − f)} and the diagonal Jacobian
 * {@code a_t = ∂c_t/∂c_{t−1} = f + k_f w_f + k_z w_z} (all per unit), the traces of the cell-state parameters
 * <pre>
 *   E^{W_z}_t[j,k] = a E^{W_z}_{t−1}[j,k] + k_z u_k,    E^{W_f}_t[j,k] = a E^{W_f}_{t−1}[j,k] + k_f u_k,
 *   e^{w_z}_t = a e^{w_z}_{t−1} + k_z c_{t−1},   e^{w_f}_t = a e^{w_f}_{t−1} + k_f c_{t−1},
 *   e^{b_z}_t = a e^{b_z}_{t−1} + k_z,           e^{b_f}_t = a e^{b_f}_{t−1} + k_f
 * </pre>
 * (2nm + 4n doubles per sequence). The reverse pass of the output {@code h = o ⊙ c_t},
 * {@code o = σ(W_ox u + W_oc c_t + b_o)}: {@code δp = δh ⊙ c_t ⊙ o (1 − o)}, {@code δc = δh ⊙ o + W_ocᵀ δp};
 * then {@code ∂ℓ/∂W_z[j,k] = δc_j E^{W_z}[j,k]} and so on for the traced parameters, {@code ∂ℓ/∂W_ox = δp uᵀ},
 * {@code ∂ℓ/∂W_oc = δp c_tᵀ}, {@code ∂ℓ/∂b_o = δp}, and the input's cotangent
 * {@code W_oxᵀ δp + Σ_j δc_j (k_z,j W_z[j,:] + k_f,j W_f[j,:])}.
 */
final class ElstmSensitivity extends LayerSensitivity {
    private final dev.wengert.core.Tensor[] params;
    private final int n;
    private final int m;
    private final double[][] eWz;
    private final double[][] eWf;
    private final double[][] evz;
    private final double[][] evf;
    private final double[][] ebz;
    private final double[][] ebf;
    private double[] cPrev;
    private double[] u;
    private double[] c;
    private double[] o;
    private double[] kz;
    private double[] kf;
    private double[] a;

    ElstmSensitivity(ElstmCell cell, int batch, TraceRule rule) {
        super(batch, rule);
        this.params = cell.parameters().toArray(new dev.wengert.core.Tensor[0]);
        n = cell.hiddenSize();
        m = cell.inputSize();
        eWz = traces(batch * n * m);
        eWf = traces(batch * n * m);
        evz = traces(batch * n);
        evf = traces(batch * n);
        ebz = traces(batch * n);
        ebf = traces(batch * n);
    }

    private double[] p(int i) {
        return params[i].data();
    }

    @Override
    double[][] forward(double[][] previous, double[] input) {
        double[] wz = p(0);
        double[] wf = p(1);
        double[] vz = p(2);
        double[] vf = p(3);
        double[] bz = p(4);
        double[] bf = p(5);
        double[] wox = p(6);
        double[] woc = p(7);
        double[] bo = p(8);
        cPrev = previous[0];
        u = input;
        c = new double[batch * n];
        o = new double[batch * n];
        kz = new double[batch * n];
        kf = new double[batch * n];
        a = new double[batch * n];
        double[] hNew = new double[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double sz = bz[j] + vz[j] * cPrev[q];
                double sf = bf[j] + vf[j] * cPrev[q];
                for (int k = 0; k < m; k++) {
                    double uk = u[b * m + k];
                    sz += wz[j * m + k] * uk;
                    sf += wf[j * m + k] * uk;
                }
                double z = MathKernels.tanh(sz);
                double f = sigmoid(sf);
                c[q] = f * cPrev[q] + (1 - f) * z;
                kz[q] = (1 - f) * (1 - z * z);
                kf[q] = (cPrev[q] - z) * f * (1 - f);
                a[q] = f + kf[q] * vf[j] + kz[q] * vz[j];
            }
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double s = bo[j];
                for (int k = 0; k < m; k++) s += wox[j * m + k] * u[b * m + k];
                for (int i = 0; i < n; i++) s += woc[j * n + i] * c[b * n + i];
                o[q] = sigmoid(s);
                hNew[q] = o[q] * c[q];
            }
        }
        return new double[][] {c, hNew};
    }

    private static double sigmoid(double v) {
        return MathKernels.sigmoid(v);
    }

    @Override
    void updateTraces() {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double aq = a[q];
                advance(evz, q, aq, kz[q] * cPrev[q]);
                advance(evf, q, aq, kf[q] * cPrev[q]);
                advance(ebz, q, aq, kz[q]);
                advance(ebf, q, aq, kf[q]);
                for (int k = 0; k < m; k++) {
                    double uk = u[b * m + k];
                    advance(eWz, q * m + k, aq, kz[q] * uk);
                    advance(eWf, q * m + k, aq, kf[q] * uk);
                }
            }
        }
    }

    @Override
    void backward(double[] gy, double[] grad, int offset, double[] gu) {
        double[] wz = p(0);
        double[] wf = p(1);
        double[] wox = p(6);
        double[] woc = p(7);
        int nm = n * m;
        int oWz = offset;
        int oWf = oWz + nm;
        int oVz = oWf + nm;
        int oVf = oVz + n;
        int oBz = oVf + n;
        int oBf = oBz + n;
        int oWox = oBf + n;
        int oWoc = oWox + nm;
        int oBo = oWoc + n * n;
        if (gu != null) java.util.Arrays.fill(gu, 0.0);
        double[] dp = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                dp[j] = gy[q] * c[q] * o[q] * (1 - o[q]);
            }
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double dc = gy[q] * o[q];
                for (int i = 0; i < n; i++) dc += woc[i * n + j] * dp[i];
                grad[oVz + j] += dc * evz[0][q];
                grad[oVf + j] += dc * evf[0][q];
                grad[oBz + j] += dc * ebz[0][q];
                grad[oBf + j] += dc * ebf[0][q];
                grad[oBo + j] += dp[j];
                for (int i = 0; i < n; i++) grad[oWoc + j * n + i] += dp[j] * c[b * n + i];
                for (int k = 0; k < m; k++) {
                    int e = q * m + k;
                    grad[oWz + j * m + k] += dc * eWz[0][e];
                    grad[oWf + j * m + k] += dc * eWf[0][e];
                    grad[oWox + j * m + k] += dp[j] * u[b * m + k];
                    if (gu != null) {
                        gu[b * m + k] += dp[j] * wox[j * m + k]
                                + dc * (kz[q] * wz[j * m + k] + kf[q] * wf[j * m + k]);
                    }
                }
            }
        }
    }

    @Override
    void reset() {
        for (double[][] t : new double[][][] {eWz, eWf, evz, evf, ebz, ebf}) zero(t);
    }

    @Override
    long stateBytes() {
        return bytes(eWz, eWf, evz, evf, ebz, ebf);
    }
}
