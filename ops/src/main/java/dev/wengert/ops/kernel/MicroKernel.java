package dev.wengert.ops.kernel;

/**
 * A register-tiled micro-kernel: multiplies one packed MR×kc sliver of A by one packed kc×NR sliver of B
 * and writes or adds the MR×NR result into C. The blocking/packing driver ({@link BlockedGemm}) is shared
 * by the vector and the plain-Java implementations; only this inner piece differs.
 *
 * <p>Packed layouts (both zero-padded to full tiles by the driver):
 * A sliver: {@code ap[aIdx + p*AS + r]} = op(A)[i0+r][p0+p] for r &lt; MR (entries MR..AS-1 of each step are
 * padding, never read); B sliver: {@code bp[bIdx + p*NR + j]} = op(B)[p0+p][j0+j].
 *
 * <p>Why an A stride separate from MR: C2 removes the bounds checks of the A loads from the inner loop
 * only when the index is a power-of-two multiple of the loop counter ({@code p*6} is strength-reduced to
 * {@code (p<<2)+(p<<1)}, which its range-check elimination does not recognise); with stride 8 the inner
 * loop of the 5×8 vector kernel is 27 instructions for 10 FMAs instead of 42 for 12.
 *
 * <p>Two entry points instead of one with an {@code accumulate} flag: each is compiled on its own, with
 * no branch for C2 to prune on an early profile (and deoptimise on later), and each stays small enough
 * that all its Vector API calls are inlined and intrinsified.
 */
abstract class MicroKernel {

    /** Rows of the micro-tile. */
    final int mr;
    /** Columns of the micro-tile. */
    final int nr;
    /** Step between consecutive k of a packed A sliver (≥ mr). */
    final int as;

    MicroKernel(int mr, int nr, int as) {
        if (as < mr) {
            throw new IllegalArgumentException("A stride " + as + " < MR " + mr);
        }
        this.mr = mr;
        this.nr = nr;
        this.as = as;
    }

    /**
     * For the full MR×NR tile at {@code c[cIdx + r*ldc + j]}: {@code C[r][j] = sum_p A[r][p] B[p][j]},
     * without reading C (so NaN there is overwritten). α is folded into packed A and β applied by the
     * driver. Requires kc ≥ 1. The sum must be {@code acc = 0; acc = fma(A[r][p], B[p][j], acc)} for
     * p = 0, 1, ... in order, one rounding per step, in every implementation: that is what makes all
     * kernels give the same bits (see {@link Gemm}).
     */
    abstract void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc);

    /**
     * As {@link #multiply}, but {@code C[r][j] += sum_p A[r][p] B[p][j]}: the accumulators start from C and
     * the products are added to them in order of p, so every element of C sees the same sequence of
     * operations whichever tile (full, or an edge tile computed in a scratch buffer) it falls in.
     */
    abstract void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc);

    /**
     * Packs op(B)[p0..p0+kb)[j0..j0+nb) into {@code dst} from {@code dstOff} on, in the sliver layout above
     * (see {@link BlockedGemm#packB}); kernels may override it with a faster copy of full slivers.
     */
    void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int j0, int kb, int nb,
               double[] dst, int dstOff) {
        BlockedGemm.packB(transB, b, bOff, ldb, p0, j0, kb, nb, nr, dst, dstOff);
    }

    /**
     * The kernel of this family for a product with {@code n} columns: this one, or a narrower tile of the
     * same rows and A layout when it computes less padding (same bits either way, see {@link Gemm}).
     */
    MicroKernel forColumns(int n) {
        return this;
    }

    /** Short description for {@link Gemm#implementation()}. */
    abstract String describe();
}
