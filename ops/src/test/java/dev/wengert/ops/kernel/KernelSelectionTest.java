package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Which micro-kernel a tile name gives, how the active one is described, and the kernels' own checks. */
class KernelSelectionTest {

    @Test
    void tileNamesPickTheirKernelAndAnythingElseTheDefault() {
        assumeTrue(Kernels.vector() != null, "the Vector API is not usable here");
        int lanes = VectorMicroKernels.L;
        String fiveByTwo = "vector(" + lanes + " lanes, 5x" + (2 * lanes) + " tile)";
        String sixByTwo = "vector(" + lanes + " lanes, 6x" + (2 * lanes) + " tile)";
        String eightByThree = "vector(" + lanes + " lanes, 8x" + (3 * lanes) + " tile, 8x" + (2 * lanes)
                + " where it pads less)";
        String eightByTwo = "vector(" + lanes + " lanes, 8x" + (2 * lanes) + " tile)";
        assertEquals(sixByTwo, VectorMicroKernels.create("6x2").describe());
        assertEquals(sixByTwo, VectorMicroKernels.create(" 6x2 ").describe());
        assertEquals(eightByThree, VectorMicroKernels.create("8x3").describe());
        assertEquals(fiveByTwo, VectorMicroKernels.create("5x2").describe());
        assertEquals(eightByTwo, VectorMicroKernels.create("8x2").describe());
        assertEquals(fiveByTwo, VectorMicroKernels.create("4x3").describe(), "unknown names fall back to 5x2");
        String def = lanes >= 8 ? eightByThree : fiveByTwo;
        assertEquals(def, VectorMicroKernels.create(null).describe());
        assertEquals(def, VectorMicroKernels.create("  ").describe());
        MicroKernel k = VectorMicroKernels.create("6x2");
        assertEquals(6, k.mr);
        assertEquals(2 * lanes, k.nr);
    }

    @Test
    void theEightRowKernelTakesTheNarrowTileWhereThatPadsLess() {
        assumeTrue(Kernels.vector() != null, "the Vector API is not usable here");
        int lanes = VectorMicroKernels.L;
        MicroKernel wide = VectorMicroKernels.create("8x3");
        // Column counts with their padded widths for tiles of 3 and 2 vectors.
        for (int n : new int[] {1, 10, 2 * lanes, 3 * lanes, 4 * lanes, 6 * lanes, 8 * lanes, 64, 100, 128, 784, 1024}) {
            int padWide = (n + 3 * lanes - 1) / (3 * lanes) * 3 * lanes;
            int padNarrow = (n + 2 * lanes - 1) / (2 * lanes) * 2 * lanes;
            MicroKernel chosen = wide.forColumns(n);
            assertEquals(padNarrow < padWide ? 2 * lanes : 3 * lanes, chosen.nr, "n = " + n);
            assertEquals(8, chosen.mr);
            assertEquals(wide.as, chosen.as, "the same A packing");
        }
        assertEquals(3 * lanes, wide.forColumns(6 * lanes).nr, "a multiple of both keeps the wide tile");
        assertEquals(2 * lanes, wide.forColumns(4 * lanes).nr);
        MicroKernel other = VectorMicroKernels.create("5x2");
        assertEquals(other, other.forColumns(64), "other shapes have no companion");
    }

    @Test
    void theDescriptionAddsAReasonOnlyForTheFallback() {
        String reason = Kernels.fallbackReason();
        int t = Gemm.threads();
        String expected = Kernels.active().describe() + (reason == null ? "" : " (" + reason + ")") + ", " + t
                + (t == 1 ? " thread" : " threads");
        assertEquals(expected, Gemm.implementation());
        if (Kernels.vector() != null && !"false".equalsIgnoreCase(System.getProperty("wengert.vector"))) {
            assertEquals(null, reason);
            assertEquals(Kernels.vector().describe() + ", " + t + (t == 1 ? " thread" : " threads"),
                    Gemm.implementation());
        }
        assertEquals("scalar fallback", Kernels.scalar().describe());
    }

    @Test
    void aPackedAStrideShorterThanTheTileIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MicroKernel(4, 4, 3) {
            void multiply(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {}

            void multiplyAdd(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] c, int cIdx, int ldc) {}

            String describe() {
                return "test";
            }
        });
        assertEquals("A stride 3 < MR 4", e.getMessage());
    }
}
