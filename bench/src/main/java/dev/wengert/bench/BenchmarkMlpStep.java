package dev.wengert.bench;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Linear;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.ops.Ops;
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
 * One training step of a 784-100-10 MLP (tanh hidden units, softmax cross-entropy averaged over the
 * batch, plain SGD with η = 0.01), the workload of the anchor script w2_mlp.py (PyTorch on this machine:
 * 0.87 ms at batch 64, 1.24 ms at batch 128, one thread, float64): forward, backward into the
 * parameters' gradients, the SGD update, clearing the gradients. {@link #forward} (the forward pass alone)
 * and the three largest single ops of the step ({@link #matmulInput}, {@link #matmulWeightGradient},
 * {@link #tanhHidden}) break the time down.
 *
 * <p>The update changes the weights in place each invocation, as the anchor's does; the cost of a step
 * does not depend on the values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BenchmarkMlpStep {
    @Param({"64", "128"})
    public int batch;

    private Sequential net;
    private Sgd sgd;
    private Tensor x;
    private int[] labels;
    private Tensor w1;
    private Tensor hidden;
    private Tensor gHidden;

    @Setup(Level.Trial)
    public void setup() {
        Random rng = new Random(0);
        net = Mlp.builder(784).hidden(100, Activation.tanh()).output(10).build(rng);
        sgd = new Sgd(net.parameters(), 0.01);
        x = Tensor.randn(rng, batch, 784);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
        w1 = ((Linear) net.layers().get(0)).weight().detach();
        hidden = Ops.matmul(x, w1);
        gHidden = Tensor.randn(rng, batch, 100);
    }

    /** Forward, backward, SGD update; returns the loss so that nothing is dead code. */
    @Benchmark
    public double step() {
        double loss;
        try (Tape tape = Tape.open()) {
            Tensor l = Loss.crossEntropy(net.forward(x), labels);
            loss = l.item();
            tape.backward(l);
        }
        sgd.step();
        sgd.zeroGrad();
        return loss;
    }

    /** Breakdown: the first layer's product {@code x W₁}, {@code [batch, 784] × [784, 100]}. */
    @Benchmark
    public Tensor matmulInput() {
        return Ops.matmul(x, w1);
    }

    /** Breakdown: the first layer's weight gradient {@code xᵀ G}, {@code [784, batch] × [batch, 100]}. */
    @Benchmark
    public Tensor matmulWeightGradient() {
        return Ops.matmul(x, gHidden, true, false);
    }

    /** Breakdown: tanh of the hidden pre-activations, {@code [batch, 100]}. */
    @Benchmark
    public Tensor tanhHidden() {
        return Ops.tanh(hidden);
    }

    /** The forward pass and the loss only, without recording. */
    @Benchmark
    public double forward() {
        try (var p = Tape.pause()) {
            return Loss.crossEntropy(net.forward(x), labels).item();
        }
    }
}
