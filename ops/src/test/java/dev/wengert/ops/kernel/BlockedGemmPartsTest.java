package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pieces of {@link BlockedGemm} on their own: the block-size arithmetic, the packed layouts of A and B
 * as {@link MicroKernel} documents them, and the packing buffers' sizes and reuse.
 */
class BlockedGemmPartsTest {

    private static List<MicroKernel> kernels() {
        List<MicroKernel> ks = new ArrayList<>();
        ks.add(Kernels.scalar());
        if (Kernels.vector() != null) {
            ks.add(Kernels.vector());
            for (String shape : new String[] {"6x2", "8x3", "8x2"}) {
                MicroKernel k = VectorMicroKernels.create(shape);
                if (!k.describe().equals(Kernels.vector().describe())) {
                    ks.add(k);
                }
            }
        }
        return ks;
    }

    // ---------------------------------------------------------------------------------------------------
    // Block sizes

    @Test
    void roundUpGivesTheNextMultiple() {
        for (int multiple = 1; multiple <= 12; multiple++) {
            for (int x = 0; x <= 100; x++) {
                int r = BlockedGemm.roundUp(x, multiple);
                assertEquals(0, r % multiple, x + " to " + multiple);
                assertTrue(r >= x && r - x < multiple, x + " to " + multiple + " gave " + r);
            }
        }
    }

    @Test
    void kIsCutIntoEqualBlocksNotAFullOnesAndARemainder() {
        // The documented example: k = 784 with kc = 256 runs as four blocks of 196, not 256+256+256+16.
        assertEquals(196, BlockedGemm.balanced(784, 256, 1));
        assertEquals(256, BlockedGemm.balanced(256, 256, 1));
        assertEquals(129, BlockedGemm.balanced(257, 256, 1));
        assertEquals(7, BlockedGemm.balanced(7, 256, 1));
        // Panels of B in whole tiles: 2049 columns in panels of about 2048, 8 wide -> two of 1032 (1025 rounded up).
        assertEquals(1032, BlockedGemm.balanced(2049, 2048, 8));
        // max is itself rounded up to the multiple, and at least 1.
        assertEquals(8, BlockedGemm.balanced(8, 5, 8));
        assertEquals(1, BlockedGemm.balanced(5, 0, 1));
    }

    @Test
    void balancedBlocksAreAsFewAndAsEqualAsPossible() {
        for (int multiple = 1; multiple <= 8; multiple++) {
            for (int max = 1; max <= 40; max++) {
                int cap = BlockedGemm.roundUp(max, multiple);
                for (int n = 1; n <= 200; n++) {
                    int size = BlockedGemm.balanced(n, max, multiple);
                    String what = "n=" + n + " max=" + max + " multiple=" + multiple + ": " + size;
                    int blocks = (n + size - 1) / size;
                    assertEquals(0, size % multiple, what);
                    assertTrue(size <= cap, what + " exceeds the cap " + cap);
                    assertEquals((n + cap - 1) / cap, blocks, what + ": not the fewest blocks");
                    // Equal sizes: the smallest whole-tile size giving that many blocks.
                    assertTrue(size == multiple || (n + size - multiple - 1) / (size - multiple) > blocks, what);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Packed layouts

    private static double opA(boolean transA, double[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    @Test
    void packedAIsAlphaTimesOpAInSliversWithZeroPadding() {
        Random rnd = new Random(8);
        for (MicroKernel kern : kernels()) {
            int mr = kern.mr;
            int as = kern.as;
            for (int t = 0; t < 300; t++) {
                boolean transA = rnd.nextBoolean();
                int mb = 1 + rnd.nextInt(4 * mr + 3);
                int kb = 1 + rnd.nextInt(9);
                int i0 = rnd.nextInt(4);
                int p0 = rnd.nextInt(4);
                int rows = transA ? p0 + kb : i0 + mb; // stored shape
                int cols = transA ? i0 + mb : p0 + kb;
                int lda = cols + rnd.nextInt(3);
                int aOff = rnd.nextInt(3);
                double[] a = new double[aOff + rows * lda];
                for (int x = 0; x < a.length; x++) {
                    a[x] = rnd.nextDouble() * 2 - 1;
                }
                double alpha = new double[] {1.0, -1.0, 0.75, 3.0}[rnd.nextInt(4)];
                int slivers = (mb + mr - 1) / mr;
                double[] dst = new double[slivers * as * kb + 5];
                Arrays.fill(dst, Double.NaN);
                BlockedGemm.packA(kern, transA, a, aOff, lda, i0, p0, mb, kb, alpha, dst);
                String what = kern.describe() + " transA=" + transA + " mb=" + mb + " kb=" + kb + " i0=" + i0
                        + " p0=" + p0 + " alpha=" + alpha;
                for (int i = 0; i < slivers * mr; i++) {
                    for (int p = 0; p < kb; p++) {
                        double expected = i < mb ? alpha * opA(transA, a, aOff, lda, i0 + i, p0 + p) : 0.0;
                        double got = dst[(i / mr) * as * kb + p * as + i % mr];
                        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got),
                                what + ": row " + i + ", p " + p + " is " + got + ", expected " + expected);
                    }
                }
                for (int x = slivers * as * kb; x < dst.length; x++) {
                    assertTrue(Double.isNaN(dst[x]), what + ": wrote past the packed block at " + x);
                }
            }
        }
    }

    private static double opB(boolean transB, double[] b, int bOff, int ldb, int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    @Test
    void packedBIsOpBInSliversWithZeroPadding() {
        Random rnd = new Random(9);
        for (MicroKernel kern : kernels()) {
            int nr = kern.nr;
            for (int t = 0; t < 300; t++) {
                boolean transB = rnd.nextBoolean();
                int nb = 1 + rnd.nextInt(4 * nr + 3);
                int kb = 1 + rnd.nextInt(9);
                int j0 = rnd.nextInt(4);
                int p0 = rnd.nextInt(4);
                int rows = transB ? j0 + nb : p0 + kb;
                int cols = transB ? p0 + kb : j0 + nb;
                int ldb = cols + rnd.nextInt(3);
                int bOff = rnd.nextInt(3);
                double[] b = new double[bOff + rows * ldb];
                for (int x = 0; x < b.length; x++) {
                    b[x] = rnd.nextDouble() * 2 - 1;
                }
                int slivers = (nb + nr - 1) / nr;
                int dstOff = rnd.nextInt(3);
                double[] dst = new double[dstOff + slivers * nr * kb + 4];
                Arrays.fill(dst, Double.NaN);
                kern.packB(transB, b, bOff, ldb, p0, j0, kb, nb, dst, dstOff);
                String what = kern.describe() + " transB=" + transB + " nb=" + nb + " kb=" + kb + " j0=" + j0
                        + " p0=" + p0 + " dstOff=" + dstOff;
                for (int j = 0; j < slivers * nr; j++) {
                    for (int p = 0; p < kb; p++) {
                        double expected = j < nb ? opB(transB, b, bOff, ldb, p0 + p, j0 + j) : 0.0;
                        double got = dst[dstOff + (j / nr) * nr * kb + p * nr + j % nr];
                        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got),
                                what + ": column " + j + ", p " + p + " is " + got + ", expected " + expected);
                    }
                }
                for (int x = 0; x < dst.length; x++) {
                    if (x < dstOff || x >= dstOff + slivers * nr * kb) {
                        assertTrue(Double.isNaN(dst[x]), what + ": wrote outside the packed panel at " + x);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Packing buffers

    @Test
    void scratchBuffersGrowOnlyWhenTooSmallAndAreReused() {
        BlockedGemm.Scratch s = new BlockedGemm.Scratch();
        double[] a = s.a(10);
        assertEquals(10, a.length);
        assertSame(a, s.a(10), "a request of the same size reuses the buffer");
        assertSame(a, s.a(3), "a smaller request reuses the buffer");
        double[] a2 = s.a(11);
        assertEquals(11, a2.length);
        assertSame(a2, s.a(11));
        double[] b = s.b(7);
        assertEquals(7, b.length);
        assertSame(b, s.b(7));
        assertSame(b, s.b(1));
        assertEquals(9, s.b(9).length);
        double[] tile = s.tile(16);
        assertEquals(16, tile.length);
        assertSame(tile, s.tile(16));
        assertSame(tile, s.tile(2));
        assertEquals(20, s.tile(20).length);
    }

    /** Runs {@code body} on a new thread (fresh thread-local buffers) and returns that thread's scratch. */
    private static BlockedGemm.Scratch onFreshThread(Runnable body) throws InterruptedException {
        AtomicReference<BlockedGemm.Scratch> out = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                out.set(BlockedGemm.scratch());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return out.get();
    }

    @Test
    void aSmallProductSizesItsBuffersForItselfNotForTheLargestBlocks() throws InterruptedException {
        for (MicroKernel kern : kernels()) {
            int mr = kern.mr;
            int nr = kern.nr;
            int m = 2 * mr + 1;
            int n = nr + 3;
            int k = 11;
            double[] a = new double[m * k];
            double[] b = new double[k * n];
            double[] c = new double[m * n];
            Arrays.fill(a, 1.0);
            Arrays.fill(b, 0.5);
            BlockedGemm.Scratch s = onFreshThread(() -> BlockedGemm.gemm(kern, KernelConfig.MC, KernelConfig.KC,
                    KernelConfig.NC, false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, c, 0, n));
            // One packed block of A: three slivers of as×k; one panel of B: k × two slivers of nr.
            assertEquals(3 * kern.as * k, s.a.length, kern.describe() + " A buffer");
            assertEquals(k * 2 * nr, s.b.length, kern.describe() + " B buffer");
            assertEquals(mr * nr, s.tile.length, kern.describe() + " tile");
            for (double x : c) {
                assertEquals(0.5 * k, x, 0.0);
            }
        }
    }

    @Test
    void theBuffersOfALargeProductReachTheDocumentedBoundExactly() throws InterruptedException {
        MicroKernel kern = Kernels.active();
        int m = BlockedGemm.roundUp(KernelConfig.MC, kern.mr); // exactly one full block of A
        int n = KernelConfig.NC;
        int k = KernelConfig.KC;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        double[] c = new double[m * n];
        Arrays.fill(a, 0.25);
        Arrays.fill(b, 2.0);
        BlockedGemm.Scratch s = onFreshThread(() -> BlockedGemm.gemm(kern, KernelConfig.MC, KernelConfig.KC,
                KernelConfig.NC, false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, c, 0, n));
        assertEquals(Gemm.packingDoublesPerThread(), (long) s.a.length + s.b.length + s.tile.length);
        assertEquals(0.5 * k, c[c.length - 1], 0.0);
    }
}
