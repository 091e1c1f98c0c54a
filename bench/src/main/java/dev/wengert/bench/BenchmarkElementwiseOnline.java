package dev.wengert.bench;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.elementwise.LruCell;
import dev.wengert.rnn.online.ElementwiseInference;
import dev.wengert.rnn.online.ElementwiseOnline;
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
 * Time per sequence of an LRU stack ({@code layers} LRUs of width n with N = n complex states, m = n inputs,
 * a readout to 2 outputs, squared error at every step), over one sequence of {@code steps} inputs:
 * <ul>
 *   <li>{@code forward}: the forward pass alone, in the online learner's plain arithmetic
 *       ({@link ElementwiseInference});</li>
 *   <li>{@code online}: Zucchet et al.'s rule ({@link ElementwiseOnline}; for one layer exact RTRL): forward,
 *       traces and the gradient of every step;</li>
 *   <li>{@code bptt}: the exact gradient by BPTT on the tape (memory grows with T).</li>
 * </ul>
 * Divide the score by {@code steps} for the time per step. {@link #stateBytes} gives what each keeps alive
 * (the tape's peak for BPTT, the traces for online learning); the GC profiler adds the allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-Xmn512m"})
public class BenchmarkElementwiseOnline {
    /** {@code forward}, {@code online} or {@code bptt}. */
    @Param({"forward", "online", "bptt"})
    public String algorithm;

    /** LRU layers in the stack. */
    @Param({"1", "4"})
    public int layers;

    /** Width: inputs, complex states and outputs of every layer. */
    @Param({"16", "64"})
    public int n;

    /** The sequence length T. */
    @Param({"100", "1000", "10000"})
    public int steps;

    /** Sequences per batch. */
    @Param({"1"})
    public int batch;

    private RecurrentNet net;
    private Tensor[] xs;
    private StepLoss loss;
    private ForwardLearner learner;
    private ElementwiseInference inference;

    /** The network, the sequence and the learner, once per trial. */
    @Setup(Level.Trial)
    public void setup() {
        Random rng = new Random(0);
        net = network(layers, n, rng);
        xs = inputs(steps, batch, n, rng);
        loss = StepLoss.squaredError(inputs(steps, batch, 2, rng));
        learner = algorithm.equals("online") ? ElementwiseOnline.zucchet(net, batch) : null;
        inference = algorithm.equals("forward") ? new ElementwiseInference(net, batch) : null;
        if (!algorithm.matches("forward|online|bptt")) {
            throw new IllegalArgumentException("BenchmarkElementwiseOnline: unknown algorithm '" + algorithm
                    + "' (forward, online, bptt)");
        }
    }

    static RecurrentNet network(int layers, int n, Random rng) {
        Cell[] cells = new Cell[layers];
        for (int l = 0; l < layers; l++) cells[l] = LruCell.ring(n, n, n, 0.9, 0.999, Math.PI / 10, rng);
        return RecurrentNet.withReadout(layers == 1 ? cells[0] : new StackedCell(cells), 2, rng);
    }

    static Tensor[] inputs(int steps, int batch, int m, Random rng) {
        Tensor[] xs = new Tensor[steps];
        for (int t = 0; t < steps; t++) xs[t] = Tensor.randn(rng, batch, m);
        return xs;
    }

    /**
     * One sequence.
     *
     * @return a number that depends on all the work (the loss, or the last output), so it is consumed
     */
    @Benchmark
    public double sequence() {
        switch (algorithm) {
            case "forward":
                inference.reset();
                Tensor y = null;
                for (Tensor x : xs) y = inference.step(x);
                return y.data()[0];
            case "online":
                return ForwardLearner.run(learner, xs, loss).loss();
            default:
                return Bptt.gradient(net, null, xs, loss).loss();
        }
    }

    /**
     * What an algorithm keeps alive at its peak, from one run outside JMH.
     *
     * @param algorithm {@code online} or {@code bptt} ({@code forward} keeps the state only: 0)
     * @param layers    LRU layers
     * @param n         width
     * @param steps     T
     * @return bytes: the tape's peak for BPTT, the traces for online learning
     */
    public static long stateBytes(String algorithm, int layers, int n, int steps) {
        Random rng = new Random(0);
        RecurrentNet net = network(layers, n, rng);
        Tensor[] xs = inputs(steps, 1, n, rng);
        StepLoss loss = StepLoss.squaredError(inputs(steps, 1, 2, rng));
        if (algorithm.equals("online")) {
            ElementwiseOnline online = ElementwiseOnline.zucchet(net, 1);
            ForwardLearner.run(online, xs, loss);
            return online.stateBytes();
        }
        if (!algorithm.equals("bptt")) return 0;
        dev.wengert.core.Tape.resetPeakRetainedBytes();
        Bptt.gradient(net, null, xs, loss);
        return dev.wengert.core.Tape.peakRetainedBytes();
    }

    /**
     * Prints {@link #stateBytes} for both algorithms over T, for the memory column of the docs.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("| layers | n | T | BPTT tape peak (bytes) | online traces (bytes) |");
        System.out.println("|---|---|---|---|---|");
        for (int layers : new int[] {1, 4}) {
            for (int steps : new int[] {100, 1000, 10000}) {
                System.out.printf("| %d | 16 | %d | %d | %d |%n", layers, steps, stateBytes("bptt", layers, 16, steps),
                        stateBytes("online", layers, 16, steps));
            }
        }
    }
}
