package dev.wengert.bench;

import dev.wengert.ops.kernel.MathKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The elementwise kernels (tanh, sigmoid, exp) over an array, per call. Run with {@code -prof gc}: once
 * compiled they allocate nothing; an allocation rate above zero means C2 failed to intrinsify a Vector
 * API operation (for example past its inlining limits) and boxes vectors, at about ten times the cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class BenchmarkElementwise {
    /** Elements per call. */
    @Param({"1000"})
    public int n;

    private double[] x;
    private double[] y;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkElementwise() {}

    /** Draws the n inputs, N(0, 16), from a fixed seed. */
    @Setup
    public void setup() {
        Random rng = new Random(1);
        x = new double[n];
        y = new double[n];
        for (int i = 0; i < n; i++) x[i] = 4 * rng.nextGaussian();
    }

    /**
     * {@code y = tanh(x)}.
     *
     * @return the output array, so that the work is consumed
     */
    @Benchmark
    public double[] tanh() {
        MathKernels.tanh(x, y);
        return y;
    }

    /**
     * {@code y = σ(x)}.
     *
     * @return the output array, so that the work is consumed
     */
    @Benchmark
    public double[] sigmoid() {
        MathKernels.sigmoid(x, y);
        return y;
    }

    /**
     * {@code y = e^x}.
     *
     * @return the output array, so that the work is consumed
     */
    @Benchmark
    public double[] exp() {
        MathKernels.exp(x, y);
        return y;
    }
}
