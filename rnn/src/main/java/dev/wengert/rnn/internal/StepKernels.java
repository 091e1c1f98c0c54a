package dev.wengert.rnn.internal;

import dev.wengert.ops.kernel.MathKernels;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RnnCell;

/**
 * The forward step of the vanilla RNN and of the LSTM on raw arrays, with the per-unit coefficients
 * that the structured learners ({@code rtrl.RnnRtrl}, {@code rtrl.LstmRtrl}, {@code approx.Snap1}) need. Values agree
 * with the cells' ops to rounding (the pre-activations are summed in another order than the matrix
 * products); tanh and σ are {@link MathKernels}', as in the ops, so the results are the same bits in every
 * JVM. Internal: shared by {@code dev.wengert.rnn.rtrl} and {@code dev.wengert.rnn.approx}, not API.
 */
public final class StepKernels {
    private StepKernels() {}

    /**
     * {@code h_new = tanh(W h + U x + b)} and {@code d = 1 − h_new²}, per sequence b (rows of length n, m).
     *
     * @param cell  the cell whose weights are used
     * @param h     the previous h, {@code batch × n} row-major
     * @param x     the input, {@code batch × m} row-major
     * @param batch the number of sequences
     * @param hNew  receives the new h, {@code batch × n}
     * @param d     receives {@code 1 − h_new²}, {@code batch × n}
     */
    public static void rnn(RnnCell cell, double[] h, double[] x, int batch, double[] hNew, double[] d) {
        int n = cell.hiddenSize();
        int m = cell.inputSize();
        double[] W = cell.whh().data();
        double[] U = cell.wxh().data();
        double[] bias = cell.bias().data();
        for (int b = 0; b < batch; b++) {
            int hb = b * n;
            int xb = b * m;
            for (int i = 0; i < n; i++) {
                double a = bias[i];
                int wr = i * n;
                for (int j = 0; j < n; j++) a += W[wr + j] * h[hb + j];
                int ur = i * m;
                for (int j = 0; j < m; j++) a += U[ur + j] * x[xb + j];
                double v = MathKernels.tanh(a);
                hNew[hb + i] = v;
                d[hb + i] = 1.0 - v * v;
            }
        }
    }

    /**
     * The coefficients of the LSTM's sensitivity recursion, per (sequence, unit) k:
     * {@code Ċ = f·Ċ_prev + kf·Ȧ^f + ki·Ȧ^i + kc·Ȧ^c} and {@code Ḣ = ko·Ȧ^o + kh·Ċ}.
     */
    public static final class LstmCoefficients {
        /** {@code σ'(a^f)·c_prev}, the coefficient of {@code Ȧ^f}. */
        public final double[] kf;
        /** The forget gate f, the coefficient of {@code Ċ_prev}. */
        public final double[] f;
        /** {@code σ'(a^i)·c̃}, the coefficient of {@code Ȧ^i}. */
        public final double[] ki;
        /** {@code i·tanh'(a^c)}, the coefficient of {@code Ȧ^c}. */
        public final double[] kc;
        /** {@code σ'(a^o)·tanh(c)}, the coefficient of {@code Ȧ^o}. */
        public final double[] ko;
        /** {@code o·tanh'(c)}, the coefficient of {@code Ċ} in {@code Ḣ}. */
        public final double[] kh;

        /**
         * Zeroed coefficients for {@code size} (sequence, unit) pairs.
         *
         * @param size batch × n
         */
        public LstmCoefficients(int size) {
            kf = new double[size];
            f = new double[size];
            ki = new double[size];
            kc = new double[size];
            ko = new double[size];
            kh = new double[size];
        }
    }

    /**
     * One LSTM step: {@code (hNew, cNew)} from {@code (h, c, x)}, and the coefficients into {@code k}.
     *
     * @param cell  the cell whose weights are used
     * @param h     the previous h, {@code batch × n} row-major
     * @param c     the previous c, {@code batch × n} row-major
     * @param x     the input, {@code batch × m} row-major
     * @param batch the number of sequences
     * @param hNew  receives the new h
     * @param cNew  receives the new c
     * @param k     receives the coefficients of the step
     */
    public static void lstm(LstmCell cell, double[] h, double[] c, double[] x, int batch, double[] hNew, double[] cNew,
            LstmCoefficients k) {
        int n = cell.hiddenSize();
        int m = cell.inputSize();
        double[][] W = new double[4][];
        double[][] U = new double[4][];
        double[][] bias = new double[4][];
        for (int g = 0; g < 4; g++) {
            W[g] = cell.wh(g).data();
            U[g] = cell.wx(g).data();
            bias[g] = cell.bias(g).data();
        }
        double[] a = new double[4];
        for (int b = 0; b < batch; b++) {
            int hb = b * n;
            int xb = b * m;
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < 4; g++) {
                    double s = bias[g][i];
                    double[] wg = W[g];
                    double[] ug = U[g];
                    for (int j = 0; j < n; j++) s += wg[i * n + j] * h[hb + j];
                    for (int j = 0; j < m; j++) s += ug[i * m + j] * x[xb + j];
                    a[g] = s;
                }
                double f = sigmoid(a[0]);
                double ig = sigmoid(a[1]);
                double o = sigmoid(a[2]);
                double cand = MathKernels.tanh(a[3]);
                double cPrev = c[hb + i];
                double cn = f * cPrev + ig * cand;
                double tc = MathKernels.tanh(cn);
                int q = hb + i;
                cNew[q] = cn;
                hNew[q] = o * tc;
                k.kf[q] = f * (1 - f) * cPrev;
                k.f[q] = f;
                k.ki[q] = ig * (1 - ig) * cand;
                k.kc[q] = ig * (1 - cand * cand);
                k.ko[q] = o * (1 - o) * tc;
                k.kh[q] = o * (1 - tc * tc);
            }
        }
    }

    /**
     * σ(a) = 1/(1 + e^{−a}), finite for large |a|.
     *
     * @param a the argument
     * @return σ(a)
     */
    private static double sigmoid(double a) {
        return MathKernels.sigmoid(a);
    }
}
