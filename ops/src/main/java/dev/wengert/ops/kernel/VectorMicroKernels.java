package dev.wengert.ops.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernels on {@code jdk.incubator.vector} (the inner loops are regular enough that they are written
 * out per shape; see the shape comments). This is the only class that references the incubator
 * module; {@link Kernels} loads it reflectively, and only after checking that the module is in the boot
 * layer, so the rest of the library works (with the plain-Java kernel) when it is absent.
 *
 * <p>Vectors run along the rows of C (and of packed B): a tile is MR rows × NV vectors, each of
 * {@link #L} lanes. Per step p the kernel loads NV vectors of B, broadcasts MR elements of A and issues
 * MR·NV FMAs into accumulators held in vector locals. Each shape is its own small method with named
 * locals because C2 only keeps vectors in registers when they never escape (no arrays of vectors).
 */
final class VectorMicroKernels {

    /**
     * The species used, here and by {@code VectorElementwise}. {@code SPECIES_PREFERRED} in production; the
     * testing-only property {@code wengert.vector.bits} (64, 128, 256 or 512) selects another one so the
     * lane-count-generic code can be checked on a machine with a different vector width (non-native widths
     * are emulated by the JDK: correct but slow).
     */
    static final VectorSpecies<Double> S = species();
    /** Lanes per vector: a compile-time constant for C2 because S is static final. */
    static final int L = S.length();

    private VectorMicroKernels() {
    }

    private static VectorSpecies<Double> species() {
        String bits = System.getProperty("wengert.vector.bits");
        if (bits != null) {
            switch (bits.trim()) {
                case "64": return DoubleVector.SPECIES_64;
                case "128": return DoubleVector.SPECIES_128;
                case "256": return DoubleVector.SPECIES_256;
                case "512": return DoubleVector.SPECIES_512;
                default: break;
            }
        }
        return DoubleVector.SPECIES_PREFERRED;
    }

    /**
     * Entry point called reflectively by {@link Kernels}: the micro-kernel for this lane count, or the one
     * named by {@code shape} ("5x2", "6x2", "8x3": rows × vectors; tuning property
     * {@code wengert.gemm.tile}) when not null.
     *
     * <p>Up to 4 lanes (AVX2, SSE, NEON) the default is 5×2 with A stride 8: 10 accumulators + 2 B vectors
     * leave room for the up to three broadcasts C2 keeps live, and the power-of-two A stride lets C2 hoist
     * every bounds check out of the inner loop (27 instructions per 10 FMAs). Measured on Zen 3 (JDK 17,
     * kernel alone, L1-resident, interleaved, median of 40 paired rounds): 5×2 1.17× the speed of 6×2
     * (42 instructions per 12 FMAs: two bounds checks and the p·6 index arithmetic stay in the loop);
     * 6×2 with stride 8 and 4×3 both spill an accumulator to the stack in the loop and reach only about
     * 0.5× of 5×2. With 8 lanes (AVX-512, 32 registers) 8×3 (24 accumulators) — derived, not measured here.
     */
    static MicroKernel create(String shape) {
        if (shape == null || shape.isBlank()) {
            shape = L >= 8 ? "8x3" : "5x2";
        }
        switch (shape.trim()) {
            case "6x2": return new K6x2();
            case "8x3": return new K8x3();
            case "8x2": return new K8x2();
            case "5x2":
            default: return new K5x2();
        }
    }

    /** Common part of the vector kernels: NR = NV·L, and a vectorised packing of B. */
    abstract static class VectorKernel extends MicroKernel {
        VectorKernel(int mr, int nv, int as) {
            super(mr, nv * L, as);
        }

        /**
         * Non-transposed B: each sliver row is NR contiguous doubles in B, copied as NR/L vectors (about 3×
         * faster than the scalar copy). The transposed layout and the partial last sliver use the generic
         * code.
         */
        @Override
        void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int j0, int kb, int nb,
                   double[] dst, int dstOff) {
            if (transB) {
                BlockedGemm.packB(true, b, bOff, ldb, p0, j0, kb, nb, nr, dst, dstOff);
                return;
            }
            final int nr = this.nr;
            final int full = nb / nr * nr;
            // Row by row: B is read sequentially (prefetch-friendly even when it is cold in L3), each
            // sliver row is NR/L vector copies.
            for (int p = 0; p < kb; p++) {
                final int src = bOff + (p0 + p) * ldb + j0;
                for (int s = 0; s < full; s += nr) {
                    final int d = dstOff + s * kb + p * nr;
                    for (int v = 0; v < nr; v += L) {
                        DoubleVector.fromArray(S, b, src + s + v).intoArray(dst, d + v);
                    }
                }
            }
            if (full < nb) {
                BlockedGemm.packB(false, b, bOff, ldb, p0, j0 + full, kb, nb - full, nr, dst, dstOff + full * kb);
            }
        }
    }

    /** 5 rows × 2 vectors (5×8 with 4 lanes), A stride 8: 10 accumulators + 2 B vectors + broadcasts; the default up to 4 lanes. */
    static final class K5x2 extends VectorKernel {
        K5x2() {
            super(5, 2, 8);
        }

        @Override
        void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00;
            DoubleVector c10 = c00, c11 = c00;
            DoubleVector c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00;
            DoubleVector c40 = c00, c41 = c00;
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
        }

        @Override
        void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.fromArray(S, c, cIdx), c01 = DoubleVector.fromArray(S, c, cIdx + L);
            DoubleVector c10 = DoubleVector.fromArray(S, c, cIdx + ldc), c11 = DoubleVector.fromArray(S, c, cIdx + ldc + L);
            DoubleVector c20 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc), c21 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + L);
            DoubleVector c30 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc), c31 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + L);
            DoubleVector c40 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc), c41 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + L);
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
        }

        @Override
        String describe() {
            return "vector(" + L + " lanes, 5x" + (2 * L) + " tile)";
        }
    }

    /** 6 rows × 2 vectors (6×8 with 4 lanes), A stride 6: 12 accumulators + 2 B vectors + 2 broadcasts = 16 registers. */
    static final class K6x2 extends VectorKernel {
        K6x2() {
            super(6, 2, 6);
        }

        @Override
        void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00;
            DoubleVector c10 = c00, c11 = c00;
            DoubleVector c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00;
            DoubleVector c40 = c00, c41 = c00;
            DoubleVector c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 6;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
        }

        @Override
        void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.fromArray(S, c, cIdx), c01 = DoubleVector.fromArray(S, c, cIdx + L);
            DoubleVector c10 = DoubleVector.fromArray(S, c, cIdx + ldc), c11 = DoubleVector.fromArray(S, c, cIdx + ldc + L);
            DoubleVector c20 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc), c21 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + L);
            DoubleVector c30 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc), c31 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + L);
            DoubleVector c40 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc), c41 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + L);
            DoubleVector c50 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc), c51 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc + L);
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 6;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
        }

        @Override
        String describe() {
            return "vector(" + L + " lanes, 6x" + (2 * L) + " tile)";
        }
    }

    /** 8 rows × 3 vectors (8×24 with 8 lanes): 24 accumulators + 3 + 1 = 28 of the 32 AVX-512 registers. */
    static final class K8x3 extends VectorKernel {
        K8x3() {
            super(8, 3, 8);
        }

        @Override
        void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00, c02 = c00;
            DoubleVector c10 = c00, c11 = c00, c12 = c00;
            DoubleVector c20 = c00, c21 = c00, c22 = c00;
            DoubleVector c30 = c00, c31 = c00, c32 = c00;
            DoubleVector c40 = c00, c41 = c00, c42 = c00;
            DoubleVector c50 = c00, c51 = c00, c52 = c00;
            DoubleVector c60 = c00, c61 = c00, c62 = c00;
            DoubleVector c70 = c00, c71 = c00, c72 = c00;
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (3 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                final DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                c02 = a.fma(b2, c02);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                c12 = a.fma(b2, c12);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                c22 = a.fma(b2, c22);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                c32 = a.fma(b2, c32);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                c42 = a.fma(b2, c42);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
                c52 = a.fma(b2, c52);
                a = DoubleVector.broadcast(S, ap[ai + 6]);
                c60 = a.fma(b0, c60);
                c61 = a.fma(b1, c61);
                c62 = a.fma(b2, c62);
                a = DoubleVector.broadcast(S, ap[ai + 7]);
                c70 = a.fma(b0, c70);
                c71 = a.fma(b1, c71);
                c72 = a.fma(b2, c72);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c02.intoArray(c, cIdx + 2 * L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c12.intoArray(c, cIdx + ldc + 2 * L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c22.intoArray(c, cIdx + 2 * ldc + 2 * L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c32.intoArray(c, cIdx + 3 * ldc + 2 * L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c42.intoArray(c, cIdx + 4 * ldc + 2 * L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c52.intoArray(c, cIdx + 5 * ldc + 2 * L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c62.intoArray(c, cIdx + 6 * ldc + 2 * L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
            c72.intoArray(c, cIdx + 7 * ldc + 2 * L);
        }

        @Override
        void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.fromArray(S, c, cIdx), c01 = DoubleVector.fromArray(S, c, cIdx + L), c02 = DoubleVector.fromArray(S, c, cIdx + 2 * L);
            DoubleVector c10 = DoubleVector.fromArray(S, c, cIdx + ldc), c11 = DoubleVector.fromArray(S, c, cIdx + ldc + L), c12 = DoubleVector.fromArray(S, c, cIdx + ldc + 2 * L);
            DoubleVector c20 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc), c21 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + L), c22 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + 2 * L);
            DoubleVector c30 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc), c31 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + L), c32 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + 2 * L);
            DoubleVector c40 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc), c41 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + L), c42 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + 2 * L);
            DoubleVector c50 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc), c51 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc + L), c52 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc + 2 * L);
            DoubleVector c60 = DoubleVector.fromArray(S, c, cIdx + 6 * ldc), c61 = DoubleVector.fromArray(S, c, cIdx + 6 * ldc + L), c62 = DoubleVector.fromArray(S, c, cIdx + 6 * ldc + 2 * L);
            DoubleVector c70 = DoubleVector.fromArray(S, c, cIdx + 7 * ldc), c71 = DoubleVector.fromArray(S, c, cIdx + 7 * ldc + L), c72 = DoubleVector.fromArray(S, c, cIdx + 7 * ldc + 2 * L);
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (3 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                final DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                c02 = a.fma(b2, c02);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                c12 = a.fma(b2, c12);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                c22 = a.fma(b2, c22);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                c32 = a.fma(b2, c32);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                c42 = a.fma(b2, c42);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
                c52 = a.fma(b2, c52);
                a = DoubleVector.broadcast(S, ap[ai + 6]);
                c60 = a.fma(b0, c60);
                c61 = a.fma(b1, c61);
                c62 = a.fma(b2, c62);
                a = DoubleVector.broadcast(S, ap[ai + 7]);
                c70 = a.fma(b0, c70);
                c71 = a.fma(b1, c71);
                c72 = a.fma(b2, c72);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c02.intoArray(c, cIdx + 2 * L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c12.intoArray(c, cIdx + ldc + 2 * L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c22.intoArray(c, cIdx + 2 * ldc + 2 * L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c32.intoArray(c, cIdx + 3 * ldc + 2 * L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c42.intoArray(c, cIdx + 4 * ldc + 2 * L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c52.intoArray(c, cIdx + 5 * ldc + 2 * L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c62.intoArray(c, cIdx + 6 * ldc + 2 * L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
            c72.intoArray(c, cIdx + 7 * ldc + 2 * L);
        }

        /** The 8x2 companion, used for products it pads less (see {@link #forColumns}). */
        private final K8x2 narrow = new K8x2();

        /**
         * 8×2 when its whole tiles cover n with fewer padding columns than 8×3's, for example n = 64, 128,
         * 512 or 784; 8×3 otherwise (n a multiple of 48, or no gain).
         */
        @Override
        MicroKernel forColumns(int n) {
            return BlockedGemm.roundUp(n, narrow.nr) < BlockedGemm.roundUp(n, nr) ? narrow : this;
        }

        @Override
        String describe() {
            return "vector(" + L + " lanes, 8x" + (3 * L) + " tile, 8x" + (2 * L) + " where it pads less)";
        }
    }

    /**
     * 8 rows × 2 vectors (8×16 with 8 lanes), A stride 8: 16 accumulators + 2 B vectors + broadcasts. The
     * narrow companion of {@link K8x3} for products whose column count is a multiple of 16 but not of 24
     * (64, 128, 256, ...), where 8×24 tiles would compute up to a third of a tile of padding.
     */
    static final class K8x2 extends VectorKernel {
        K8x2() {
            super(8, 2, 8);
        }

        @Override
        void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.zero(S);
            DoubleVector c01 = c00;
            DoubleVector c10 = c00, c11 = c00;
            DoubleVector c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00;
            DoubleVector c40 = c00, c41 = c00;
            DoubleVector c50 = c00, c51 = c00;
            DoubleVector c60 = c00, c61 = c00;
            DoubleVector c70 = c00, c71 = c00;
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
                a = DoubleVector.broadcast(S, ap[ai + 6]);
                c60 = a.fma(b0, c60);
                c61 = a.fma(b1, c61);
                a = DoubleVector.broadcast(S, ap[ai + 7]);
                c70 = a.fma(b0, c70);
                c71 = a.fma(b1, c71);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
        }

        @Override
        void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {
            DoubleVector c00 = DoubleVector.fromArray(S, c, cIdx), c01 = DoubleVector.fromArray(S, c, cIdx + L);
            DoubleVector c10 = DoubleVector.fromArray(S, c, cIdx + ldc), c11 = DoubleVector.fromArray(S, c, cIdx + ldc + L);
            DoubleVector c20 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc), c21 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + L);
            DoubleVector c30 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc), c31 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + L);
            DoubleVector c40 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc), c41 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + L);
            DoubleVector c50 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc), c51 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc + L);
            DoubleVector c60 = DoubleVector.fromArray(S, c, cIdx + 6 * ldc), c61 = DoubleVector.fromArray(S, c, cIdx + 6 * ldc + L);
            DoubleVector c70 = DoubleVector.fromArray(S, c, cIdx + 7 * ldc), c71 = DoubleVector.fromArray(S, c, cIdx + 7 * ldc + L);
            for (int p = 0; p < kc; p++) {
                final int ai = aIdx + p * 8;
                final int bi = bIdx + p * (2 * L);
                final DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
                final DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
                DoubleVector a;
                a = DoubleVector.broadcast(S, ap[ai]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[ai + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[ai + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[ai + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[ai + 4]);
                c40 = a.fma(b0, c40);
                c41 = a.fma(b1, c41);
                a = DoubleVector.broadcast(S, ap[ai + 5]);
                c50 = a.fma(b0, c50);
                c51 = a.fma(b1, c51);
                a = DoubleVector.broadcast(S, ap[ai + 6]);
                c60 = a.fma(b0, c60);
                c61 = a.fma(b1, c61);
                a = DoubleVector.broadcast(S, ap[ai + 7]);
                c70 = a.fma(b0, c70);
                c71 = a.fma(b1, c71);
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
        }

        @Override
        String describe() {
            return "vector(" + L + " lanes, 8x" + (2 * L) + " tile)";
        }
    }
}
