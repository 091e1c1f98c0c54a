package dev.wengert.ops.kernel;

/**
 * A register-tiled micro-kernel: multiplies one packed MR×kc sliver of A by one packed kc×NR sliver of B
 * and merges the MR×NR result into C. The blocking/packing driver ({@link BlockedGemm}) is shared by the
 * vector and the plain-Java implementations; only this inner piece differs.
 *
 * <p>Packed layouts (both zero-padded to full tiles by the driver):
 * A sliver: {@code ap[aIdx + p*MR + r]} = op(A)[i0+r][p0+p]; B sliver: {@code bp[bIdx + p*NR + j]} =
 * op(B)[p0+p][j0+j].
 */
abstract class MicroKernel {

    /** Rows of the micro-tile. */
    final int mr;
    /** Columns of the micro-tile. */
    final int nr;

    MicroKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * For the full MR×NR tile at {@code c[cIdx + r*ldc + j]}: {@code C[r][j] += sum_p A[r][p] B[p][j]} if
     * {@code accumulate}, else {@code C[r][j] = sum_p ...} without reading C (so NaN in C is overwritten).
     * α is folded into packed A and β applied by the driver, which keeps this epilogue branch-free and
     * small enough for C2 to compile as one unit.
     */
    abstract void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx,
                           double[] c, int cIdx, int ldc, boolean accumulate);

    /**
     * Packs op(B)[p0..p0+kb)[j0..j0+nb) into {@code dst} from {@code dstOff} on, in the sliver layout above
     * (see {@link BlockedGemm#packB}); kernels may override it with a faster copy of full slivers.
     */
    void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int j0, int kb, int nb,
               double[] dst, int dstOff) {
        BlockedGemm.packB(transB, b, bOff, ldb, p0, j0, kb, nb, nr, dst, dstOff);
    }

    /** Short description for {@link Gemm#implementation()}. */
    abstract String describe();
}
