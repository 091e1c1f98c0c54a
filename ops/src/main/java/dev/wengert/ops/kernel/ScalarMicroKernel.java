package dev.wengert.ops.kernel;

/**
 * Plain-Java 4×4 micro-kernel, used when the Vector API is absent or disabled. Sixteen scalar
 * accumulators fit the register file of any 64-bit target (x86-64 has 16 xmm registers, AArch64 32),
 * so C2 keeps them in registers and each loaded value is reused four times.
 */
final class ScalarMicroKernel extends MicroKernel {

    static final ScalarMicroKernel INSTANCE = new ScalarMicroKernel();

    private ScalarMicroKernel() {
        super(KernelConfig.SCALAR_MR, KernelConfig.SCALAR_NR);
    }

    @Override
    void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx,
                  double[] c, int cIdx, int ldc, boolean accumulate) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int ai = aIdx;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, ai += 4, bi += 4) {
            double b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            double a0 = ap[ai];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            double a1 = ap[ai + 1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            double a2 = ap[ai + 2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            double a3 = ap[ai + 3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        store(c, cIdx, accumulate, c00, c01, c02, c03);
        store(c, cIdx + ldc, accumulate, c10, c11, c12, c13);
        store(c, cIdx + 2 * ldc, accumulate, c20, c21, c22, c23);
        store(c, cIdx + 3 * ldc, accumulate, c30, c31, c32, c33);
    }

    private static void store(double[] c, int i, boolean accumulate,
                              double v0, double v1, double v2, double v3) {
        if (accumulate) {
            c[i] += v0;
            c[i + 1] += v1;
            c[i + 2] += v2;
            c[i + 3] += v3;
        } else {
            c[i] = v0;
            c[i + 1] = v1;
            c[i + 2] = v2;
            c[i + 3] = v3;
        }
    }

    @Override
    String describe() {
        return "scalar fallback";
    }
}
