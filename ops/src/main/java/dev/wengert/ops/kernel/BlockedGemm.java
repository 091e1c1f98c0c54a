package dev.wengert.ops.kernel;

/**
 * The packed, cache-blocked GEMM driver (GotoBLAS/BLIS loop nest, with the two innermost loops swapped
 * for row-major C), shared by the vector and the plain-Java micro-kernels.
 *
 * <pre>
 * for jc in n step nc:              B panel kc×nc  -> packed once per (jc, pc), shared by all threads
 *   for pc in k step kc:
 *     for ic in m step mc:          A block mc×kc  -> packed per thread
 *       for ir in mc step MR:       A sliver MR×kc -> stays in L1 during the jr loop
 *         for jr in nc step NR:     micro-kernel: MR×NR tile of C in registers
 * </pre>
 *
 * The inner loop walks along rows of C, so consecutive micro-tiles touch adjacent cache lines, which the
 * hardware prefetchers follow; in the GotoBLAS order (jr outside ir) consecutive tiles are a row of C
 * apart, a page or more for n ≥ 512, and that order measured 5–15% slower here.
 *
 * <p>Transposition is handled entirely by the packing routines, which read op(A)/op(B) from whichever
 * layout they are stored in. Partial tiles are zero-padded in the packed buffers, computed into a
 * per-thread MR×NR scratch tile and merged into C element by element.
 *
 * <p>β is applied outside the micro-kernel: β = 0 makes the first pass over k overwrite C (never reading
 * it, so NaN in C is ignored), β = 1 accumulates, and other values scale C once before the first pass.
 */
final class BlockedGemm {

    private BlockedGemm() {
    }

    /** Per-thread packing buffers, grown on demand and reused so steady-state calls allocate nothing. */
    static final class Scratch {
        double[] a = new double[0];
        double[] b = new double[0];
        double[] tile = new double[0];

        double[] a(int size) {
            if (a.length < size) {
                a = new double[size];
            }
            return a;
        }

        double[] b(int size) {
            if (b.length < size) {
                b = new double[size];
            }
            return b;
        }

        double[] tile(int size) {
            if (tile.length < size) {
                tile = new double[size];
            }
            return tile;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() {
        return SCRATCH.get();
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Block sizes rounded to whole tiles: {mc, kc, nc}. */
    static int mc(MicroKernel kern, int hint) {
        return roundUp(Math.max(1, hint), kern.mr);
    }

    static int nc(MicroKernel kern, int hint) {
        return roundUp(Math.max(1, hint), kern.nr);
    }

    /** Size of the packed-B buffer for a product with these k and n. */
    static int panelSize(MicroKernel kern, int kc, int nc, int k, int n) {
        return Math.min(kc, k) * Math.min(nc, roundUp(n, kern.nr));
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C for validated, non-empty arguments (m, n, k ≥ 1) on the calling thread.
     * {@code mcHint}, {@code kcHint}, {@code ncHint} are the block sizes (rounded up here to whole tiles).
     */
    static void gemm(MicroKernel kern, int mcHint, int kcHint, int ncHint,
                     boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        final int nc = nc(kern, ncHint);
        final int kc = Math.max(1, kcHint);
        // Size the buffer for this call, not for the maximum block, so small products stay small.
        final double[] bp = scratch().b(panelSize(kern, kc, nc, k, n));
        for (int jc = 0; jc < n; jc += nc) {
            final int nb = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kc) {
                final int kb = Math.min(kc, k - pc);
                kern.packB(transB, b, bOff, ldb, pc, jc, kb, nb, bp, 0);
                computeRows(kern, mcHint, 0, m, transA, a, aOff, lda, alpha, pc, kb, jc, nb, bp,
                        beta, c, cOff, ldc);
            }
        }
    }

    /**
     * Rows [i0, i1) of C[:, jc..jc+nb) for one k-block [pc, pc+kb), against the packed B panel {@code bp}.
     * Uses this thread's A buffer, so several threads can run it on disjoint row ranges against one
     * shared panel.
     */
    static void computeRows(MicroKernel kern, int mcHint, int i0, int i1,
                            boolean transA, double[] a, int aOff, int lda, double alpha,
                            int pc, int kb, int jc, int nb, double[] bp,
                            double beta, double[] c, int cOff, int ldc) {
        final int mr = kern.mr;
        final int nr = kern.nr;
        final int mc = mc(kern, mcHint);
        final Scratch s = scratch();
        final double[] ap = s.a(Math.min(mc, roundUp(i1 - i0, mr)) * kb);
        final double[] tile = s.tile(mr * nr);
        final boolean firstPass = pc == 0;
        if (firstPass && beta != 0 && beta != 1) {
            for (int i = i0; i < i1; i++) {
                final int ci = cOff + i * ldc + jc;
                for (int j = 0; j < nb; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        final boolean accumulate = !firstPass || beta != 0;
        for (int ic = i0; ic < i1; ic += mc) {
            final int mb = Math.min(mc, i1 - ic);
            packA(transA, a, aOff, lda, ic, pc, mb, kb, mr, alpha, ap);
            for (int ir = 0; ir < mb; ir += mr) {
                final int mrEff = Math.min(mr, mb - ir);
                final int aIdx = ir * kb;
                for (int jr = 0; jr < nb; jr += nr) {
                    final int nrEff = Math.min(nr, nb - jr);
                    final int bIdx = jr * kb;
                    final int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                    if (mrEff == mr && nrEff == nr) {
                        kern.multiply(kb, ap, aIdx, bp, bIdx, c, cIdx, ldc, accumulate);
                    } else {
                        kern.multiply(kb, ap, aIdx, bp, bIdx, tile, 0, nr, false);
                        merge(tile, nr, c, cIdx, ldc, mrEff, nrEff, accumulate);
                    }
                }
            }
        }
    }

    /** C = T or C += T for the valid rows × cols part of an edge tile. */
    private static void merge(double[] t, int ldt, double[] c, int cIdx, int ldc,
                              int rows, int cols, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            int ti = r * ldt;
            if (accumulate) {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += t[ti + j];
                }
            } else {
                System.arraycopy(t, ti, c, ci, cols);
            }
        }
    }

    /**
     * Packs alpha·op(A)[i0..i0+mb)[p0..p0+kb) into MR-row slivers: {@code dst[(s/MR)*MR*kb + p*MR + r]},
     * with rows past mb zero-filled. op(A) is m×k; A is stored m×k (row stride lda) or, if transA, k×m.
     * Scaling by alpha here costs O(mk) instead of O(mn) in every micro-kernel epilogue. Both layouts are
     * read along their stored rows (sequential, prefetch-friendly, one page at a time); the scattered
     * side is the write into the small packed block.
     */
    static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int p0, int mb, int kb,
                      int mr, double alpha, double[] dst) {
        final int full = mb / mr * mr;
        if (!transA) {
            // Row i of op(A) is row i of A: copy it into column (i % MR) of its sliver.
            for (int i = 0; i < mb; i++) {
                final int src = aOff + (i0 + i) * lda + p0;
                int d = (i / mr) * mr * kb + i % mr;
                if (alpha == 1) {
                    for (int p = 0; p < kb; p++, d += mr) {
                        dst[d] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kb; p++, d += mr) {
                        dst[d] = alpha * a[src + p];
                    }
                }
            }
        } else {
            // Row p of A (k×m) holds op(A)[*][p]: walk it once, dropping MR values into each sliver.
            for (int p = 0; p < kb; p++) {
                final int src = aOff + (p0 + p) * lda + i0;
                for (int s = 0; s < full; s += mr) {
                    final int d = s * kb + p * mr;
                    for (int r = 0; r < mr; r++) {
                        dst[d + r] = alpha * a[src + s + r];
                    }
                }
                if (full < mb) {
                    final int d = full * kb + p * mr;
                    for (int r = 0; r < mb - full; r++) {
                        dst[d + r] = alpha * a[src + full + r];
                    }
                }
            }
        }
        if (full < mb) {
            // Zero the padding rows of the last sliver so the full-tile kernel can run over it.
            final int rows = mb - full;
            for (int p = 0; p < kb; p++) {
                final int d = full * kb + p * mr;
                for (int r = rows; r < mr; r++) {
                    dst[d + r] = 0.0;
                }
            }
        }
    }

    /**
     * Packs op(B)[p0..p0+kb)[j0..j0+nb) into NR-column slivers: {@code dst[(s/NR)*NR*kb + p*NR + j]}, with
     * columns past nb zero-filled. op(B) is k×n; B is stored k×n (row stride ldb) or, if transB, n×k.
     * As for A, the source is read along its stored rows.
     */
    static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int j0, int kb, int nb,
                      int nr, double[] dst, int dstOff) {
        final int full = nb / nr * nr;
        if (!transB) {
            // Row p of B: NR values into each sliver.
            for (int p = 0; p < kb; p++) {
                final int src = bOff + (p0 + p) * ldb + j0;
                for (int s = 0; s < full; s += nr) {
                    final int d = dstOff + s * kb + p * nr;
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = b[src + s + j];
                    }
                }
                if (full < nb) {
                    final int d = dstOff + full * kb + p * nr;
                    for (int j = 0; j < nb - full; j++) {
                        dst[d + j] = b[src + full + j];
                    }
                }
            }
        } else {
            // Row j of B (n×k) is column j of op(B): copy it into column (j % NR) of its sliver.
            for (int j = 0; j < nb; j++) {
                final int src = bOff + (j0 + j) * ldb + p0;
                int d = dstOff + (j / nr) * nr * kb + j % nr;
                for (int p = 0; p < kb; p++, d += nr) {
                    dst[d] = b[src + p];
                }
            }
        }
        if (full < nb) {
            final int cols = nb - full;
            for (int p = 0; p < kb; p++) {
                final int d = dstOff + full * kb + p * nr;
                for (int j = cols; j < nr; j++) {
                    dst[d + j] = 0.0;
                }
            }
        }
    }
}
