package dev.wengert.bench;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
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
 * One training step of an MLP, the workloads of the anchor script w2_mlp.py: 784-100-10 with tanh
 * hidden units at batch 64 and 128, and 784-512-512-10 with ReLU hidden units at batch 256; softmax
 * cross-entropy averaged over the batch, plain SGD with η = 0.01; forward, backward into the parameters'
 * gradients, the SGD update, clearing the gradients. {@code threads} sets the matmul kernel's threads.
 * {@link #forward} (the forward pass alone) and the three largest single ops of the small network's step
 * ({@link #matmulInput}, {@link #matmulWeightGradient}, {@link #tanhHidden}) break the time down.
 *
 * <p>The update changes the weights in place each invocation, as the anchor's does; the cost of a step
 * does not depend on the values.
 *
 * <p>A fixed 512 MB young generation, as in {@link BenchmarkRecurrent}: the measurement then sees
 * steady-state allocation, not the first touch of a young generation still growing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-Xmn512m"})
public class BenchmarkMlpStep {
    /** Layer sizes, activation and batch, joined by underscores (no spaces, for JMH's command line). */
    @Param({"784-100-10_tanh_64", "784-100-10_tanh_128", "784-512-512-10_relu_256"})
    public String config;

    /** The threads the matmul kernel may use. */
    @Param({"1", "2"})
    public int threads;

    private int batch;

    private Sequential net;
    private Sgd sgd;
    private Tensor x;
    private int[] labels;
    private Tensor w1;
    private Tensor hidden;
    private Tensor gHidden;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkMlpStep() {}

    /** Sets the threads; builds the network, the optimiser and a batch of random inputs and labels (fixed seeds). */
    @Setup(Level.Trial)
    public void setup() {
        String[] parts = config.split("_");
        String[] sizes = parts[0].split("-");
        Activation act = parts[1].equals("relu") ? Activation.relu() : Activation.tanh();
        batch = Integer.parseInt(parts[2]);
        Gemm.setThreads(threads);
        Random rng = new Random(0);
        Mlp builder = Mlp.builder(Integer.parseInt(sizes[0]));
        for (int i = 1; i < sizes.length - 1; i++) builder.hidden(Integer.parseInt(sizes[i]), act);
        net = builder.output(Integer.parseInt(sizes[sizes.length - 1])).build(rng);
        sgd = new Sgd(net.parameters(), 0.01);
        x = Tensor.randn(rng, batch, 784);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
        w1 = ((Linear) net.layers().get(0)).weight().detach();
        hidden = Ops.matmul(x, w1, false, true);
        gHidden = Tensor.randn(rng, batch, w1.dim(0));
    }

    /**
     * Forward, backward, SGD update; returns the loss so that nothing is dead code.
     *
     * @return the loss
     */
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

    /**
     * Breakdown: the first layer's product {@code x W₁ᵀ}, {@code [batch, 784] × [784, 100]}
     * (W₁ is [100, 784]).
     *
     * @return the product
     */
    @Benchmark
    public Tensor matmulInput() {
        return Ops.matmul(x, w1, false, true);
    }

    /**
     * Breakdown: the first layer's weight gradient {@code Gᵀ x}, {@code [100, batch] × [batch, 784]}.
     *
     * @return the gradient
     */
    @Benchmark
    public Tensor matmulWeightGradient() {
        return Ops.matmul(gHidden, x, true, false);
    }

    /**
     * Breakdown: tanh of the hidden pre-activations, {@code [batch, 100]}.
     *
     * @return the activations
     */
    @Benchmark
    public Tensor tanhHidden() {
        return Ops.tanh(hidden);
    }

    /**
     * The forward pass and the loss only, without recording.
     *
     * @return the loss
     */
    @Benchmark
    public double forward() {
        try (var p = Tape.pause()) {
            return Loss.crossEntropy(net.forward(x), labels).item();
        }
    }
}
