package dev.wengert.bench;

import dev.wengert.ops.kernel.Gemm;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square dense matrix multiply C = A·B through {@link Gemm#gemm} (no transposes, alpha = 1, beta = 0).
 *
 * <p>Throughput from the reported average time: <b>GFLOP/s = 2n³ / time</b> (time in ns), e.g.
 * n = 512 at 8,950 µs/op is 2·512³ / 8.95e6 ns = 30 GFLOP/s. The {@code threads} parameter is applied with
 * {@link Gemm#setThreads(int)}; products below the parallel threshold run single-threaded regardless.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests verify -Djmh.args="BenchmarkMatMul"} from the project root, or
 * {@code java --add-modules=jdk.incubator.vector -cp <classpath> org.openjdk.jmh.Main BenchmarkMatMul}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BenchmarkMatMul {

    /** The matrix size: A, B and C are n × n. */
    @Param({"64", "128", "256", "512", "1024"})
    public int n;

    /** The threads the kernel may use ({@link Gemm#setThreads(int)}). */
    @Param({"1", "2"})
    public int threads;

    private double[] a;
    private double[] b;
    private double[] c;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkMatMul() {}

    /** Sets the threads and draws A and B, uniform on [−0.5, 0.5), from a fixed seed. */
    @Setup(Level.Trial)
    public void setup() {
        Gemm.setThreads(threads);
        Random rnd = new Random(42);
        a = new double[n * n];
        b = new double[n * n];
        c = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = rnd.nextDouble() - 0.5;
            b[i] = rnd.nextDouble() - 0.5;
        }
    }

    /**
     * {@code C = A·B}.
     *
     * @return C, so that the work is consumed
     */
    @Benchmark
    public double[] gemm() {
        Gemm.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
        return c;
    }
}
