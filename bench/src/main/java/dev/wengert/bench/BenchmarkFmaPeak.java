package dev.wengert.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's sustained float64 FMA throughput, the ceiling the matmul and RTRL targets are measured
 * against: {@link #CHAINS} independent accumulator chains of {@code acc = a.fma(b, acc)} on
 * {@code DoubleVector.SPECIES_PREFERRED}, nothing else in the loop (no loads, no stores).
 *
 * <p><b>Why {@value #CHAINS} chains.</b> Each chain is a serial dependency: its next FMA waits for the last
 * one's result, 4 cycles on current x86 cores (5 on some). With two FMA pipes, 4 × 2 = 8 FMAs must be in
 * flight to keep both busy every cycle, 10 at latency 5; 12 independent chains cover that with margin. More
 * would not fit: AVX2 has 16 vector registers, and 12 accumulators plus the two operands leave two spare,
 * so nothing is spilled to the stack (AVX-512 has 32).
 *
 * <p><b>Work per call.</b> Every call performs exactly {@link #FLOPS_PER_CALL} floating-point operations
 * (2 per lane per FMA), whatever the vector width and thread count: each of the {@code threads} threads
 * runs {@code FLOPS_PER_CALL / (2 · lanes · CHAINS · threads)} steps of the 12 FMAs. So
 * <b>GFLOP/s = FLOPS_PER_CALL / time per call</b> (time in ns), e.g. 4.03e8 flop in 8.4 ms is 48 GFLOP/s.
 *
 * <p><b>Two threads.</b> {@code threads} = 2 runs the loop on two threads concurrently inside one call: the
 * calling thread takes one share, a worker of a fixed pool (created once per trial) the other, and the call
 * returns when both are done. The reported time per call is then wall-clock time for the whole machine's
 * share of work, so FLOPS_PER_CALL / time is the aggregate throughput, including any imbalance between the
 * two and the hand-off (a few µs against milliseconds of work). JMH's {@code @Threads} was not used: it is a
 * run option, not a {@code @Param}, and in average-time mode it reports each thread's own time per call, so
 * the aggregate would have to be reconstructed by assuming the threads overlapped.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests verify -Djmh.args="BenchmarkFmaPeak"} from the project root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BenchmarkFmaPeak {
    /** Independent accumulator chains per thread (see the class comment for why this many). */
    public static final int CHAINS = 12;

    /**
     * Floating-point operations per call, all threads together: 2 per lane per FMA. 3 · 2²⁷ (about 4.0e8),
     * divisible by 2 · lanes · {@value #CHAINS} · threads for every power-of-two lane count up to 2¹⁶ and
     * thread count up to 2⁴.
     */
    public static final long FLOPS_PER_CALL = 3L << 27;

    /** Threads running the loop concurrently inside one call: 1 (one core's peak) or 2. */
    @Param({"1", "2"})
    public int threads;

    /** The multiplicand, read from a field so that the JIT cannot fold it. */
    public double a = 0.999_999;
    /** The multiplier. */
    public double b = 1.0e-6;

    int steps; // per thread; package-private so that a test can shorten the call
    private ExecutorService pool;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkFmaPeak() {}

    /**
     * The steps each thread runs, for a lane count and a thread count.
     *
     * @param lanes   the doubles per vector
     * @param threads the threads sharing one call
     * @return {@code FLOPS_PER_CALL / (2 · lanes · CHAINS · threads)}
     * @throws IllegalArgumentException when that does not divide exactly (the flop count would be wrong)
     */
    public static int stepsPerThread(int lanes, int threads) {
        long perStep = 2L * lanes * CHAINS * threads;
        if (lanes < 1 || threads < 1 || FLOPS_PER_CALL % perStep != 0) {
            throw new IllegalArgumentException("BenchmarkFmaPeak: " + FLOPS_PER_CALL + " flops do not split into "
                    + "steps of " + CHAINS + " FMAs of " + lanes + " lanes on " + threads + " threads");
        }
        return Math.toIntExact(FLOPS_PER_CALL / perStep);
    }

    /** Splits the work and starts the pool of {@code threads − 1} workers. */
    @Setup(Level.Trial)
    public void setup() {
        steps = stepsPerThread(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length(), threads);
        if (threads > 1) {
            pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "fma-peak");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Stops the workers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) pool.shutdownNow();
    }

    /**
     * {@link #FLOPS_PER_CALL} flops, shared by {@link #threads} threads.
     *
     * @return the sum of all accumulators, so that the work is consumed
     * @throws InterruptedException when interrupted while waiting for a worker
     * @throws ExecutionException   when a worker fails
     */
    @Benchmark
    public double fma() throws InterruptedException, ExecutionException {
        if (threads == 1) return chains(a, b, steps);
        @SuppressWarnings("unchecked")
        Future<Double>[] others = new Future[threads - 1];
        double x = a;
        double y = b;
        int s = steps;
        for (int i = 0; i < others.length; i++) others[i] = pool.submit(() -> chains(x, y, s));
        double sum = chains(a, b, steps);
        for (Future<Double> f : others) sum += f.get();
        return sum;
    }

    /** {@code steps} rounds of {@value #CHAINS} independent FMAs; the sum of the accumulators' lanes. */
    static double chains(double a, double b, int steps) {
        // The vector types appear only inside method bodies, named in full: javadoc does not look there, so
        // this module's javadoc needs no --add-modules (which would add the incubating-module warning).
        var s = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
        var va = jdk.incubator.vector.DoubleVector.broadcast(s, a);
        var vb = jdk.incubator.vector.DoubleVector.broadcast(s, b);
        var c0 = jdk.incubator.vector.DoubleVector.broadcast(s, 0.0);
        var c1 = jdk.incubator.vector.DoubleVector.broadcast(s, 1.0);
        var c2 = jdk.incubator.vector.DoubleVector.broadcast(s, 2.0);
        var c3 = jdk.incubator.vector.DoubleVector.broadcast(s, 3.0);
        var c4 = jdk.incubator.vector.DoubleVector.broadcast(s, 4.0);
        var c5 = jdk.incubator.vector.DoubleVector.broadcast(s, 5.0);
        var c6 = jdk.incubator.vector.DoubleVector.broadcast(s, 6.0);
        var c7 = jdk.incubator.vector.DoubleVector.broadcast(s, 7.0);
        var c8 = jdk.incubator.vector.DoubleVector.broadcast(s, 8.0);
        var c9 = jdk.incubator.vector.DoubleVector.broadcast(s, 9.0);
        var c10 = jdk.incubator.vector.DoubleVector.broadcast(s, 10.0);
        var c11 = jdk.incubator.vector.DoubleVector.broadcast(s, 11.0);
        for (int i = 0; i < steps; i++) {
            c0 = va.fma(vb, c0);
            c1 = va.fma(vb, c1);
            c2 = va.fma(vb, c2);
            c3 = va.fma(vb, c3);
            c4 = va.fma(vb, c4);
            c5 = va.fma(vb, c5);
            c6 = va.fma(vb, c6);
            c7 = va.fma(vb, c7);
            c8 = va.fma(vb, c8);
            c9 = va.fma(vb, c9);
            c10 = va.fma(vb, c10);
            c11 = va.fma(vb, c11);
        }
        var sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
