package dev.wengert.ops.kernel;

/**
 * Dense double-precision matrix multiply, BLAS {@code dgemm}-like, on row-major arrays.
 *
 * <p>{@link #gemm} computes <b>C = α·op(A)·op(B) + β·C</b> where op(A) is m×k, op(B) is k×n and C is m×n.
 * op(X) is X, or Xᵀ when the corresponding {@code trans} flag is set: with {@code transA} the array holds
 * A as a k×m matrix, with {@code transB} it holds B as an n×k matrix. Element (i, j) of a row-major matrix
 * stored at offset {@code off} with leading dimension (row stride) {@code ld} is {@code x[off + i*ld + j]}.
 *
 * <p>Implementation: products with m·n·k below a small threshold, or with m or n very small
 * (matrix-vector), use a simple loop. Larger ones use a packed, cache-blocked kernel with a register-tiled
 * micro-kernel on the incubating Vector API ({@code jdk.incubator.vector}) when the JVM was started with
 * {@code --add-modules=jdk.incubator.vector}, otherwise a plain-Java kernel with the same blocking. The
 * system property {@code wengert.vector=false} forces the plain-Java kernel. {@link #implementation()}
 * tells which one is active.
 *
 * <p>Reproducibility: every path gives the same bits. Each element of C is computed by one fixed sequence
 * of operations, {@code acc = β·C[i][j]} (0 when β = 0, without reading C; C[i][j] itself when β = 1), then
 * {@code acc = fma(α·op(A)[i][p], op(B)[p][j], acc)} for p = 0, 1, ..., k-1 in that order, each fused
 * multiply-add rounded once ({@link Math#fma}). Neither the kernel (vector of any width, or plain Java),
 * nor the simple or blocked algorithm, nor the block sizes, nor the thread count change that sequence; the
 * k blocks continue the accumulation in C rather than summing partial products. On a CPU without FMA
 * instructions the plain-Java kernel computes Math.fma in software: correct, but slow.
 *
 * <p>Threading: products with m·n·k of about 128³ and more are split across threads; smaller ones always
 * run on the calling thread, so they pay no hand-off cost. Tall products are split by rows of C (the
 * threads pack each shared panel of B together, then each multiplies its own rows); short wide ones by
 * columns. The calling thread takes one share and the others run on a small pool of daemon threads owned
 * by this class (created on first use; idle threads exit after a minute). The thread count defaults to
 * {@link Runtime#availableProcessors()}; it can be set with the system property {@code wengert.threads}
 * (read when this class is initialised) or with {@link #setThreads(int)}; 1 means everything runs on the
 * caller. {@code gemm} returns only when all of C is written. It is safe to call concurrently from several
 * threads as long as the calls do not write overlapping parts of C (each thread has its own packing
 * buffers).
 *
 * <p>Memory: each thread that runs the blocked kernel keeps its packing buffers (a few hundred KiB, up to
 * about 4 MiB for the caller's B panel) in a thread-local, so repeated calls do not allocate them again.
 */
public final class Gemm {

    private Gemm() {
    }

    private static volatile int threads = initialThreads();

    private static int initialThreads() {
        int def = Runtime.getRuntime().availableProcessors();
        String s = System.getProperty("wengert.threads");
        if (s != null && !s.isBlank()) {
            try {
                int t = Integer.parseInt(s.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return Math.max(1, def);
    }

    /**
     * Sets the number of threads used for large products (1 = single-threaded). Takes effect for calls
     * started afterwards.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gemm.setThreads: thread count must be >= 1, got " + n);
        }
        threads = n;
    }

    /**
     * The number of threads used for large products.
     *
     * @return the thread count ({@code wengert.threads}, {@link #setThreads}, or the processor count)
     */
    public static int threads() {
        return threads;
    }

    /**
     * The most doubles of packing buffers one thread keeps for products of any size: each thread's buffers
     * grow to the block sizes and are kept for reuse. For callers that budget memory (RTRL's memory guard).
     *
     * @return an upper bound on one thread's packing buffers, in doubles
     */
    public static long packingDoublesPerThread() {
        MicroKernel k = Kernels.active();
        long kc = Math.max(1, KernelConfig.KC);
        long mc = BlockedGemm.roundUp(Math.max(1, KernelConfig.MC), k.mr);
        long nc = BlockedGemm.roundUp(Math.max(KernelConfig.NC, k.nr), k.nr);
        return mc / k.mr * k.as * kc + kc * nc + (long) k.mr * k.nr;
    }

    /**
     * A short description of the active implementation, e.g. {@code "vector(4 lanes, 6x8 tile), 2 threads"}
     * or {@code "scalar fallback (jdk.incubator.vector not present ...), 1 thread"}.
     *
     * @return the kernel, its vector width and tile, the fallback reason if any, and the thread count
     */
    public static String implementation() {
        String reason = Kernels.fallbackReason();
        int t = threads;
        return Kernels.active().describe() + (reason == null ? "" : " (" + reason + ")")
                + ", " + t + (t == 1 ? " thread" : " threads");
    }

    /**
     * Returns a new m×n array C = A·B for row-major A (m×k, length m·k) and B (k×n, length k·n).
     *
     * @param a A, m×k row-major, not written
     * @param b B, k×n row-major, not written
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @return a new array of m·n elements, C row-major
     *
     * @throws IllegalArgumentException if a dimension is negative, an array length does not match, or m·n
     *                                  does not fit in an array
     * @throws NullPointerException     if an array is null
     */
    public static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        if (a == null || b == null) {
            throw new NullPointerException("Gemm.matmul: " + (a == null ? "a" : "b") + " is null");
        }
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException("Gemm.matmul: negative dimension m=" + m + ", k=" + k + ", n=" + n);
        }
        if ((long) m * k != a.length) {
            throw new IllegalArgumentException("Gemm.matmul: a.length=" + a.length + " but m*k=" + m + "*" + k
                    + "=" + (long) m * k);
        }
        if ((long) k * n != b.length) {
            throw new IllegalArgumentException("Gemm.matmul: b.length=" + b.length + " but k*n=" + k + "*" + n
                    + "=" + (long) k * n);
        }
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Gemm.matmul: result m*n=" + m + "*" + n + " is too large for an array");
        }
        double[] c = new double[m * n];
        gemm(false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, c, 0, n);
        return c;
    }

    /**
     * C = α·op(A)·op(B) + β·C, row-major (BLAS {@code dgemm} semantics).
     *
     * <ul>
     *   <li>op(A) is m×k: A is stored m×k ({@code transA == false}, {@code lda >= k}) or k×m
     *       ({@code transA == true}, {@code lda >= m}).</li>
     *   <li>op(B) is k×n: B is stored k×n ({@code transB == false}, {@code ldb >= n}) or n×k
     *       ({@code transB == true}, {@code ldb >= k}).</li>
     *   <li>C is m×n, stored with {@code ldc >= n}; only its m×n window is written.</li>
     * </ul>
     * If {@code beta == 0} C is not read, so whatever it held (NaN included) is overwritten. If {@code k == 0}
     * or {@code alpha == 0}, A and B are not read and C = β·C. If m or n is 0 nothing happens.
     * Large products are multi-threaded as described in the class comment; the call returns when C is
     * complete.
     *
     * @param transA whether A is stored transposed (k×m)
     * @param transB whether B is stored transposed (n×k)
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A), rows of op(B)
     * @param alpha  α
     * @param a      A's array, not written
     * @param aOff   where A starts in it
     * @param lda    A's row stride
     * @param b      B's array, not written
     * @param bOff   where B starts in it
     * @param ldb    B's row stride
     * @param beta   β (0: C is not read)
     * @param c      C's array, written in its m×n window only
     * @param cOff   where C starts in it
     * @param ldc    C's row stride
     * @throws IllegalArgumentException if a dimension, offset or leading dimension is negative, a leading
     *                                  dimension is smaller than its matrix's row length, or an array is too
     *                                  short for the given offset, leading dimension and shape
     * @throws NullPointerException     if an array is null
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int lda,
                            double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        gemm(Kernels.active().forColumns(n), threads, Mode.AUTO,
                transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double,
     * double[], int, int) gemm} on at most {@code maxThreads} threads (at most {@link #threads()} as well): for
     * callers that want a product kept on the calling thread ({@code maxThreads == 1}), for instance because
     * they run their own parallel sections. The size thresholds still decide whether it is split at all.
     *
     * @param maxThreads the most threads to use, at least 1
     * @param transA whether A is stored transposed (k×m)
     * @param transB whether B is stored transposed (n×k)
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A), rows of op(B)
     * @param alpha  α
     * @param a      A's array, not written
     * @param aOff   where A starts in it
     * @param lda    A's row stride
     * @param b      B's array, not written
     * @param bOff   where B starts in it
     * @param ldb    B's row stride
     * @param beta   β (0: C is not read)
     * @param c      C's array, written in its m×n window only
     * @param cOff   where C starts in it
     * @param ldc    C's row stride
     *
     * @throws IllegalArgumentException if {@code maxThreads < 1}, or as {@code gemm}
     */
    public static void gemm(int maxThreads, boolean transA, boolean transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int lda,
                            double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("gemm: maxThreads must be >= 1, got " + maxThreads);
        }
        gemm(Kernels.active().forColumns(n), Math.min(maxThreads, threads), Mode.AUTO,
                transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ---------------------------------------------------------------------------------------------------
    // Internals. Package-private so the tests can drive every path (kernel, threads, small vs blocked)
    // directly.

    /** Which algorithm to use; everything but AUTO is for tests. */
    enum Mode {
        /** Small loop, blocked, or blocked-and-threaded by the thresholds in {@link KernelConfig}. */
        AUTO,
        /** Always the simple loop. */
        SMALL,
        /** Always the blocked kernel; threads only above the parallel threshold. */
        BLOCKED,
        /** Always the blocked kernel, split across the given number of threads whenever m or n allows. */
        BLOCKED_PARALLEL
    }

    static void gemm(MicroKernel kernel, int nThreads, Mode mode,
                     boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        gemm(kernel, nThreads, mode, KernelConfig.MC, KernelConfig.KC, KernelConfig.NC,
                transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    static void gemm(MicroKernel kernel, int nThreads, Mode mode, int mc, int kc, int nc,
                     boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        validate(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        switch (path(mode, nThreads, m, n, k)) {
            case PATH_SIMPLE:
                simple(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                return;
            case PATH_SPLIT_MODEL:
                if (Split.run(kernel, nThreads, false, mc, kc, nc, transA, transB, m, n, k,
                        alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
                    return;
                }
                break;
            case PATH_SPLIT_FORCED:
                if (Split.run(kernel, nThreads, true, mc, kc, nc, transA, transB, m, n, k,
                        alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
                    return;
                }
                break;
            default:
                break;
        }
        BlockedGemm.gemm(kernel, mc, kc, nc, transA, transB, m, n, k,
                alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #path}: the simple loop. */
    static final int PATH_SIMPLE = 0;
    /** {@link #path}: the blocked kernel on the calling thread. */
    static final int PATH_BLOCKED = 1;
    /** {@link #path}: the blocked kernel, split across threads if {@link Split#plan} finds it worth it. */
    static final int PATH_SPLIT_MODEL = 2;
    /** {@link #path}: the blocked kernel, split across threads whenever m or n allows ({@link Mode#BLOCKED_PARALLEL}). */
    static final int PATH_SPLIT_FORCED = 3;

    /**
     * The path {@link #gemm} takes for a product with non-empty m, n, k and α ≠ 0 (a separate method so that
     * tests can pin the decision; every path gives the same bits): {@link #PATH_SIMPLE},
     * {@link #PATH_BLOCKED}, {@link #PATH_SPLIT_MODEL} or {@link #PATH_SPLIT_FORCED}.
     */
    static int path(Mode mode, int nThreads, int m, int n, int k) {
        if (usesSimpleLoop(mode, m, n, k)) {
            return PATH_SIMPLE;
        }
        if (!mayBeSplit(mode, nThreads, m, n, k)) {
            return PATH_BLOCKED;
        }
        return mode == Mode.BLOCKED_PARALLEL ? PATH_SPLIT_FORCED : PATH_SPLIT_MODEL;
    }

    /**
     * Whether a product with non-empty m, n, k takes the simple loop: always in {@link Mode#SMALL}; in
     * {@link Mode#AUTO} when m·n·k is below {@link KernelConfig#SMALL_FLOPS} or m or n is below
     * {@link KernelConfig#SKINNY}. (The decision of {@link #gemm}, separate so that tests can pin it.)
     */
    static boolean usesSimpleLoop(Mode mode, int m, int n, int k) {
        return mode == Mode.SMALL
                || (mode == Mode.AUTO && ((long) m * n * k < KernelConfig.SMALL_FLOPS
                || m < KernelConfig.SKINNY || n < KernelConfig.SKINNY));
    }

    /**
     * Whether a blocked product is offered to the split model ({@link Split#plan}) at all: only with more
     * than one thread, and then always in {@link Mode#BLOCKED_PARALLEL}, otherwise from m·n·k of
     * {@link KernelConfig#PARALLEL_FLOPS} on.
     */
    static boolean mayBeSplit(Mode mode, int nThreads, int m, int n, int k) {
        return nThreads > 1 && (mode == Mode.BLOCKED_PARALLEL || (long) m * n * k >= KernelConfig.PARALLEL_FLOPS);
    }

    private static void validate(boolean transA, boolean transB, int m, int n, int k,
                                 double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                 double[] c, int cOff, int ldc) {
        if (a == null || b == null || c == null) {
            throw new NullPointerException("Gemm.gemm: " + (a == null ? "a" : b == null ? "b" : "c") + " is null");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("Gemm.gemm: negative dimension m=" + m + ", n=" + n + ", k=" + k);
        }
        // Stored shapes (rows × cols) of A and B.
        checkMatrix("a", a, aOff, lda, transA ? k : m, transA ? m : k, transA ? "m" : "k");
        checkMatrix("b", b, bOff, ldb, transB ? n : k, transB ? k : n, transB ? "k" : "n");
        checkMatrix("c", c, cOff, ldc, m, n, "n");
    }

    private static void checkMatrix(String name, double[] x, int off, int ld, int rows, int cols, String colsName) {
        if (off < 0) {
            throw new IllegalArgumentException("Gemm.gemm: negative offset " + name + "Off=" + off);
        }
        if (ld < cols) {
            throw new IllegalArgumentException("Gemm.gemm: ld" + name + "=" + ld + " is smaller than the row length "
                    + colsName + "=" + cols + " of " + name);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > x.length) {
            throw new IllegalArgumentException("Gemm.gemm: " + name + ".length=" + x.length + " is too short for a "
                    + rows + "x" + cols + " matrix at " + name + "Off=" + off + " with ld" + name + "=" + ld
                    + " (needs " + end + ")");
        }
    }

    /** C = beta·C (beta == 0 stores zeros without reading C). */
    private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, ci, ci + n, 0.0);
            } else {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /**
     * The simple path for tiny and skinny products: no packing, no allocation. Each element of C goes
     * through the same operations as in the blocked kernels (β·C, then one fused multiply-add per k in
     * order). When op(B) has contiguous rows and C is wide enough, rows of C are updated with axpy loops
     * (which C2 auto-vectorises); otherwise four elements of a row of C (or of a column, when C has fewer
     * than four columns) are computed side by side, so their four chains of dependent multiply-adds overlap.
     */
    static void simple(boolean transA, boolean transB, int m, int n, int k,
                       double alpha, double[] a, int aOff, int lda,
                       double[] b, int bOff, int ldb,
                       double beta, double[] c, int cOff, int ldc) {
        // Element (i, p) of op(A) is a[aOff + i*ars + p*acs]; (p, j) of op(B) is b[bOff + p*brs + j*bcs].
        final int ars = transA ? 1 : lda;
        final int acs = transA ? lda : 1;
        final int brs = transB ? 1 : ldb;
        final int bcs = transB ? ldb : 1;
        scale(m, n, beta, c, cOff, ldc);
        switch (simpleLayout(transB, n)) {
            case SIMPLE_AXPY:
                axpyRows(m, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
                return;
            case SIMPLE_FOUR_ROWS:
                fourRows(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc);
                return;
            default:
                fourColumns(m, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** {@link #simpleLayout}: rows of C updated with axpy loops over contiguous rows of op(B). */
    static final int SIMPLE_AXPY = 0;
    /** {@link #simpleLayout}: fewer than four columns, so four rows of a column side by side. */
    static final int SIMPLE_FOUR_ROWS = 1;
    /** {@link #simpleLayout}: four columns of a row side by side. */
    static final int SIMPLE_FOUR_COLUMNS = 2;

    /**
     * How {@link #simple} walks C (all give the same bits): axpy loops when op(B) has contiguous rows
     * (not transposed) and C has at least {@link KernelConfig#SKINNY} columns, otherwise four elements side
     * by side, down a column when C has fewer than four columns, else along a row.
     */
    static int simpleLayout(boolean transB, int n) {
        if (!transB && n >= KernelConfig.SKINNY) {
            return SIMPLE_AXPY;
        }
        return n < 4 ? SIMPLE_FOUR_ROWS : SIMPLE_FOUR_COLUMNS;
    }

    private static void axpyRows(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                 double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                double aip = alpha * a[aOff + i * ars + p * acs];
                int bi = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bi + j], c[ci + j]);
                }
            }
        }
    }

    private static void fourRows(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                 double[] b, int bOff, int brs, int bcs, double[] c, int cOff, int ldc) {
        // A few columns: four rows side by side instead.
        for (int j = 0; j < n; j++) {
            int bj = bOff + j * bcs;
            int i = 0;
            for (; i + 3 < m; i += 4) {
                int a0 = aOff + i * ars;
                int c0 = cOff + i * ldc + j;
                double s0 = c[c0], s1 = c[c0 + ldc], s2 = c[c0 + 2 * ldc], s3 = c[c0 + 3 * ldc];
                for (int p = 0; p < k; p++) {
                    double bpj = b[bj + p * brs];
                    int ap = a0 + p * acs;
                    s0 = Math.fma(alpha * a[ap], bpj, s0);
                    s1 = Math.fma(alpha * a[ap + ars], bpj, s1);
                    s2 = Math.fma(alpha * a[ap + 2 * ars], bpj, s2);
                    s3 = Math.fma(alpha * a[ap + 3 * ars], bpj, s3);
                }
                c[c0] = s0;
                c[c0 + ldc] = s1;
                c[c0 + 2 * ldc] = s2;
                c[c0 + 3 * ldc] = s3;
            }
            for (; i < m; i++) {
                dot(k, alpha, a, aOff + i * ars, acs, b, bj, brs, c, cOff + i * ldc + j);
            }
        }
    }

    /**
     * Only for transposed B (see {@link #simpleLayout}): column j of op(B) is row j of B, so (p, j) is
     * {@code b[bOff + j*ldb + p]}.
     */
    private static void fourColumns(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                    double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                int bj = bOff + j * ldb;
                double s0 = c[ci + j], s1 = c[ci + j + 1], s2 = c[ci + j + 2], s3 = c[ci + j + 3];
                for (int p = 0; p < k; p++) {
                    double aip = alpha * a[ai + p * acs];
                    int bp = bj + p;
                    s0 = Math.fma(aip, b[bp], s0);
                    s1 = Math.fma(aip, b[bp + ldb], s1);
                    s2 = Math.fma(aip, b[bp + 2 * ldb], s2);
                    s3 = Math.fma(aip, b[bp + 3 * ldb], s3);
                }
                c[ci + j] = s0;
                c[ci + j + 1] = s1;
                c[ci + j + 2] = s2;
                c[ci + j + 3] = s3;
            }
            for (; j < n; j++) {
                dot(k, alpha, a, ai, acs, b, bOff + j * ldb, 1, c, ci + j);
            }
        }
    }

    /** {@code c[ci] = fma(α·a[ai + p·acs], b[bj + p·brs], c[ci])} for p = 0, 1, ..., k-1 in order. */
    private static void dot(int k, double alpha, double[] a, int ai, int acs, double[] b, int bj, int brs,
                            double[] c, int ci) {
        double s = c[ci];
        for (int p = 0; p < k; p++) {
            s = Math.fma(alpha * a[ai + p * acs], b[bj + p * brs], s);
        }
        c[ci] = s;
    }

    // ---------------------------------------------------------------------------------------------------
    // Threading

    /**
     * A product split into independent sub-products, one per thread: row strips (each thread packs all
     * of B and its own rows of A) or column strips (each packs all of A and its own columns of B),
     * whichever duplicates less packing and balances the tiles better. One hand-off per call: the
     * threads never wait for each other before the end. The split object is per calling thread and
     * reused, so splitting allocates nothing.
     */
    static final class Split implements Workers.Job {
        static final ThreadLocal<Split> SPLITS = ThreadLocal.withInitial(Split::new);

        MicroKernel kernel;
        int mc;
        int kc;
        int nc;
        boolean transA;
        boolean transB;
        int m;
        int n;
        int k;
        double alpha;
        double[] a;
        int aOff;
        int lda;
        double[] b;
        int bOff;
        int ldb;
        double beta;
        double[] c;
        int cOff;
        int ldc;
        boolean byRows;
        int chunk;
        int parts;

        /**
         * Splits and runs the product if that is predicted to be faster (always, if {@code force} and
         * some dimension allows); returns false if it was not run.
         */
        static boolean run(MicroKernel kernel, int nThreads, boolean force, int mc, int kc, int nc,
                           boolean transA, boolean transB, int m, int n, int k,
                           double alpha, double[] a, int aOff, int lda,
                           double[] b, int bOff, int ldb,
                           double beta, double[] c, int cOff, int ldc) {
            Split sp = SPLITS.get();
            if (!sp.plan(kernel, nThreads, force, nc, m, n, k)) {
                return false;
            }
            sp.set(kernel, mc, kc, nc, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            try {
                Workers.DEFAULT.run(sp, sp.parts, nThreads);
            } finally {
                sp.set(null, 0, 0, 0, false, false, 0, 0, 0, 0, null, 0, 0, null, 0, 0, 0, null, 0, 0);
            }
            return true;
        }

        /**
         * Decides the split {@link #run} makes: false for none (the product runs on the calling thread),
         * otherwise true with {@link #byRows} (row strips of C, or column strips), {@link #chunk} (rows or
         * columns per strip) and {@link #parts} (the number of strips) set. A strip is the smallest whole number of tiles (rows: MR, columns: NR) that gives at most
         * {@code nThreads} strips; a direction needs at least two strips. Rows are preferred when the
         * predicted times ({@link #cost}) of the largest strip tie. Unless {@code force}, the split is made
         * only if the largest strip plus {@link KernelConfig#SPLIT_OVERHEAD} is predicted to take less than
         * {@link KernelConfig#SPLIT_GAIN} times the whole product on one thread.
         */
        boolean plan(MicroKernel kernel, int nThreads, boolean force, int nc, int m, int n, int k) {
            final int mr = kernel.mr;
            final int nr = kernel.nr;
            final int ncR = BlockedGemm.balanced(n, Math.max(nc, nr), nr);
            int rowChunk = BlockedGemm.roundUp((m + nThreads - 1) / nThreads, mr);
            int colChunk = BlockedGemm.roundUp((n + nThreads - 1) / nThreads, nr);
            int rowParts = (m + rowChunk - 1) / rowChunk;
            int colParts = (n + colChunk - 1) / colChunk;
            double single = cost(kernel, m, n, k, ncR);
            double rows = rowParts >= 2 ? cost(kernel, rowChunk, n, k, ncR) : Double.MAX_VALUE;
            double cols = colParts >= 2 ? cost(kernel, m, colChunk, k, ncR) : Double.MAX_VALUE;
            boolean byRows = rows <= cols;
            double best = Math.min(rows, cols);
            if (best == Double.MAX_VALUE
                    || (!force && best + KernelConfig.SPLIT_OVERHEAD > single * KernelConfig.SPLIT_GAIN)) {
                return false;
            }
            this.byRows = byRows;
            this.chunk = byRows ? rowChunk : colChunk;
            this.parts = byRows ? rowParts : colParts;
            return true;
        }

        /**
         * Predicted time of one (sub-)product in multiply-add lanes: the padded tile work plus the packing
         * (A once per B panel, B once), weighted by {@link KernelConfig#PACK_WEIGHT}.
         */
        static double cost(MicroKernel kernel, int m, int n, int k, int nc) {
            double tiles = (double) BlockedGemm.roundUp(m, kernel.mr) * BlockedGemm.roundUp(n, kernel.nr) * k;
            int panels = (n + nc - 1) / nc;
            return tiles + KernelConfig.PACK_WEIGHT * (double) k * ((double) m * panels + n);
        }

        private void set(MicroKernel kernel, int mc, int kc, int nc, boolean transA, boolean transB,
                         int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                         double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
            this.kernel = kernel;
            this.mc = mc;
            this.kc = kc;
            this.nc = nc;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        @Override
        public void run(int part) {
            final int lo = part * chunk;
            if (byRows) {
                // Rows [lo, lo+len) of op(A) and C.
                final int len = Math.min(chunk, m - lo);
                BlockedGemm.gemm(kernel, mc, kc, nc, transA, transB, len, n, k, alpha,
                        a, aOff + (transA ? lo : lo * lda), lda, b, bOff, ldb, beta, c, cOff + lo * ldc, ldc);
            } else {
                // Columns [lo, lo+len) of op(B) and C.
                final int len = Math.min(chunk, n - lo);
                BlockedGemm.gemm(kernel, mc, kc, nc, transA, transB, m, len, k, alpha,
                        a, aOff, lda, b, bOff + (transB ? lo * ldb : lo), ldb, beta, c, cOff + lo, ldc);
            }
        }
    }
}
