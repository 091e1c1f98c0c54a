package dev.wengert.bench;

import static dev.wengert.ops.Ops.*;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-op cost of scalar graphs, the same workloads as the anchor script w3_scalar_overhead.py:
 * a chain of 10,000 scalar ops ({@code x = tanh(x)} every tenth step, else alternately
 * {@code x * 1.0001} and {@code x + 0.001}: 5,000 mul, 4,000 add, 1,000 tanh) with its backward pass,
 * and the micrograd README expression forward and backward. Per-op cost = time / ops.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class BenchmarkScalarGraph {
    /** Ops in the chain. */
    public static final int CHAIN = 10_000;

    private double x0;
    private double a0;
    private double b0;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkScalarGraph() {}

    /** Sets the scalar inputs. */
    @Setup(Level.Trial)
    public void setup() {
        x0 = 0.5;
        a0 = -4.0;
        b0 = 2.0;
    }

    static Tensor chain(Tensor x) {
        for (int i = 0; i < CHAIN; i++) {
            if (i % 10 == 9) x = tanh(x);
            else if (i % 2 == 0) x = mul(x, 1.0001);
            else x = add(x, 0.001);
        }
        return x;
    }

    /**
     * The 10,000-op chain, forward and backward: divide by 10,000 for the per-op cost.
     *
     * @return the chain's value, so that the work is consumed
     */
    @Benchmark
    public double chain10kForwardBackward() {
        Tensor x = Tensor.scalar(x0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = chain(x);
            return tape.gradient(y, x)[0].item();
        }
    }

    /**
     * The 10,000-op chain, forward only (recorded).
     *
     * @return the chain's value, so that the work is consumed
     */
    @Benchmark
    public double chain10kForward() {
        Tensor x = Tensor.scalar(x0).requiresGrad();
        try (Tape tape = Tape.open()) {
            return chain(x).item();
        }
    }

    static Tensor micrograd(Tensor a, Tensor b) {
        Tensor c = add(a, b);
        Tensor d = add(mul(a, b), pow(b, 3));
        c = add(c, add(c, 1));
        c = add(c, add(add(1, c), neg(a)));
        d = add(d, add(mul(d, 2), relu(add(b, a))));
        d = add(d, add(mul(3, d), relu(sub(b, a))));
        Tensor e = sub(c, d);
        Tensor f = pow(e, 2);
        Tensor g = div(f, 2.0);
        return add(g, div(10.0, f));
    }

    /**
     * The micrograd README expression (27 ops), forward and backward.
     *
     * @return the expression's value, so that the work is consumed
     */
    @Benchmark
    public double microgradForwardBackward() {
        Tensor a = Tensor.scalar(a0).requiresGrad();
        Tensor b = Tensor.scalar(b0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor g = micrograd(a, b);
            Tensor[] grads = tape.gradient(g, a, b);
            return grads[0].item() + grads[1].item();
        }
    }
}
