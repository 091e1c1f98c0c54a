package dev.wengert.rnn.online;

import dev.wengert.ops.kernel.MathKernels;
import dev.wengert.rnn.elementwise.DiagonalRnnCell;

/**
 * {@link LayerSensitivity} of the {@link DiagonalRnnCell} {@code h_t = a ⊙ h_{t−1} + B u_t + b}. Per sequence
 * and unit j the traces
 * <pre>
 *   e^a_t[j]   = a_j e^a_{t−1}[j]   + h_{t−1,j}     (= ∂h_{t,j}/∂a_j)
 *   E^B_t[j,k] = a_j E^B_{t−1}[j,k] + u_{t,k}       (= ∂h_{t,j}/∂B[j,k])
 *   e^b_t[j]   = a_j e^b_{t−1}[j]   + 1             (= ∂h_{t,j}/∂b_j)
 * </pre>
 * (Nm + 2N doubles); with {@code δ = ∂ℓ_t/∂h_t}: {@code ∂ℓ/∂ν_j = −exp(ν_j) a_j δ_j e^a[j]},
 * {@code ∂ℓ/∂B[j,k] = δ_j E^B[j,k]}, {@code ∂ℓ/∂b_j = δ_j e^b[j]}; the input's cotangent is {@code Bᵀ δ}.
 */
final class DiagonalRnnSensitivity extends LayerSensitivity {
    private final DiagonalRnnCell cell;
    private final int n;
    private final int m;
    private final double[][] eA;
    private final double[][] eB;
    private final double[][] eBias;
    private double[] a;
    private double[] hPrev;
    private double[] u;

    DiagonalRnnSensitivity(DiagonalRnnCell cell, int batch, TraceRule rule) {
        super(batch, rule);
        this.cell = cell;
        n = cell.hiddenSize();
        m = cell.inputSize();
        eA = traces(batch * n);
        eB = traces(batch * n * m);
        eBias = traces(batch * n);
    }

    @Override
    double[][] forward(double[][] previous, double[] input) {
        double[] nu = cell.nuLog().data();
        double[] w = cell.inputWeights().data();
        double[] bias = cell.bias().data();
        a = new double[n];
        for (int j = 0; j < n; j++) a[j] = MathKernels.exp(-MathKernels.exp(nu[j]));
        hPrev = previous[0];
        u = input;
        double[] hNew = new double[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double s = bias[j];
                for (int k = 0; k < m; k++) s += w[j * m + k] * u[b * m + k];
                hNew[b * n + j] = a[j] * hPrev[b * n + j] + s;
            }
        }
        return new double[][] {hNew};
    }

    @Override
    void updateTraces() {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                advance(eA, q, a[j], hPrev[q]);
                advance(eBias, q, a[j], 1.0);
                for (int k = 0; k < m; k++) advance(eB, q * m + k, a[j], u[b * m + k]);
            }
        }
    }

    @Override
    void backward(double[] gy, double[] grad, int offset, double[] gu) {
        double[] nu = cell.nuLog().data();
        double[] w = cell.inputWeights().data();
        int oB = offset + n;
        int oBias = oB + n * m;
        if (gu != null) java.util.Arrays.fill(gu, 0.0);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double g = gy[q];
                grad[offset + j] += -MathKernels.exp(nu[j]) * a[j] * g * eA[0][q];
                grad[oBias + j] += g * eBias[0][q];
                for (int k = 0; k < m; k++) {
                    grad[oB + j * m + k] += g * eB[0][q * m + k];
                    if (gu != null) gu[b * m + k] += w[j * m + k] * g;
                }
            }
        }
    }

    @Override
    void reset() {
        zero(eA);
        zero(eB);
        zero(eBias);
    }

    @Override
    long stateBytes() {
        return bytes(eA, eB, eBias);
    }
}
