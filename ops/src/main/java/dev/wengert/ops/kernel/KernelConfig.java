package dev.wengert.ops.kernel;

/**
 * Every tuning constant of the matmul kernels, in one place.
 *
 * <p>How they were chosen: sweeps of these values (through the {@code wengert.gemm.*} properties below and
 * an in-process harness that interleaves configurations, because the reference machine's timings drift by
 * up to 2× from one second to the next) and JMH ({@code dev.wengert.bench.BenchmarkMatMul}) on the
 * reference machine: a 2-vCPU AMD EPYC Zen 3 VM (AVX2 + FMA: 4 double lanes, 16 ymm registers; 32 KiB L1d,
 * 512 KiB L2 per core, 32 MiB shared L3), JDK 17 and 25. Within the noise, kc 128–384, mc 48–768 and
 * nc 192–2048 were all within ±5% of each other at n = 256..1024; the values below were at or near the top
 * every time. Values for other machines (AVX-512, NEON) are not measured, only derived; they are correct for
 * any lane count, just possibly not optimal.
 *
 * <p>The block sizes and thresholds can be overridden with system properties (read once, at class
 * initialisation) to re-tune on another machine without recompiling: {@code wengert.gemm.kc},
 * {@code wengert.gemm.mc}, {@code wengert.gemm.nc}, {@code wengert.gemm.smallFlops},
 * {@code wengert.gemm.parallelFlops}; {@code wengert.gemm.tile} picks the vector micro-kernel shape
 * (see {@code VectorMicroKernels.create}).
 */
final class KernelConfig {

    private KernelConfig() {
    }

    /**
     * Depth of a packed block (the k extent of one pass). The A sliver the micro-kernel keeps in L1 is
     * MR×kc×8 = 12 KiB (6×256); the B sliver streamed against it another 16 KiB. Larger kc amortises the
     * load/store of each C tile over more FMAs; 128 measured ~5% slower, 384 the same as 256.
     */
    static final int KC = intProperty("wengert.gemm.kc", 256);

    /**
     * Rows of A packed at a time (rounded up to a multiple of MR): 96×256×8 = 192 KiB, L2-sized. In the
     * row-walking loop order only the current MR-row sliver has to be in L1, so this mostly bounds the
     * per-thread buffer; 48..768 measured the same.
     */
    static final int MC = intProperty("wengert.gemm.mc", 96);

    /**
     * Columns of B per packed panel (rounded up to a multiple of NR): up to 256×2048×8 = 4 MiB, L3-sized.
     * One panel for n ≤ 2048, so B is packed exactly once per k-block.
     */
    static final int NC = intProperty("wengert.gemm.nc", 2048);

    /**
     * Products with m·n·k below this use the plain loop: the packed kernel beats it from about 6×6×6 up
     * (at 8³: 2.4 vs 1.5 GFLOP/s; at 16³: 9 vs 2.3), below that the packing overhead dominates.
     */
    static final long SMALL_FLOPS = longProperty("wengert.gemm.smallFlops", 8L * 8 * 8);

    /**
     * When m or n is below this (matrix-vector and other very skinny products) the simple loop is used: the
     * packed kernel would pad each tile with zeros to MR×NR and pack A or B for a single use.
     */
    static final int SKINNY = 4;

    /**
     * Products with m·n·k below this run on the calling thread only. (To be measured.)
     */
    static final long PARALLEL_FLOPS = longProperty("wengert.gemm.parallelFlops", 64L * 64 * 64);

    /**
     * A split is used only if the predicted time of its largest part plus this overhead (in multiply-add
     * lanes, see {@code Gemm.Split.cost}) is below SPLIT_GAIN times the single-thread prediction.
     */
    static final double SPLIT_OVERHEAD = 20_000;
    static final double SPLIT_GAIN = 0.9;

    /** Cost of packing one element, in multiply-add lanes, for the split model. */
    static final double PACK_WEIGHT = 6;

    /**
     * How long an idle worker, or a caller waiting for its workers, spins before parking. Long enough to
     * bridge the gaps between the products of one training step (elementwise work, the next layer), so
     * the worker is awake for the next one: at 100 µs the 784-100-10 step at batch 64 on two threads took
     * 1.43 ms (median, in-process), at 300 µs 0.83 ms; waking a parked worker costs tens of microseconds on
     * a VM. The price is up to this much CPU burnt by each worker after its last product.
     */
    static final long SPIN_NANOS = longProperty("wengert.gemm.spinNanos", 300_000L);

    /** Workers idle for this long exit, releasing their packing buffers. */
    static final long IDLE_EXIT_NANOS = 60_000_000_000L;

    /** Micro-tile of the plain-Java fallback kernel: 4×4 = 16 scalar accumulators. */
    static final int SCALAR_MR = 4;
    static final int SCALAR_NR = 4;

    private static int intProperty(String name, int def) {
        long v = longProperty(name, def);
        if (v < 1 || v > (1 << 20)) {
            return def;
        }
        return (int) v;
    }

    private static long longProperty(String name, long def) {
        String s;
        try {
            s = System.getProperty(name);
        } catch (SecurityException e) {
            return def;
        }
        if (s == null || s.isBlank()) {
            return def;
        }
        try {
            long v = Long.parseLong(s.trim());
            return v < 0 ? def : v;
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
