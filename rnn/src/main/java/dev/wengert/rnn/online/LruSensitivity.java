package dev.wengert.rnn.online;

import dev.wengert.ops.kernel.MathKernels;
import dev.wengert.rnn.elementwise.LruCell;

/**
 * {@link LayerSensitivity} of the {@link LruCell}, in complex arithmetic with the cell's Wirtinger
 * conventions (see {@link LruCell}). Per sequence and state unit j it keeps three complex traces:
 * <pre>
 *   e^λ_t[j]   = λ_j e^λ_{t−1}[j]   + x_{t−1,j}          (= ∂x_{t,j}/∂λ_j)
 *   e^γ_t[j]   = λ_j e^γ_{t−1}[j]   + γ_j (B u_t)_j      (= ∂x_{t,j}/∂γlog_j)
 *   E^B_t[j,k] = λ_j E^B_{t−1}[j,k] + γ_j u_{t,k}        (= ∂x_{t,j}/∂B_re[j,k]; ∂/∂B_im = i E^B)
 * </pre>
 * (the {@link TraceRule} decides what is carried), 2(Nm + 2N) doubles per sequence. With
 * {@code δx = C_reᵀ δy − i C_imᵀ δy} the gradients of the step are
 * <pre>
 *   ∂ℓ/∂ν_j = −exp(ν_j) Re(conj(δx_j) λ_j e^λ[j]),   ∂ℓ/∂θ_j = −exp(θ_j) Im(conj(δx_j) λ_j e^λ[j]),
 *   ∂ℓ/∂γlog_j = Re(conj(δx_j) e^γ[j]),   ∂ℓ/∂B_re[j,k] = Re(conj(δx_j) E^B[j,k]),   ∂ℓ/∂B_im[j,k] = −Im(conj(δx_j) E^B[j,k]),
 *   ∂ℓ/∂C_re = δy x_reᵀ,   ∂ℓ/∂C_im = −δy x_imᵀ,   ∂ℓ/∂D = δy uᵀ
 * </pre>
 * and the input's cotangent at the same step is {@code Dᵀ δy + Σ_j γ_j (δx_re,j B_re[j,:] + δx_im,j B_im[j,:])}.
 */
final class LruSensitivity extends LayerSensitivity {
    private final LruCell cell;
    private final int n;
    private final int m;
    private final int h;
    private final double[][] eLambda;
    private final double[][] eGamma;
    private final double[][] eB;
    // The last step, for the traces and the reverse pass.
    private double[] lamRe;
    private double[] lamIm;
    private double[] gamma;
    private double[] xPrevRe;
    private double[] xPrevIm;
    private double[] xRe;
    private double[] xIm;
    private double[] bu; // B u, complex interleaved, [batch][N]
    private double[] u;

    LruSensitivity(LruCell cell, int batch, TraceRule rule) {
        super(batch, rule);
        this.cell = cell;
        n = cell.states();
        m = cell.inputSize();
        h = cell.hiddenSize();
        eLambda = traces(2 * batch * n);
        eGamma = traces(2 * batch * n);
        eB = traces(2 * batch * n * m);
    }

    @Override
    double[][] forward(double[][] previous, double[] input) {
        double[] nu = cell.nuLog().data();
        double[] theta = cell.thetaLog().data();
        double[] gl = cell.gammaLog().data();
        double[] bRe = cell.bRe().data();
        double[] bIm = cell.bIm().data();
        double[] cRe = cell.cRe().data();
        double[] cIm = cell.cIm().data();
        double[] d = cell.d().data();
        lamRe = new double[n];
        lamIm = new double[n];
        gamma = new double[n];
        for (int j = 0; j < n; j++) {
            double mod = MathKernels.exp(-MathKernels.exp(nu[j]));
            double phase = MathKernels.exp(theta[j]);
            lamRe[j] = mod * StrictMath.cos(phase);
            lamIm[j] = mod * StrictMath.sin(phase);
            gamma[j] = MathKernels.exp(gl[j]);
        }
        xPrevRe = previous[0];
        xPrevIm = previous[1];
        u = input;
        bu = new double[2 * batch * n];
        xRe = new double[batch * n];
        xIm = new double[batch * n];
        double[] y = new double[batch * h];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double sr = 0;
                double si = 0;
                for (int k = 0; k < m; k++) {
                    double uk = u[b * m + k];
                    sr += bRe[j * m + k] * uk;
                    si += bIm[j * m + k] * uk;
                }
                int q = b * n + j;
                bu[2 * q] = sr;
                bu[2 * q + 1] = si;
                double pr = xPrevRe[q];
                double pi = xPrevIm[q];
                xRe[q] = lamRe[j] * pr - lamIm[j] * pi + gamma[j] * sr;
                xIm[q] = lamIm[j] * pr + lamRe[j] * pi + gamma[j] * si;
            }
            for (int o = 0; o < h; o++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += cRe[o * n + j] * xRe[b * n + j] - cIm[o * n + j] * xIm[b * n + j];
                for (int k = 0; k < m; k++) s += d[o * m + k] * u[b * m + k];
                y[b * h + o] = s;
            }
        }
        return new double[][] {xRe, xIm, y};
    }

    @Override
    void updateTraces() {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double ar = lamRe[j];
                double ai = lamIm[j];
                advance(eLambda, q, ar, ai, xPrevRe[q], xPrevIm[q]);
                advance(eGamma, q, ar, ai, gamma[j] * bu[2 * q], gamma[j] * bu[2 * q + 1]);
                for (int k = 0; k < m; k++) advance(eB, q * m + k, ar, ai, gamma[j] * u[b * m + k], 0.0);
            }
        }
    }

    @Override
    void backward(double[] gy, double[] grad, int offset, double[] gu) {
        double[] nu = cell.nuLog().data();
        double[] theta = cell.thetaLog().data();
        double[] bRe = cell.bRe().data();
        double[] bIm = cell.bIm().data();
        double[] cRe = cell.cRe().data();
        double[] cIm = cell.cIm().data();
        double[] d = cell.d().data();
        int oNu = offset;
        int oTheta = oNu + n;
        int oGamma = oTheta + n;
        int oBRe = oGamma + n;
        int oBIm = oBRe + n * m;
        int oCRe = oBIm + n * m;
        int oCIm = oCRe + h * n;
        int oD = oCIm + h * n;
        double[] el = eLambda[0];
        double[] eg = eGamma[0];
        double[] eb = eB[0];
        if (gu != null) java.util.Arrays.fill(gu, 0.0);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int q = b * n + j;
                double dr = 0;
                double di = 0;
                for (int o = 0; o < h; o++) {
                    double g = gy[b * h + o];
                    dr += cRe[o * n + j] * g;
                    di -= cIm[o * n + j] * g;
                }
                // w = λ e^λ; conj(δ) w = (dr wr + di wi) + i (dr wi − di wr)
                double wr = lamRe[j] * el[2 * q] - lamIm[j] * el[2 * q + 1];
                double wi = lamRe[j] * el[2 * q + 1] + lamIm[j] * el[2 * q];
                grad[oNu + j] += -MathKernels.exp(nu[j]) * (dr * wr + di * wi);
                grad[oTheta + j] += -MathKernels.exp(theta[j]) * (dr * wi - di * wr);
                grad[oGamma + j] += dr * eg[2 * q] + di * eg[2 * q + 1];
                for (int k = 0; k < m; k++) {
                    int e = 2 * (q * m + k);
                    grad[oBRe + j * m + k] += dr * eb[e] + di * eb[e + 1];
                    grad[oBIm + j * m + k] -= dr * eb[e + 1] - di * eb[e];
                    if (gu != null) gu[b * m + k] += gamma[j] * (dr * bRe[j * m + k] + di * bIm[j * m + k]);
                }
            }
            for (int o = 0; o < h; o++) {
                double g = gy[b * h + o];
                if (g == 0.0) continue;
                for (int j = 0; j < n; j++) {
                    grad[oCRe + o * n + j] += g * xRe[b * n + j];
                    grad[oCIm + o * n + j] -= g * xIm[b * n + j];
                }
                for (int k = 0; k < m; k++) {
                    grad[oD + o * m + k] += g * u[b * m + k];
                    if (gu != null) gu[b * m + k] += d[o * m + k] * g;
                }
            }
        }
    }

    @Override
    void reset() {
        zero(eLambda);
        zero(eGamma);
        zero(eB);
    }

    @Override
    long stateBytes() {
        return bytes(eLambda, eGamma, eB);
    }
}
