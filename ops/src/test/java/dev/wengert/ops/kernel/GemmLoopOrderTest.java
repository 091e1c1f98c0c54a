package dev.wengert.ops.kernel;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The alternative loop nest of the blocked kernel (BLIS order: the column loop outside the row loop,
 * {@code BlockedGemm.ORDER = 2}, kept for measuring against the default) computes the same products:
 * every kernel and mode against the naive loop, on shapes and block sizes around the tile edges.
 */
class GemmLoopOrderTest {

    @Test
    void theBlisOrderMatchesTheReferenceOnEdgeShapes() {
        int saved = BlockedGemm.ORDER;
        BlockedGemm.ORDER = 2;
        try {
            Random rnd = new Random(41);
            int[] sizes = {1, 3, 4, 5, 7, 8, 9, 13, 17, 24, 31};
            for (int m : sizes) {
                for (int n : sizes) {
                    int k = 1 + rnd.nextInt(20);
                    GemmTest.checkAllPaths(rnd, m, n, k, 1 + rnd.nextInt(12), 1 + rnd.nextInt(9), 1 + rnd.nextInt(20));
                }
            }
            GemmTest.checkAllPaths(rnd, 70, 90, 300, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
        } finally {
            BlockedGemm.ORDER = saved;
        }
    }
}
