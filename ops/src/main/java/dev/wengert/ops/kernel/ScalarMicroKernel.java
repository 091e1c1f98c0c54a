package dev.wengert.ops.kernel;

/**
 * Plain-Java 4×4 micro-kernel, used when the Vector API is absent or disabled. Sixteen scalar
 * accumulators fit the register file of any 64-bit target (x86-64 has 16 xmm registers, AArch64 32),
 * so C2 keeps them in registers and each loaded value is reused four times. The A stride is MR = 4, a
 * power of two, so the bounds checks leave the inner loop (see {@link MicroKernel}).
 *
 * <p>Each step is a fused multiply-add ({@link Math#fma}, one rounding), exactly as in the vector kernels,
 * so both give the same bits (see {@link MicroKernel}). On a CPU without FMA instructions Math.fma is
 * computed in software, correct but slow.
 */
final class ScalarMicroKernel extends MicroKernel {

    static final ScalarMicroKernel INSTANCE = new ScalarMicroKernel();

    private ScalarMicroKernel() {
        super(KernelConfig.SCALAR_MR, KernelConfig.SCALAR_NR, KernelConfig.SCALAR_MR);
    }

    @Override
    void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
        kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, false);
    }

    @Override
    void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
        kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, true);
    }

    private static void kernel(int kc, double[] ap, int aIdx, double[] bp, int bIdx,
                               double[] c, int cIdx, int ldc, boolean add) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        if (add) {
            int i = cIdx;
            c00 = c[i]; c01 = c[i + 1]; c02 = c[i + 2]; c03 = c[i + 3];
            i += ldc;
            c10 = c[i]; c11 = c[i + 1]; c12 = c[i + 2]; c13 = c[i + 3];
            i += ldc;
            c20 = c[i]; c21 = c[i + 1]; c22 = c[i + 2]; c23 = c[i + 3];
            i += ldc;
            c30 = c[i]; c31 = c[i + 1]; c32 = c[i + 2]; c33 = c[i + 3];
        }
        for (int p = 0; p < kc; p++) {
            final int ai = aIdx + p * 4;
            final int bi = bIdx + p * 4;
            double b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            double a0 = ap[ai];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01);
            c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            double a1 = ap[ai + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11);
            c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            double a2 = ap[ai + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21);
            c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            double a3 = ap[ai + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31);
            c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        int i = cIdx;
        c[i] = c00; c[i + 1] = c01; c[i + 2] = c02; c[i + 3] = c03;
        i += ldc;
        c[i] = c10; c[i + 1] = c11; c[i + 2] = c12; c[i + 3] = c13;
        i += ldc;
        c[i] = c20; c[i + 1] = c21; c[i + 2] = c22; c[i + 3] = c23;
        i += ldc;
        c[i] = c30; c[i + 1] = c31; c[i + 2] = c32; c[i + 3] = c33;
    }

    @Override
    String describe() {
        return "scalar fallback";
    }
}
