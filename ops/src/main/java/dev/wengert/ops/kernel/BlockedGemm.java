package dev.wengert.ops.kernel;

/**
 * The packed, cache-blocked GEMM driver (GotoBLAS/BLIS loop nest, with the two innermost loops swapped
 * for row-major C), shared by the vector and the plain-Java micro-kernels.
 *
 * <pre>
 * for jc in n step nc:              B panel kc×nc  -> packed once per (jc, pc), row by row of B
 *   for pc in k step kc:
 *     for ic in m step mc:          A block mc×kc  -> packed
 *       for ir in mc step MR:       A sliver MR×kc -> stays in L1 during the jr loop
 *         for jr in nc step NR:     micro-kernel: MR×NR tile of C in registers
 * </pre>
 *
 * The inner loop walks along rows of C, so consecutive micro-tiles touch adjacent cache lines, which the
 * hardware prefetchers follow, and B is packed reading its rows sequentially. Measured against the
 * BLIS order (jr outside ir, A block in L2, B slivers packed on first use) and against B panels capped
 * to L2 (nc = 128): this order was as fast or faster on every shape of the benchmark set (square
 * 256..1024, the MLP products) and 15–20% faster on the exact-RTRL panels, whose B and C have a
 * 49 KiB row stride (each B sliver packed on its own touches a new page per row; walking C down a
 * column does too). Capping the panel to L2 cost 10–20%: A is then re-packed once per panel.
 *
 * <p>Block sizes are balanced: k = 784 with kc = 256 runs as four blocks of 196, not 256+256+256+16
 * (a 16-deep block pays the whole C load/store of every tile for very little work). Each k block after
 * the first continues the accumulation in C (the micro-kernel loads the C tile and adds to it), so every
 * element of C is the same sequence of fused multiply-adds over k in order whatever kc, mc, nc, the tile
 * shape or the thread count (see {@link Gemm}).
 *
 * <p>Transposition is handled entirely by the packing routines, which read op(A)/op(B) from whichever
 * layout they are stored in. Partial tiles are zero-padded in the packed buffers, computed through a
 * per-thread MR×NR scratch tile and copied into C.
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

    /**
     * The block size for splitting {@code n} into as few blocks of at most about {@code max} as possible,
     * of equal size (the last one smaller), rounded up to a multiple of {@code multiple}.
     */
    static int balanced(int n, int max, int multiple) {
        max = roundUp(Math.max(1, max), multiple);
        int blocks = (n + max - 1) / max;
        return roundUp((n + blocks - 1) / blocks, multiple);
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C for validated, non-empty arguments (m, n, k ≥ 1) on the calling thread.
     * {@code mcHint}, {@code kcHint}, {@code ncHint} are the block sizes (balanced and rounded to whole
     * tiles here).
     */
    static void gemm(MicroKernel kern, int mcHint, int kcHint, int ncHint,
                     boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        final int mr = kern.mr;
        final int nr = kern.nr;
        final int kc = balanced(k, kcHint, 1);
        final int nc = balanced(n, Math.max(ncHint, nr), nr);
        final int mc = roundUp(Math.max(1, mcHint), mr);
        final Scratch s = scratch();
        // Size the buffers for this call, not for the maximum block, so small products stay small.
        final double[] ap = s.a(Math.min(mc, roundUp(m, mr)) / mr * kern.as * kc);
        final double[] bp = s.b(kc * Math.min(nc, roundUp(n, nr)));
        final double[] tile = s.tile(mr * nr);
        if (beta != 0 && beta != 1) {
            scale(m, n, beta, c, cOff, ldc);
        }
        final boolean addFirst = beta != 0;
        for (int jc = 0; jc < n; jc += nc) {
            final int nb = Math.min(nc, n - jc);
            final int nFull = nb / nr * nr;
            for (int pc = 0; pc < k; pc += kc) {
                final int kb = Math.min(kc, k - pc);
                final boolean add = pc > 0 || addFirst;
                kern.packB(transB, b, bOff, ldb, pc, jc, kb, nb, bp, 0);
                for (int ic = 0; ic < m; ic += mc) {
                    final int mb = Math.min(mc, m - ic);
                    packA(kern, transA, a, aOff, lda, ic, pc, mb, kb, alpha, ap);
                    if (ORDER == 2) {
                        blisBlock(kern, add, kb, mb, nb, ap, bp, tile, c, cOff + ic * ldc + jc, ldc);
                        continue;
                    }
                    for (int ir = 0; ir < mb; ir += mr) {
                        final int mrEff = Math.min(mr, mb - ir);
                        final int aIdx = ir / mr * kern.as * kb;
                        final int cRow = cOff + (ic + ir) * ldc + jc;
                        int jr = 0;
                        if (mrEff == mr) {
                            if (add) {
                                for (; jr < nFull; jr += nr) {
                                    kern.multiplyAdd(kb, ap, aIdx, bp, jr * kb, c, cRow + jr, ldc);
                                }
                            } else {
                                for (; jr < nFull; jr += nr) {
                                    kern.multiply(kb, ap, aIdx, bp, jr * kb, c, cRow + jr, ldc);
                                }
                            }
                        }
                        for (; jr < nb; jr += nr) {
                            edge(kern, add, kb, ap, aIdx, bp, jr * kb, tile, c, cRow + jr, ldc,
                                    mrEff, Math.min(nr, nb - jr));
                        }
                    }
                }
            }
        }
    }

    static volatile int ORDER = 1;

    private static void blisBlock(MicroKernel kern, boolean add, int kb, int mb, int nb, double[] ap, double[] bp,
                                  double[] tile, double[] c, int cBlock, int ldc) {
        final int mr = kern.mr;
        final int nr = kern.nr;
        final int mFull = mb / mr * mr;
        for (int jr = 0; jr < nb; jr += nr) {
            final int nrEff = Math.min(nr, nb - jr);
            final int bIdx = jr * kb;
            int ir = 0;
            if (nrEff == nr) {
                if (add) {
                    for (; ir < mFull; ir += mr) {
                        kern.multiplyAdd(kb, ap, ir / mr * kern.as * kb, bp, bIdx, c, cBlock + ir * ldc + jr, ldc);
                    }
                } else {
                    for (; ir < mFull; ir += mr) {
                        kern.multiply(kb, ap, ir / mr * kern.as * kb, bp, bIdx, c, cBlock + ir * ldc + jr, ldc);
                    }
                }
            }
            for (; ir < mb; ir += mr) {
                edge(kern, add, kb, ap, ir / mr * kern.as * kb, bp, bIdx, tile, c, cBlock + ir * ldc + jr, ldc,
                        Math.min(mr, mb - ir), nrEff);
            }
        }
    }

    /** C = beta·C on the m×n window. */
    private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            final int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] *= beta;
            }
        }
    }

    /**
     * A partial tile (rows × cols of the MR×NR tile at {@code cIdx} are valid) through the scratch tile:
     * for accumulation the valid part of C is copied in first, so each element goes through exactly the
     * operations it would in a full tile.
     */
    private static void edge(MicroKernel kern, boolean add, int kb, double[] ap, int aIdx, double[] bp, int bIdx,
                             double[] tile, double[] c, int cIdx, int ldc, int rows, int cols) {
        final int mr = kern.mr;
        final int nr = kern.nr;
        if (add) {
            java.util.Arrays.fill(tile, 0, mr * nr, 0.0);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, cIdx + r * ldc, tile, r * nr, cols);
            }
            kern.multiplyAdd(kb, ap, aIdx, bp, bIdx, tile, 0, nr);
        } else {
            kern.multiply(kb, ap, aIdx, bp, bIdx, tile, 0, nr);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * nr, c, cIdx + r * ldc, cols);
        }
    }

    /**
     * Packs alpha·op(A)[i0..i0+mb)[p0..p0+kb) into MR-row slivers of stride AS:
     * {@code dst[(i/MR)*AS*kb + p*AS + i%MR]}, with rows past mb zero-filled. op(A) is m×k; A is stored m×k
     * (row stride lda) or, if transA, k×m. Scaling by alpha here costs O(mk) instead of O(mn) in every
     * micro-kernel epilogue. Both layouts are read along their stored rows (sequential, prefetch-friendly,
     * one page at a time); the scattered side is the write into the small packed block.
     */
    static void packA(MicroKernel kern, boolean transA, double[] a, int aOff, int lda, int i0, int p0, int mb,
                      int kb, double alpha, double[] dst) {
        final int mr = kern.mr;
        final int as = kern.as;
        final int full = mb / mr * mr;
        if (!transA && mr == 5 && as == 8) {
            // The default vector tile: the five rows of a sliver side by side, so each step p fills one
            // 64-byte line of the sliver (instead of touching kb lines per row).
            for (int i = 0; i < full; i += 5) {
                final int s0 = aOff + (i0 + i) * lda + p0;
                final int s1 = s0 + lda;
                final int s2 = s1 + lda;
                final int s3 = s2 + lda;
                final int s4 = s3 + lda;
                int d = (i / 5) * 8 * kb;
                for (int p = 0; p < kb; p++, d += 8) {
                    dst[d] = alpha * a[s0 + p];
                    dst[d + 1] = alpha * a[s1 + p];
                    dst[d + 2] = alpha * a[s2 + p];
                    dst[d + 3] = alpha * a[s3 + p];
                    dst[d + 4] = alpha * a[s4 + p];
                }
            }
            for (int i = full; i < mb; i++) {
                final int src = aOff + (i0 + i) * lda + p0;
                int d = (full / 5) * 8 * kb + i - full;
                for (int p = 0; p < kb; p++, d += 8) {
                    dst[d] = alpha * a[src + p];
                }
            }
        } else if (!transA && mr == 8 && as == 8) {
            // The AVX-512 tiles (8x2, 8x3): the same, eight rows side by side. Row by row instead, each row
            // would write one double into each of kb lines, eight passes over the sliver.
            for (int i = 0; i < full; i += 8) {
                final int s0 = aOff + (i0 + i) * lda + p0;
                final int s1 = s0 + lda;
                final int s2 = s1 + lda;
                final int s3 = s2 + lda;
                final int s4 = s3 + lda;
                final int s5 = s4 + lda;
                final int s6 = s5 + lda;
                final int s7 = s6 + lda;
                int d = (i / 8) * 8 * kb;
                for (int p = 0; p < kb; p++, d += 8) {
                    dst[d] = alpha * a[s0 + p];
                    dst[d + 1] = alpha * a[s1 + p];
                    dst[d + 2] = alpha * a[s2 + p];
                    dst[d + 3] = alpha * a[s3 + p];
                    dst[d + 4] = alpha * a[s4 + p];
                    dst[d + 5] = alpha * a[s5 + p];
                    dst[d + 6] = alpha * a[s6 + p];
                    dst[d + 7] = alpha * a[s7 + p];
                }
            }
            for (int i = full; i < mb; i++) {
                final int src = aOff + (i0 + i) * lda + p0;
                int d = (full / 8) * 8 * kb + i - full;
                for (int p = 0; p < kb; p++, d += 8) {
                    dst[d] = alpha * a[src + p];
                }
            }
        } else if (!transA) {
            // Row i of op(A) is row i of A: copy it into column (i % MR) of its sliver.
            for (int i = 0; i < mb; i++) {
                final int src = aOff + (i0 + i) * lda + p0;
                int d = (i / mr) * as * kb + i % mr;
                if (alpha == 1) {
                    for (int p = 0; p < kb; p++, d += as) {
                        dst[d] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kb; p++, d += as) {
                        dst[d] = alpha * a[src + p];
                    }
                }
            }
        } else {
            // Row p of A (k×m) holds op(A)[*][p]: walk it once, dropping MR values into each sliver.
            for (int p = 0; p < kb; p++) {
                final int src = aOff + (p0 + p) * lda + i0;
                for (int i = 0; i < full; i += mr) {
                    final int d = (i / mr) * as * kb + p * as;
                    for (int r = 0; r < mr; r++) {
                        dst[d + r] = alpha * a[src + i + r];
                    }
                }
                // The partial last sliver (no iteration when mb is a whole number of slivers).
                final int d = (full / mr) * as * kb + p * as;
                for (int r = 0; r < mb - full; r++) {
                    dst[d + r] = alpha * a[src + full + r];
                }
            }
        }
        if (full < mb) {
            // Zero the padding rows of the last sliver so the full-tile kernel can run over it.
            final int rows = mb - full;
            for (int p = 0; p < kb; p++) {
                final int d = (full / mr) * as * kb + p * as;
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
                // The partial last sliver (no iteration when nb is a whole number of slivers).
                final int d = dstOff + full * kb + p * nr;
                for (int j = 0; j < nb - full; j++) {
                    dst[d + j] = b[src + full + j];
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
