package dev.wengert.ops.kernel;

/** Placeholder until the tuned kernels land: C = alpha op(A) op(B) + beta C, row-major. */
public final class Gemm {
    private Gemm() {}

    public static String implementation() {
        return "placeholder";
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
            int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                c[cOff + i * ldc + j] = beta == 0 ? alpha * s : alpha * s + beta * c[cOff + i * ldc + j];
            }
        }
    }
}
