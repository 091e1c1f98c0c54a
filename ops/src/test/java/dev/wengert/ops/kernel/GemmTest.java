package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks every path of {@link Gemm} (simple loop, blocked vector kernel, blocked plain-Java kernel, both
 * threaded splits) against a naive triple loop, on shapes around every tile and block boundary, all four
 * transpose combinations, offsets, padded leading dimensions and the α/β special cases.
 *
 * <p>Tolerance: the kernels sum in a different order from the reference, so each element is allowed
 * {@code 1e-12 · (|α| Σ_p |A_ip||B_pj| + |β C_ij|)} plus a tiny absolute term: a reassociated sum of k ≤ 300
 * terms differs by at most about k·2⁻⁵³ times the sum of magnitudes.
 */
class GemmTest {

    private static final double REL = 1e-12;
    private static final double TINY = 1e-300;

    /**
     * The blocked kernels available in this JVM: always the fallback, plus, if the Vector API is usable,
     * every vector tile shape (the default one and the alternatives selectable by wengert.gemm.tile).
     */
    private static List<MicroKernel> kernels() {
        return KERNELS;
    }

    private static final List<MicroKernel> KERNELS = loadKernels();

    private static List<MicroKernel> loadKernels() {
        List<MicroKernel> ks = new ArrayList<>();
        ks.add(Kernels.scalar());
        if (Kernels.vector() != null) {
            ks.add(Kernels.vector());
            try {
                // Reflectively, like Kernels, so this class still loads where the module is absent.
                java.lang.reflect.Method create = Class.forName("dev.wengert.ops.kernel.VectorMicroKernels")
                        .getDeclaredMethod("create", String.class);
                for (String shape : new String[] {"4x3", "6x2", "8x3", "8x2"}) {
                    MicroKernel k = (MicroKernel) create.invoke(null, shape);
                    if (!k.describe().equals(Kernels.vector().describe())) {
                        ks.add(k);
                    }
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return ks;
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    // ---------------------------------------------------------------------------------------------------
    // One random case: data, reference, comparison.

    /** A random problem with padded storage; {@link #run} computes it and {@link #check} verifies it. */
    static final class Case {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final double alpha;
        final double beta;
        final double[] a;
        final int aOff;
        final int lda;
        final double[] b;
        final int bOff;
        final int ldb;
        final double[] c0;
        final int cOff;
        final int ldc;
        final double[] c;

        Case(Random rnd, boolean transA, boolean transB, int m, int n, int k, double alpha, double beta,
             boolean padded) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            aOff = padded ? rnd.nextInt(5) : 0;
            lda = aCols + (padded ? rnd.nextInt(4) : 0);
            bOff = padded ? rnd.nextInt(5) : 0;
            ldb = bCols + (padded ? rnd.nextInt(4) : 0);
            cOff = padded ? rnd.nextInt(5) : 0;
            ldc = n + (padded ? rnd.nextInt(4) : 0);
            a = filled(rnd, aOff + aRows * lda + (padded ? rnd.nextInt(3) : 0));
            b = filled(rnd, bOff + bRows * ldb + (padded ? rnd.nextInt(3) : 0));
            c0 = filled(rnd, cOff + m * ldc + (padded ? rnd.nextInt(3) : 0));
            if (beta == 0) {
                // beta == 0 must overwrite C without reading it: NaN there must not leak into the result.
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c0[cOff + i * ldc + j] = Double.NaN;
                    }
                }
            }
            // Elements outside the m×n window are sentinels that must survive untouched.
            for (int x = 0; x < c0.length; x++) {
                if (!inWindow(x)) {
                    c0[x] = (x % 2 == 0) ? Double.NaN : -777.0 - x;
                }
            }
            c = c0.clone();
        }

        private static double[] filled(Random rnd, int len) {
            double[] x = new double[len];
            for (int i = 0; i < len; i++) {
                x[i] = rnd.nextInt(8) == 0 ? rnd.nextInt(5) - 2 : rnd.nextDouble() * 2 - 1;
            }
            return x;
        }

        boolean inWindow(int x) {
            int rel = x - cOff;
            if (rel < 0 || m == 0 || n == 0) {
                return false;
            }
            int i = rel / ldc;
            int j = rel % ldc;
            return i < m && j < n;
        }

        double opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        void run(MicroKernel kernel, int threads, Gemm.Mode mode, int mc, int kc, int nc) {
            Gemm.gemm(kernel, threads, mode, mc, kc, nc, transA, transB, m, n, k,
                    alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        void runPublic() {
            Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        /** Compares {@link #c} with the naive triple loop; returns null or a description of the first error. */
        String check() {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        double t = opA(i, p) * opB(p, j);
                        sum += t;
                        mag += Math.abs(t);
                    }
                    int x = cOff + i * ldc + j;
                    double expected = alpha * sum;
                    double bound = REL * Math.abs(alpha) * mag + TINY;
                    if (alpha == 0) {
                        expected = 0; // BLAS: A and B are not referenced when alpha == 0
                    }
                    if (beta != 0) {
                        expected += beta * c0[x];
                        bound += REL * Math.abs(beta * c0[x]);
                    }
                    double got = c[x];
                    if (!(Math.abs(got - expected) <= bound)) {
                        return "C[" + i + "][" + j + "] = " + got + ", expected " + expected + " ± " + bound;
                    }
                }
            }
            for (int x = 0; x < c.length; x++) {
                if (!inWindow(x) && Double.doubleToRawLongBits(c[x]) != Double.doubleToRawLongBits(c0[x])) {
                    return "element " + x + " outside the m×n window was written";
                }
            }
            double[] exact = canonical();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int x = cOff + i * ldc + j;
                    if (Double.doubleToLongBits(c[x]) != Double.doubleToLongBits(exact[x])) {
                        return "C[" + i + "][" + j + "] = " + c[x] + " but the canonical order of operations gives "
                                + exact[x] + " (" + Math.abs(c[x] - exact[x]) / Math.ulp(exact[x]) + " ulp)";
                    }
                }
            }
            return null;
        }

        /**
         * The one result every path must give, bit for bit: {@code acc = β·C} (0 when β = 0, C itself when
         * β = 1), then {@code acc = fma(α·A[i][p], B[p][j], acc)} for p = 0, 1, ..., k-1 in order.
         */
        double[] canonical() {
            double[] out = c0.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int x = cOff + i * ldc + j;
                    double acc = beta == 0 ? 0.0 : beta == 1 ? c0[x] : beta * c0[x];
                    if (alpha != 0) {
                        for (int p = 0; p < k; p++) acc = Math.fma(alpha * opA(i, p), opB(p, j), acc);
                    }
                    out[x] = acc;
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "gemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", alpha=" + alpha + ", beta=" + beta + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff
                    + ", ldb=" + ldb + ", cOff=" + cOff + ", ldc=" + ldc + ")";
        }
    }

    private static final double[] ALPHAS = {1.0, -1.0, 0.5, 2.75, 0.0};
    private static final double[] BETAS = {0.0, 1.0, -1.0, 0.3};

    private static double pick(Random rnd, double[] values) {
        return rnd.nextInt(4) == 0 ? rnd.nextDouble() * 4 - 2 : values[rnd.nextInt(values.length)];
    }

    private static void assertCase(Case cs, String path) {
        String err = cs.check();
        if (err != null) {
            throw new AssertionError(path + " " + cs + ": " + err);
        }
    }

    /** Runs one random case through every kernel and mode; used by the properties and the child-JVM check. */
    static void checkAllPaths(Random rnd, int m, int n, int k, int mc, int kc, int nc) {
        boolean transA = rnd.nextBoolean();
        boolean transB = rnd.nextBoolean();
        double alpha = pick(rnd, ALPHAS);
        double beta = pick(rnd, BETAS);
        long seed = rnd.nextLong();
        for (MicroKernel kernel : kernels()) {
            for (Gemm.Mode mode : Gemm.Mode.values()) {
                Case cs = new Case(new Random(seed), transA, transB, m, n, k, alpha, beta, true);
                cs.run(kernel, 2, mode, mc, kc, nc);
                assertCase(cs, kernel.describe() + " " + mode + " mc=" + mc + " kc=" + kc + " nc=" + nc);
            }
        }
    }

    /**
     * The bits of C do not depend on the kernel (vector tiles or the plain-Java fallback), the algorithm
     * (simple loop or blocked), the thread count or the block sizes: Gemm may be re-tuned freely without
     * changing any result.
     */
    @Test
    void sameBitsWhateverKernelThreadsOrBlocking() {
        Random rnd = new Random(99);
        int[][] blockings = {{KernelConfig.MC, KernelConfig.KC, KernelConfig.NC}, {1, 1, 1}, {7, 3, 5}, {16, 64, 24},
            {96, 13, 2048}, {500, 1000, 4000}};
        for (int t = 0; t < 40; t++) {
            int m = 1 + rnd.nextInt(t < 30 ? 40 : 200);
            int n = 1 + rnd.nextInt(t < 30 ? 40 : 200);
            int k = 1 + rnd.nextInt(t < 30 ? 40 : 600);
            boolean transA = rnd.nextBoolean();
            boolean transB = rnd.nextBoolean();
            double alpha = pick(rnd, ALPHAS);
            double beta = pick(rnd, BETAS);
            long seed = rnd.nextLong();
            for (MicroKernel kernel : kernels()) {
                for (Gemm.Mode mode : Gemm.Mode.values()) {
                    for (int threads = 1; threads <= 3; threads++) {
                        int[] blk = blockings[rnd.nextInt(blockings.length)];
                        Case cs = new Case(new Random(seed), transA, transB, m, n, k, alpha, beta, true);
                        cs.run(kernel, threads, mode, blk[0], blk[1], blk[2]);
                        assertCase(cs, kernel.describe() + " " + mode + " threads=" + threads + " mc=" + blk[0]
                                + " kc=" + blk[1] + " nc=" + blk[2]);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Shapes

    /** Sizes around the tile sizes (4, 6, 8, 12, 24) and primes. */
    private static final int[] EDGE_SIZES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 23, 24, 25, 31, 37};

    @Test
    void allPathsOnEdgeShapes() {
        Random rnd = new Random(1);
        for (int m : EDGE_SIZES) {
            for (int n : EDGE_SIZES) {
                int k = EDGE_SIZES[rnd.nextInt(EDGE_SIZES.length)];
                checkAllPaths(rnd, m, n, k, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void allTransposeCombinationsAndScalars(int trans) {
        boolean transA = (trans & 1) != 0;
        boolean transB = (trans & 2) != 0;
        Random rnd = new Random(100 + trans);
        int[][] shapes = {{29, 31, 37}, {64, 64, 64}, {67, 13, 101}, {5, 70, 9}, {130, 9, 257}, {1, 1, 1}};
        for (int[] s : shapes) {
            for (double alpha : ALPHAS) {
                for (double beta : BETAS) {
                    for (MicroKernel kernel : kernels()) {
                        for (Gemm.Mode mode : Gemm.Mode.values()) {
                            Case cs = new Case(rnd, transA, transB, s[0], s[1], s[2], alpha, beta, true);
                            cs.run(kernel, 2, mode, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
                            assertCase(cs, kernel.describe() + " " + mode);
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 40, seed = "20240601")
    void randomShapesUpTo300(@ForAll @IntRange(min = 0, max = 300) int m,
                             @ForAll @IntRange(min = 0, max = 300) int n,
                             @ForAll @IntRange(min = 0, max = 300) int k,
                             @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        checkAllPaths(new Random(seed), m, n, k, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
    }

    /** Tiny block sizes put block boundaries (kc, mc, nc) inside small products, in every combination. */
    @Property(tries = 500, seed = "77", edgeCases = EdgeCasesMode.NONE)
    void smallBlockSizesExerciseEveryBoundary(@ForAll @IntRange(min = 1, max = 45) int m,
                                              @ForAll @IntRange(min = 1, max = 45) int n,
                                              @ForAll @IntRange(min = 1, max = 45) int k,
                                              @ForAll @IntRange(min = 1, max = 30) int mc,
                                              @ForAll @IntRange(min = 1, max = 20) int kc,
                                              @ForAll @IntRange(min = 1, max = 40) int nc,
                                              @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        checkAllPaths(new Random(seed), m, n, k, mc, kc, nc);
    }

    /** The degenerate block sizes (1, and one off the tile sizes) deterministically, on a few shapes. */
    @Test
    void degenerateBlockSizes() {
        Random rnd = new Random(5);
        int[][] shapes = {{1, 1, 1}, {13, 17, 9}, {6, 8, 4}, {25, 26, 27}};
        for (int mc : new int[] {1, 3, 5, 6, 7, 12, 13}) {
            for (int kc : new int[] {1, 2, 3, 7}) {
                for (int nc : new int[] {1, 4, 7, 8, 9, 12, 17, 24, 25}) {
                    int[] s = shapes[rnd.nextInt(shapes.length)];
                    checkAllPaths(rnd, s[0], s[1], s[2], mc, kc, nc);
                }
            }
        }
    }

    @Test
    void publicEntryPointOnRandomShapes() {
        Random rnd = new Random(7);
        for (int t = 0; t < 60; t++) {
            int m = rnd.nextInt(150);
            int n = rnd.nextInt(150);
            int k = rnd.nextInt(150);
            Case cs = new Case(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, pick(rnd, ALPHAS),
                    pick(rnd, BETAS), rnd.nextBoolean());
            cs.runPublic();
            assertCase(cs, "Gemm.gemm " + Gemm.implementation());
        }
    }

    @Test
    void threadCappedEntryPointMatchesAndRejectsNonPositiveCap() {
        Random rnd = new Random(11);
        // 65 x 64 x 6208 is above the threading threshold: the cap decides how it is split.
        for (int cap : new int[] {1, 2, 3}) {
            double[] a = new double[65 * 64];
            double[] b = new double[64 * 6208];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
            double[] capped = new double[65 * 6208];
            double[] plain = new double[65 * 6208];
            Gemm.gemm(cap, false, false, 65, 6208, 64, 1.0, a, 0, 64, b, 0, 6208, 0.0, capped, 0, 6208);
            Gemm.gemm(false, false, 65, 6208, 64, 1.0, a, 0, 64, b, 0, 6208, 0.0, plain, 0, 6208);
            for (int i = 0; i < plain.length; i += 997) {
                double ref = 0;
                int r = i / 6208;
                int c = i % 6208;
                for (int q = 0; q < 64; q++) ref += a[r * 64 + q] * b[q * 6208 + c];
                assertEquals(ref, capped[i], 1e-12 * 64, "cap " + cap + ", element " + i);
            }
            for (int i = 0; i < plain.length; i++) assertEquals(plain[i], capped[i], 1e-12, "cap " + cap + " vs uncapped");
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(0, false, false, 1, 1, 1, 1.0, new double[1], 0, 1, new double[1], 0, 1, 0.0, new double[1], 0, 1));
        assertTrue(e.getMessage().contains("maxThreads") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void betaZeroOverwritesNaNAndKZeroScales() {
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {1, 0, 0, 1, 1, 1};
        double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Gemm.gemm(false, false, 2, 2, 3, 1.0, a, 0, 3, b, 0, 2, 0.0, c, 0, 2);
        assertArrayEquals(new double[] {4, 5, 10, 11}, c);
        // k == 0: C = beta*C, A and B not read.
        double[] c2 = {1, 2, 3, 4};
        Gemm.gemm(false, false, 2, 2, 0, 1.0, new double[0], 0, 0, new double[0], 0, 2, 2.0, c2, 0, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, c2);
        double[] c3 = {Double.NaN, 1, 2, Double.POSITIVE_INFINITY};
        Gemm.gemm(true, true, 2, 2, 0, 1.0, new double[0], 0, 2, new double[0], 0, 0, 0.0, c3, 0, 2);
        assertArrayEquals(new double[] {0, 0, 0, 0}, c3);
        // m or n == 0: nothing happens at all.
        double[] c4 = {Double.NaN};
        Gemm.gemm(false, false, 0, 1, 3, 1.0, new double[0], 0, 3, new double[3], 0, 1, 0.0, c4, 0, 1);
        Gemm.gemm(false, false, 1, 0, 3, 1.0, new double[3], 0, 3, new double[0], 0, 0, 0.0, c4, 0, 0);
        assertTrue(Double.isNaN(c4[0]));
    }

    @Test
    void matmulMatchesReference() {
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{0, 3, 4}, {3, 0, 4}, {1, 1, 1}, {7, 5, 3}, {64, 80, 96}, {150, 131, 70}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            Case cs = new Case(rnd, false, false, m, n, k, 1.0, 0.0, false);
            double[] c = Gemm.matmul(cs.a, cs.b, m, k, n);
            System.arraycopy(c, 0, cs.c, 0, c.length);
            assertEquals(m * n, c.length);
            assertCase(cs, "matmul");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Threads

    @Test
    void threadedPathAboveTheThresholdMatches() {
        Random rnd = new Random(11);
        // Tall (row split, shared B panel) and short-wide (column split), both above PARALLEL_FLOPS,
        // plus k > KC so several shared panels are packed.
        int[][] shapes = {{170, 150, 300}, {40, 700, 120}, {257, 263, 269}};
        for (int[] s : shapes) {
            assertTrue((long) s[0] * s[1] * s[2] >= KernelConfig.PARALLEL_FLOPS);
            for (MicroKernel kernel : kernels()) {
                for (int trans = 0; trans < 4; trans++) {
                    Case cs = new Case(rnd, (trans & 1) != 0, (trans & 2) != 0, s[0], s[1], s[2],
                            pick(rnd, ALPHAS), pick(rnd, BETAS), true);
                    cs.run(kernel, 2, Gemm.Mode.AUTO, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
                    assertCase(cs, kernel.describe() + " threads=2");
                    Case c3 = new Case(rnd, (trans & 1) != 0, (trans & 2) != 0, s[0], s[1], s[2],
                            pick(rnd, ALPHAS), pick(rnd, BETAS), true);
                    c3.run(kernel, 3, Gemm.Mode.AUTO, KernelConfig.MC, 100, 64);
                    assertCase(c3, kernel.describe() + " threads=3 kc=100 nc=64");
                }
            }
        }
    }

    @Test
    void setThreadsDrivesThePublicPath() {
        int saved = Gemm.threads();
        try {
            Gemm.setThreads(2);
            assertEquals(2, Gemm.threads());
            assertTrue(Gemm.implementation().endsWith("2 threads"), Gemm.implementation());
            Random rnd = new Random(12);
            Case cs = new Case(rnd, false, true, 200, 190, 180, 1.0, 0.0, true);
            cs.runPublic();
            assertCase(cs, "public, 2 threads");
            Gemm.setThreads(1);
            assertTrue(Gemm.implementation().endsWith("1 thread"), Gemm.implementation());
            Case cs1 = new Case(rnd, true, false, 200, 190, 180, -1.0, 0.5, true);
            cs1.runPublic();
            assertCase(cs1, "public, 1 thread");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.setThreads(0));
            assertTrue(e.getMessage().contains("0"), e.getMessage());
        } finally {
            Gemm.setThreads(saved);
        }
    }

    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        Thread[] ts = new Thread[4];
        String[] errors = new String[ts.length];
        for (int t = 0; t < ts.length; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                Random rnd = new Random(500 + id);
                for (int r = 0; r < 6; r++) {
                    Case cs = new Case(rnd, rnd.nextBoolean(), rnd.nextBoolean(), 100 + rnd.nextInt(80),
                            100 + rnd.nextInt(80), 100 + rnd.nextInt(200), 1.0, 0.0, true);
                    cs.run(Kernels.active(), 2, Gemm.Mode.AUTO, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC);
                    String err = cs.check();
                    if (err != null) {
                        errors[id] = cs + ": " + err;
                        return;
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        for (String e : errors) {
            assertEquals(null, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Implementation selection and allocation

    @Test
    void implementationReportsTheActiveKernel() {
        String impl = Gemm.implementation();
        assertNotNull(impl);
        boolean disabled = "false".equalsIgnoreCase(System.getProperty("wengert.vector"));
        if (vectorModulePresent() && !disabled) {
            assertNotNull(Kernels.vector(), String.valueOf(Kernels.vectorUnavailableReason()));
            assertTrue(impl.startsWith("vector("), impl);
        } else {
            assertTrue(impl.startsWith("scalar fallback"), impl);
        }
        assertTrue(Kernels.scalar().describe().startsWith("scalar fallback"));
    }

    @Test
    void steadyStateCallsDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(tb.isThreadAllocatedMemorySupported() && tb.isThreadAllocatedMemoryEnabled());
        int n = 48;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        java.util.Arrays.fill(a, 0.5);
        java.util.Arrays.fill(b, 0.25);
        long tid = Thread.currentThread().getId();
        for (MicroKernel kernel : kernels()) {
            // Warm up until C2 has compiled the kernel (the interpreter boxes every vector), bounded in time.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int quiet = 0;
            while (quiet < 3 && System.nanoTime() < deadline) {
                long before = tb.getThreadAllocatedBytes(tid);
                Gemm.gemm(kernel, 1, Gemm.Mode.AUTO, false, true, n, n, n, 1.0, a, 0, n, b, 0, n, 1.0, c, 0, n);
                quiet = tb.getThreadAllocatedBytes(tid) - before == 0 ? quiet + 1 : 0;
            }
            long before = tb.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 5; i++) {
                Gemm.gemm(kernel, 1, Gemm.Mode.AUTO, false, true, n, n, n, 1.0, a, 0, n, b, 0, n, 1.0, c, 0, n);
            }
            long allocated = tb.getThreadAllocatedBytes(tid) - before;
            assertEquals(0, allocated, kernel.describe() + " allocated " + allocated + " bytes in 5 calls");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Argument validation

    private static IllegalArgumentException gemmFails(boolean tA, boolean tB, int m, int n, int k,
                                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                                      double[] c, int cOff, int ldc) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(tA, tB, m, n, k, 1.0, a, aOff, lda, b, bOff, ldb, 0.0, c, cOff, ldc));
        assertTrue(e.getMessage().contains("gemm"), e.getMessage());
        return e;
    }

    @Test
    void invalidArgumentsAreRejectedWithTheOffendingValues() {
        double[] a6 = new double[6];
        double[] b6 = new double[6];
        double[] c4 = new double[4];
        // 2x3 times 3x2 is valid:
        Gemm.gemm(false, false, 2, 2, 3, 1.0, a6, 0, 3, b6, 0, 2, 0.0, c4, 0, 2);

        assertTrue(gemmFails(false, false, -1, 2, 3, a6, 0, 3, b6, 0, 2, c4, 0, 2).getMessage().contains("m=-1"));
        assertTrue(gemmFails(false, false, 2, -2, 3, a6, 0, 3, b6, 0, 2, c4, 0, 2).getMessage().contains("n=-2"));
        assertTrue(gemmFails(false, false, 2, 2, -3, a6, 0, 3, b6, 0, 2, c4, 0, 2).getMessage().contains("k=-3"));
        assertTrue(gemmFails(false, false, 2, 2, 3, a6, -1, 3, b6, 0, 2, c4, 0, 2).getMessage().contains("aOff=-1"));
        assertTrue(gemmFails(false, false, 2, 2, 3, a6, 0, 2, b6, 0, 2, c4, 0, 2).getMessage().contains("lda=2"));
        assertTrue(gemmFails(false, false, 2, 2, 3, a6, 0, 3, b6, 0, 1, c4, 0, 2).getMessage().contains("ldb=1"));
        assertTrue(gemmFails(false, false, 2, 2, 3, a6, 0, 3, b6, 0, 2, c4, 0, 1).getMessage().contains("ldc=1"));
        // Too short for the offset / leading dimension:
        IllegalArgumentException e = gemmFails(false, false, 2, 2, 3, a6, 1, 3, b6, 0, 2, c4, 0, 2);
        assertTrue(e.getMessage().contains("a.length=6") && e.getMessage().contains("aOff=1"), e.getMessage());
        e = gemmFails(false, false, 2, 2, 3, a6, 0, 4, b6, 0, 2, c4, 0, 2);
        assertTrue(e.getMessage().contains("lda=4"), e.getMessage());
        e = gemmFails(false, false, 2, 2, 3, a6, 0, 3, b6, 0, 2, c4, 1, 2);
        assertTrue(e.getMessage().contains("c.length=4") && e.getMessage().contains("cOff=1"), e.getMessage());
        e = gemmFails(false, false, 2, 2, 3, a6, 0, 3, new double[5], 0, 2, c4, 0, 2);
        assertTrue(e.getMessage().contains("b.length=5"), e.getMessage());
        // Transposed layouts: A stored 3x2 needs lda >= m = 2, B stored 2x3 needs ldb >= k = 3.
        Gemm.gemm(true, true, 2, 2, 3, 1.0, a6, 0, 2, b6, 0, 3, 0.0, c4, 0, 2);
        assertTrue(gemmFails(true, false, 2, 2, 3, a6, 0, 1, b6, 0, 2, c4, 0, 2).getMessage().contains("lda=1"));
        assertTrue(gemmFails(false, true, 2, 2, 3, a6, 0, 3, b6, 0, 2, c4, 0, 2).getMessage().contains("ldb=2"));
        // Huge values must not overflow into a false "fits".
        e = gemmFails(false, false, 2, 2, 3, a6, Integer.MAX_VALUE, 3, b6, 0, 2, c4, 0, 2);
        assertTrue(e.getMessage().contains("a.length"), e.getMessage());
        e = gemmFails(false, false, 2, 2, 3, a6, 0, Integer.MAX_VALUE, b6, 0, 2, c4, 0, 2);
        assertTrue(e.getMessage().contains("a.length"), e.getMessage());

        assertThrows(NullPointerException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, 1.0, null, 0, 3, b6, 0, 2, 0.0, c4, 0, 2));
    }

    @Test
    void matmulRejectsMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[5], new double[6], 2, 3, 2));
        // "Gemm.matmul: ..." names the class and method.
        assertTrue(e.getMessage().toLowerCase().contains("gemm") && e.getMessage().contains("a.length=5"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(new double[6], new double[7], 2, 3, 2));
        assertTrue(e.getMessage().contains("b.length=7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(new double[0], new double[0], -1, 0, 2));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------
    // Other lane counts and the fallback without the module, in child JVMs (the species and the module
    // layer are fixed per JVM).

    private static String runChild(List<String> jvmArgs) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GemmTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @ParameterizedTest
    @ValueSource(strings = {"64", "128", "512"})
    void otherLaneCountsInAChildJvm(String bits) throws Exception {
        assumeTrue(vectorModulePresent());
        String out = runChild(List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector.bits=" + bits));
        int lanes = Integer.parseInt(bits) / 64;
        assertTrue(out.contains("vector(" + lanes + " lanes"), out);
        assertTrue(out.contains("CHILD OK"), out);
    }

    @Test
    void fallbackWithoutTheModuleInAChildJvm() throws Exception {
        String out = runChild(List.of());
        assertTrue(out.contains("scalar fallback (jdk.incubator.vector not present"), out);
        assertTrue(out.contains("CHILD OK"), out);
        // The slowdown is said once, as a warning that names the flag.
        String notice = "Start the JVM with --add-modules=jdk.incubator.vector";
        assertEquals(1, out.split(java.util.regex.Pattern.quote(notice), -1).length - 1, out);
        assertTrue(out.contains("WARNING"), out);
    }

    @Test
    void vectorCanBeDisabledByPropertyInAChildJvm() throws Exception {
        String out = runChild(List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector=false"));
        assertTrue(out.contains("scalar fallback (disabled by -Dwengert.vector=false)"), out);
        assertTrue(out.contains("CHILD OK"), out);
        assertFalse(out.contains("Start the JVM with"), "a chosen fallback is not warned about: " + out);
    }

    /** Child-JVM entry point: checks every path on small shapes and prints the implementation. */
    public static void main(String[] args) {
        System.out.println("implementation: " + Gemm.implementation());
        Random rnd = new Random(2024);
        // Small shapes only: emulated (non-native) species are slow.
        for (int t = 0; t < 60; t++) {
            checkAllPaths(rnd, rnd.nextInt(40), rnd.nextInt(40), rnd.nextInt(40),
                    1 + rnd.nextInt(30), 1 + rnd.nextInt(20), 1 + rnd.nextInt(50));
        }
        Case cs = new Case(rnd, true, false, 60, 50, 40, 1.5, 0.0, true);
        cs.runPublic();
        assertCase(cs, "public");
        System.out.println("CHILD OK");
    }
}
