package dev.wengert.bench;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Bptt;
import dev.wengert.rnn.CheckpointedBptt;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.RnnRtrl;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.Snap1;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.Tbptt;
import dev.wengert.rnn.Uoro;
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
 * Time per sequence of the recurrent-learning algorithms on the anchors' workload (w4_rnn.py,
 * w5_rtrl.py): a vanilla tanh RNN {@code h_t = tanh(W h_{t−1} + U x_t + b)}, m = 32 inputs, batch 1,
 * T = 200 steps, loss {@code Σ_t ‖h_t‖²}, the gradient with respect to W, U, b. The parameters are drawn
 * as in w5_rtrl.py ({@code W ~ N(0, 0.81/n)}, {@code U ~ N(0, 1/m)}, {@code b ~ N(0, 0.01)}, x ~ N(0, 1)).
 *
 * <ul>
 *   <li>{@code bptt}: forward and backward on the tape (full BPTT);</li>
 *   <li>{@code rtrlFast}: exact RTRL with the fast kernel ({@link RnnRtrl}), all available threads;
 *       {@code rtrlFastOneThread}: the same on one thread, the like-for-like comparison with the
 *       single-threaded NumPy anchor (277 ms at n = 64);</li>
 *   <li>{@code snap1}, {@code uoro}: the approximations (O(p) memory);</li>
 *   <li>{@code checkpointedBptt} (segments of ⌈√T⌉ steps) and {@code tbpttChunked16} (chunks of 16).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class BenchmarkRecurrent {
    @Param({"16", "32", "64"})
    public int n;

    @Param({"200"})
    public int steps;

    private int inputs;
    private RecurrentNet net;
    private Tensor[] xs;
    private StepLoss loss;
    private RnnRtrl rtrl;
    private RnnRtrl rtrlOneThread;
    private Snap1 snap1;
    private Uoro uoro;

    @Setup(Level.Trial)
    public void setup() {
        inputs = 32;
        Random rng = new Random(0);
        Tensor w = scaled(Tensor.randn(rng, n, n), 0.9 / Math.sqrt(n));
        Tensor u = scaled(Tensor.randn(rng, n, inputs), 1 / Math.sqrt(inputs));
        Tensor b = scaled(Tensor.randn(rng, n), 0.1);
        net = new RecurrentNet(new RnnCell(w, u, b));
        xs = new Tensor[steps];
        for (int t = 0; t < steps; t++) xs[t] = Tensor.randn(rng, 1, inputs);
        loss = StepLoss.sumOfSquares();
        rtrl = new RnnRtrl(net, 1);
        rtrlOneThread = new RnnRtrl(net, 1, 1);
        snap1 = new Snap1(net, 1);
        uoro = new Uoro(net, 1, 1);
    }

    private static Tensor scaled(Tensor t, double s) {
        double[] d = t.mutableData();
        for (int i = 0; i < d.length; i++) d[i] *= s;
        return t;
    }

    @Benchmark
    public SequenceGradient bptt() {
        return Bptt.gradient(net, null, xs, loss);
    }

    @Benchmark
    public SequenceGradient rtrlFast() {
        return ForwardLearner.run(rtrl, xs, loss);
    }

    @Benchmark
    public SequenceGradient rtrlFastOneThread() {
        return ForwardLearner.run(rtrlOneThread, xs, loss);
    }

    @Benchmark
    public SequenceGradient snap1() {
        return ForwardLearner.run(snap1, xs, loss);
    }

    @Benchmark
    public SequenceGradient uoro() {
        return ForwardLearner.run(uoro, xs, loss);
    }

    @Benchmark
    public CheckpointedBptt.Result checkpointedBptt() {
        return CheckpointedBptt.gradient(net, null, xs, loss);
    }

    @Benchmark
    public SequenceGradient tbpttChunked16() {
        return Tbptt.chunked(net, null, xs, loss, 16, null);
    }
}
