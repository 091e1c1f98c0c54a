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
        String eightByThree = "vector(" + lanes + " lanes, 8x" + (3 * lanes) + " tile)";
        assertEquals(sixByTwo, VectorMicroKernels.create("6x2").describe());
        assertEquals(sixByTwo, VectorMicroKernels.create(" 6x2 ").describe());
        assertEquals(eightByThree, VectorMicroKernels.create("8x3").describe());
        assertEquals(fiveByTwo, VectorMicroKernels.create("5x2").describe());
        assertEquals(fiveByTwo, VectorMicroKernels.create("4x3").describe(), "unknown names fall back to 5x2");
        String def = lanes >= 8 ? eightByThree : fiveByTwo;
        assertEquals(def, VectorMicroKernels.create(null).describe());
        assertEquals(def, VectorMicroKernels.create("  ").describe());
        MicroKernel k = VectorMicroKernels.create("6x2");
        assertEquals(6, k.mr);
        assertEquals(2 * lanes, k.nr);
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
