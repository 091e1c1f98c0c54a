package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which path {@link Gemm} takes for a product: the simple loop or the blocked kernel, on the calling thread
 * or split, and how it is split. All paths give the same bits (see {@link GemmTest}), so the choice is a
 * performance contract only; these tests pin it to the rules documented in {@link KernelConfig} and
 * {@link Gemm.Split#plan}.
 */
class GemmPlanTest {

    private static final Gemm.Mode AUTO = Gemm.Mode.AUTO;

    private static List<MicroKernel> kernels() {
        List<MicroKernel> ks = new ArrayList<>();
        ks.add(Kernels.scalar());
        if (Kernels.vector() != null) {
            ks.add(Kernels.vector());
        }
        return ks;
    }

    // ---------------------------------------------------------------------------------------------------
    // Simple loop or blocked kernel

    @Test
    void tinyProductsTakeTheSimpleLoopFromTheFlopThresholdOnTheBlockedKernel() {
        int s = KernelConfig.SKINNY;
        long perK = (long) s * s;
        assertEquals(0, KernelConfig.SMALL_FLOPS % perK, "the test needs SMALL_FLOPS to be a multiple of SKINNY²");
        int kAt = (int) (KernelConfig.SMALL_FLOPS / perK);
        // m = n = SKINNY is not skinny: only the flop count decides.
        assertTrue(Gemm.usesSimpleLoop(AUTO, s, s, kAt - 1), "m·n·k = SMALL_FLOPS - SKINNY² is small");
        assertFalse(Gemm.usesSimpleLoop(AUTO, s, s, kAt), "m·n·k = SMALL_FLOPS is blocked");
        assertFalse(Gemm.usesSimpleLoop(AUTO, s, s, kAt + 1));
        // One below in m·n·k exactly: 8·8·8 - 1 = 511 = 7·73.
        assertEquals(8L * 8 * 8, KernelConfig.SMALL_FLOPS, "default threshold (no wengert.gemm.smallFlops)");
        assertTrue(Gemm.usesSimpleLoop(AUTO, 7, 73, 1));
        assertFalse(Gemm.usesSimpleLoop(AUTO, 8, 8, 8));
        assertFalse(Gemm.usesSimpleLoop(AUTO, 8, 64, 1), "k = 1 is not skinny by itself");
    }

    @Test
    void skinnyProductsTakeTheSimpleLoopWhateverTheirSize() {
        int s = KernelConfig.SKINNY;
        int big = 1000;
        assertTrue(Gemm.usesSimpleLoop(AUTO, s - 1, big, big), "m below SKINNY (e.g. a row vector times B)");
        assertTrue(Gemm.usesSimpleLoop(AUTO, big, s - 1, big), "n below SKINNY (matrix-vector)");
        assertTrue(Gemm.usesSimpleLoop(AUTO, 1, 1, big));
        assertFalse(Gemm.usesSimpleLoop(AUTO, s, big, big));
        assertFalse(Gemm.usesSimpleLoop(AUTO, big, s, big));
        // m·n·k beyond int range is still counted as large.
        assertFalse(Gemm.usesSimpleLoop(AUTO, 2048, 2048, 2048));
    }

    @Test
    void theExplicitModesIgnoreTheThresholds() {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 500, 500}, {8, 8, 8}, {300, 300, 300}}) {
            assertTrue(Gemm.usesSimpleLoop(Gemm.Mode.SMALL, s[0], s[1], s[2]));
            assertFalse(Gemm.usesSimpleLoop(Gemm.Mode.BLOCKED, s[0], s[1], s[2]));
            assertFalse(Gemm.usesSimpleLoop(Gemm.Mode.BLOCKED_PARALLEL, s[0], s[1], s[2]));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Calling thread only, or offered to the split model

    @Test
    void onlyProductsFromTheParallelThresholdOnAreOfferedToOtherThreads() {
        assertEquals(64L * 64 * 64, KernelConfig.PARALLEL_FLOPS, "default threshold (no wengert.gemm.parallelFlops)");
        for (Gemm.Mode mode : new Gemm.Mode[] {Gemm.Mode.AUTO, Gemm.Mode.BLOCKED}) {
            assertTrue(Gemm.mayBeSplit(mode, 2, 64, 64, 64), mode + " at the threshold");
            assertFalse(Gemm.mayBeSplit(mode, 2, 64, 64, 63), mode + " just below");
            assertFalse(Gemm.mayBeSplit(mode, 2, 63, 64, 65), mode + " 63·64·65 = 262080 < 64³");
            assertTrue(Gemm.mayBeSplit(mode, 3, 2048, 2048, 2048), mode + " m·n·k beyond int range");
        }
        assertTrue(Gemm.mayBeSplit(Gemm.Mode.BLOCKED_PARALLEL, 2, 8, 8, 8), "forced whatever the size");
        for (Gemm.Mode mode : Gemm.Mode.values()) {
            assertFalse(Gemm.mayBeSplit(mode, 1, 1000, 1000, 1000), mode + ": one thread never splits");
        }
    }

    @Test
    void thePathCombinesBothDecisions() {
        int[][] shapes = {{1, 1, 1}, {3, 300, 300}, {8, 8, 7}, {8, 8, 8}, {64, 64, 63}, {64, 64, 64}, {300, 3, 300},
            {200, 200, 200}};
        for (Gemm.Mode mode : Gemm.Mode.values()) {
            for (int threads = 1; threads <= 3; threads++) {
                for (int[] s : shapes) {
                    int expected = Gemm.usesSimpleLoop(mode, s[0], s[1], s[2]) ? Gemm.PATH_SIMPLE
                            : !Gemm.mayBeSplit(mode, threads, s[0], s[1], s[2]) ? Gemm.PATH_BLOCKED
                            : mode == Gemm.Mode.BLOCKED_PARALLEL ? Gemm.PATH_SPLIT_FORCED
                            : Gemm.PATH_SPLIT_MODEL;
                    assertEquals(expected, Gemm.path(mode, threads, s[0], s[1], s[2]),
                            mode + " threads=" + threads + " " + java.util.Arrays.toString(s));
                }
            }
        }
        assertEquals(Gemm.PATH_SIMPLE, Gemm.path(AUTO, 2, 7, 73, 1));
        assertEquals(Gemm.PATH_BLOCKED, Gemm.path(AUTO, 2, 8, 8, 8));
        assertEquals(Gemm.PATH_BLOCKED, Gemm.path(AUTO, 1, 200, 200, 200));
        assertEquals(Gemm.PATH_SPLIT_MODEL, Gemm.path(AUTO, 2, 64, 64, 64));
        assertEquals(Gemm.PATH_SIMPLE, Gemm.path(AUTO, 2, 1000, 3, 1000), "matrix-vector stays on the caller");
        assertEquals(Gemm.PATH_BLOCKED, Gemm.path(Gemm.Mode.BLOCKED, 2, 8, 8, 8));
        assertEquals(Gemm.PATH_SPLIT_FORCED, Gemm.path(Gemm.Mode.BLOCKED_PARALLEL, 2, 8, 8, 8));
        assertEquals(Gemm.PATH_SPLIT_FORCED, Gemm.path(Gemm.Mode.BLOCKED_PARALLEL, 2, 300, 300, 300));
        assertEquals(Gemm.PATH_BLOCKED, Gemm.path(Gemm.Mode.BLOCKED_PARALLEL, 1, 300, 300, 300));
        assertEquals(Gemm.PATH_SPLIT_MODEL, Gemm.path(Gemm.Mode.BLOCKED, 2, 300, 300, 300));
        assertEquals(Gemm.PATH_SIMPLE, Gemm.path(Gemm.Mode.SMALL, 2, 500, 500, 500));
    }

    @Test
    void theSimpleLoopUsesAxpyRowsOnlyOnContiguousRowsOfB() {
        int s = KernelConfig.SKINNY;
        assertEquals(Gemm.SIMPLE_AXPY, Gemm.simpleLayout(false, s));
        assertEquals(Gemm.SIMPLE_AXPY, Gemm.simpleLayout(false, 100));
        assertEquals(Gemm.SIMPLE_FOUR_COLUMNS, Gemm.simpleLayout(true, 4));
        assertEquals(Gemm.SIMPLE_FOUR_COLUMNS, Gemm.simpleLayout(true, 100));
        for (int n = 1; n < 4; n++) {
            assertEquals(n < s ? Gemm.SIMPLE_FOUR_ROWS : Gemm.SIMPLE_AXPY, Gemm.simpleLayout(false, n), "n=" + n);
            assertEquals(Gemm.SIMPLE_FOUR_ROWS, Gemm.simpleLayout(true, n), "n=" + n);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The split model

    /** {@link Gemm.Split#plan} as one number: 0 = no split, r > 0 = strips of r rows, -c = strips of c columns. */
    private static int plan(MicroKernel kernel, int threads, boolean force, int nc, int m, int n, int k) {
        Gemm.Split sp = new Gemm.Split();
        if (!sp.plan(kernel, threads, force, nc, m, n, k)) {
            return 0;
        }
        int len = sp.byRows ? m : n;
        assertEquals((len + sp.chunk - 1) / sp.chunk, sp.parts, "the strips cover the dimension exactly");
        return sp.byRows ? sp.chunk : -sp.chunk;
    }

    @Test
    void aSplitCallKeepsNoReferenceToTheCallersArrays() {
        for (MicroKernel kernel : kernels()) {
            int m = 4 * kernel.mr;
            int n = 3 * kernel.nr;
            int k = 9;
            double[] a = new double[m * k];
            double[] b = new double[k * n];
            double[] c = new double[m * n];
            java.util.Arrays.fill(a, 1.0);
            java.util.Arrays.fill(b, 1.0);
            Gemm.gemm(kernel, 2, Gemm.Mode.BLOCKED_PARALLEL, false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, c, 0, n);
            Gemm.Split sp = Gemm.Split.SPLITS.get();
            assertTrue(sp.parts >= 2, "the product was split");
            assertEquals(null, sp.a);
            assertEquals(null, sp.b);
            assertEquals(null, sp.c);
            assertEquals(null, sp.kernel);
            for (double x : c) {
                assertEquals(k, x, 0.0);
            }
        }
    }

    @Test
    void theCostIsThePaddedTileWorkPlusTheWeightedPacking() {
        MicroKernel k = Kernels.scalar(); // 4×4 tiles
        assertEquals(4, k.mr);
        assertEquals(4, k.nr);
        double w = KernelConfig.PACK_WEIGHT;
        // 5×6×3, one panel: tiles 8·8·3; A packed once (5·3), B once (6·3).
        assertEquals(8 * 8 * 3 + w * 3 * (5 + 6), Gemm.Split.cost(k, 5, 6, 3, 8), 0.0);
        // The same with panels of 4 columns: two panels, so A is packed twice.
        assertEquals(8 * 8 * 3 + w * 3 * (5 * 2 + 6), Gemm.Split.cost(k, 5, 6, 3, 4), 0.0);
        // Whole tiles are not padded; three panels of 4 for n = 12 (no partial panel).
        assertEquals(4 * 12 * 7 + w * 7 * (4 * 3 + 12), Gemm.Split.cost(k, 4, 12, 7, 4), 0.0);
        // n = 9 in panels of 4: three panels (the last one partial), tiles padded to 12 columns.
        assertEquals(4 * 12 * 2 + w * 2 * (4 * 3 + 9), Gemm.Split.cost(k, 4, 9, 2, 4), 0.0);
        // Large enough that int arithmetic would overflow: 3000·3000·3000 lanes.
        assertEquals(3000.0 * 3000 * 3000 + w * 3000 * (3000.0 * 2 + 3000), Gemm.Split.cost(k, 3000, 3000, 3000, 2048),
                0.0);
    }

    /** The smallest multiple of {@code tile} that cuts {@code len} into at most {@code parts} strips. */
    private static int smallestStrip(int len, int parts, int tile) {
        int c = tile;
        while ((len + c - 1) / c > parts) {
            c += tile;
        }
        return c;
    }

    /** The documented rule of {@link Gemm.Split#plan}, spelled out with {@link Gemm.Split#cost}. */
    private static int expectedPlan(MicroKernel kernel, int t, boolean force, int nc, int m, int n, int k) {
        int panel = BlockedGemm.balanced(n, Math.max(nc, kernel.nr), kernel.nr);
        int rowStrip = smallestStrip(m, t, kernel.mr);
        int colStrip = smallestStrip(n, t, kernel.nr);
        boolean rowsPossible = (m + rowStrip - 1) / rowStrip >= 2;
        boolean colsPossible = (n + colStrip - 1) / colStrip >= 2;
        if (!rowsPossible && !colsPossible) {
            return 0;
        }
        double rows = rowsPossible ? Gemm.Split.cost(kernel, rowStrip, n, k, panel) : Double.POSITIVE_INFINITY;
        double cols = colsPossible ? Gemm.Split.cost(kernel, m, colStrip, k, panel) : Double.POSITIVE_INFINITY;
        double best = Math.min(rows, cols);
        double single = Gemm.Split.cost(kernel, m, n, k, panel);
        if (!force && !(best + KernelConfig.SPLIT_OVERHEAD <= KernelConfig.SPLIT_GAIN * single)) {
            return 0;
        }
        return rows <= cols ? rowStrip : -colStrip;
    }

    @Test
    void thePlanFollowsTheDocumentedRuleOnRandomShapes() {
        Random rnd = new Random(2718);
        int[] seen = new int[3]; // no split, rows, columns
        for (MicroKernel kernel : kernels()) {
            for (int t = 0; t < 20_000; t++) {
                int limit = t % 4 == 0 ? 40 : 400;
                int m = 1 + rnd.nextInt(limit);
                int n = 1 + rnd.nextInt(limit);
                int k = 1 + rnd.nextInt(limit);
                int threads = 2 + rnd.nextInt(t % 3 == 0 ? 2 : 7);
                int nc = rnd.nextBoolean() ? KernelConfig.NC : 1 + rnd.nextInt(300);
                boolean force = rnd.nextInt(4) == 0;
                int plan = plan(kernel, threads, force, nc, m, n, k);
                String what = kernel.describe() + " threads=" + threads + " force=" + force + " nc=" + nc
                        + " m=" + m + " n=" + n + " k=" + k;
                assertEquals(expectedPlan(kernel, threads, force, nc, m, n, k), plan, what);
                seen[plan == 0 ? 0 : plan > 0 ? 1 : 2]++;
                if (plan != 0) {
                    int len = plan > 0 ? m : n;
                    int strip = Math.abs(plan);
                    int parts = (len + strip - 1) / strip;
                    assertTrue(parts >= 2 && parts <= threads, what + ": " + parts + " strips");
                    assertEquals(0, strip % (plan > 0 ? kernel.mr : kernel.nr), what + ": whole tiles");
                }
            }
        }
        for (int s : seen) {
            assertTrue(s > 1000, "every outcome is exercised: " + java.util.Arrays.toString(seen));
        }
    }

    @Test
    void tallProductsAreSplitByRowsAndWideOnesByColumns() {
        for (MicroKernel kernel : kernels()) {
            int mr = kernel.mr;
            int nr = kernel.nr;
            // Tall: 2 threads, m = 400 rows -> two strips of 200 rounded up to whole tiles.
            assertEquals(BlockedGemm.roundUp(200, mr), plan(kernel, 2, false, KernelConfig.NC, 400, 64, 256),
                    kernel.describe());
            // Wide and short (m below two tiles): columns.
            assertEquals(-BlockedGemm.roundUp(500, nr), plan(kernel, 2, false, KernelConfig.NC, mr, 1000, 256),
                    kernel.describe());
            // Three threads on 12 tiles of rows: 3 strips of 4 tiles.
            assertEquals(4 * mr, plan(kernel, 3, false, KernelConfig.NC, 12 * mr, 64, 512), kernel.describe());
        }
    }

    @Test
    void aTieGoesToRowsWhichShareTheBPanel() {
        MicroKernel k = Kernels.scalar(); // square 4×4 tiles: a square product costs the same either way
        for (int size : new int[] {64, 96, 200, 256}) {
            double rows = Gemm.Split.cost(k, size / 2, size, size, KernelConfig.NC);
            double cols = Gemm.Split.cost(k, size, size / 2, size, KernelConfig.NC);
            assertEquals(rows, cols, 0.0, "the tie this test needs");
            assertEquals(size / 2, plan(k, 2, false, KernelConfig.NC, size, size, size), "size " + size);
        }
    }

    @Test
    void forcingSplitsWheneverOneDimensionHasTwoTiles() {
        for (MicroKernel kernel : kernels()) {
            int mr = kernel.mr;
            int nr = kernel.nr;
            // Not worth splitting (tiny), but forced: still split.
            assertEquals(0, plan(kernel, 2, false, KernelConfig.NC, 2 * mr, nr, 1), kernel.describe());
            assertEquals(mr, plan(kernel, 2, true, KernelConfig.NC, 2 * mr, nr, 1), kernel.describe());
            assertEquals(-nr, plan(kernel, 2, true, KernelConfig.NC, mr, 2 * nr, 1), kernel.describe());
            // One tile each way: nothing to split, even forced.
            assertEquals(0, plan(kernel, 2, true, KernelConfig.NC, mr, nr, 1000), kernel.describe());
            assertEquals(0, plan(kernel, 8, true, KernelConfig.NC, 1, 1, 1), kernel.describe());
        }
    }

    @Test
    void aSplitMustSaveMoreThanItsOverhead() {
        // Scan k for one 2-thread shape: the predicted saving grows with k, so the plan switches from "no
        // split" to "split" exactly where the documented rule says, and stays split.
        for (MicroKernel kernel : kernels()) {
            int m = 16 * kernel.mr;
            int n = 4 * kernel.nr;
            int firstSplit = -1;
            for (int k = 1; k <= 4000; k++) {
                int plan = plan(kernel, 2, false, KernelConfig.NC, m, n, k);
                int panel = BlockedGemm.balanced(n, KernelConfig.NC, kernel.nr);
                double single = Gemm.Split.cost(kernel, m, n, k, panel);
                double best = Math.min(Gemm.Split.cost(kernel, m / 2, n, k, panel),
                        Gemm.Split.cost(kernel, m, n / 2, k, panel));
                boolean worth = best + KernelConfig.SPLIT_OVERHEAD < KernelConfig.SPLIT_GAIN * single;
                assertEquals(worth, plan != 0, kernel.describe() + " k=" + k);
                if (plan != 0 && firstSplit < 0) {
                    firstSplit = k;
                }
                if (firstSplit > 0) {
                    assertTrue(plan != 0, kernel.describe() + ": split from k=" + firstSplit + " but not at k=" + k);
                }
            }
            assertTrue(firstSplit > 1, kernel.describe() + ": small k is not worth a split");
        }
    }
}
