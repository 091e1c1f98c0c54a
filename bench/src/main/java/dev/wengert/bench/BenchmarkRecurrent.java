package dev.wengert.bench;

import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.GruCell;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import dev.wengert.rnn.rtrl.Rtrl;
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
 * Time per sequence of the recurrent-learning algorithms: the gradient of {@code L = Σ_t ‖h_t‖²} with
 * respect to all cell parameters over one sequence of {@code steps} inputs ({@code [batch, m]}, m = 32),
 * for a vanilla tanh RNN ({@code rnn}) or the notes' LSTM ({@code lstm}) of {@code n} hidden units.
 *
 * <ul>
 *   <li>{@code bptt}: full backpropagation through time on one tape;</li>
 *   <li>{@code tbptt}: chunked truncated BPTT, chunks of {@link #CHUNK} steps;</li>
 *   <li>{@code checkpointed}: BPTT keeping every ⌈√T⌉-th state and recomputing the rest;</li>
 *   <li>{@code rtrl}: exact RTRL with the fast kernels (all available threads);</li>
 *   <li>{@code rtrlGeneric}: exact RTRL through batched forward mode on the cell's ops;</li>
 *   <li>{@code snap1}, {@code uoro}: the approximations.</li>
 * </ul>
 *
 * <p>The parameter grid is the cartesian product of the {@code @Param} values; the report generator
 * ({@link dev.wengert.bench.report.BenchReport}) runs the combinations it can afford and lists the ones it
 * leaves out, with the reason. Alongside the time, {@link #stateBytes} is what the algorithm keeps alive
 * between steps at its peak (the tape's activations for the reverse-mode algorithms, the sensitivity state
 * for the forward-mode ones); JMH's GC profiler adds the bytes allocated per sequence.
 *
 * <p>The young generation is fixed at 512 MB so that it is cycled during the warmup: left to grow to
 * gigabytes, every allocation of the measured iterations touched fresh pages, which the kernel zeroes
 * first (async-profiler: 44% of BPTT's time in {@code clear_page_erms}; n = 128, batch 32 measured
 * 162 ± 113 ms per sequence that way against 106 with the fixed young generation, same quick profile).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-Xmn512m"})
public class BenchmarkRecurrent {
    /** Inputs per step, as in the anchors. */
    public static final int M = 32;
    /** The chunk length of chunked TBPTT. */
    public static final int CHUNK = 10;

    /**
     * The algorithm: {@code bptt}, {@code tbptt} (chunked, k = {@value #CHUNK}), {@code checkpointed}, {@code
     * rtrl}, {@code rtrlGeneric}, {@code snap1} or {@code uoro}.
     */
    @Param({"bptt", "tbptt", "checkpointed", "rtrl", "rtrlGeneric", "snap1", "uoro"})
    public String algorithm;

    /** The cell: {@code rnn}, {@code lstm} or {@code gru}. */
    @Param({"rnn", "lstm"})
    public String cell;

    /** The hidden size. */
    @Param({"8", "16", "32", "64", "128", "256"})
    public int n;

    /** The sequence length T. */
    @Param({"10", "100", "1000"})
    public int steps;

    /** The number of sequences per run. */
    @Param({"1", "32"})
    public int batch;

    /** Threads for exact RTRL's products and the matmul kernel; 0 = all available (the default). */
    @Param({"0"})
    public int threads;

    private RecurrentNet net;
    private Tensor[] xs;
    private StepLoss loss;
    private ForwardLearner learner;

    /** The benchmark state, which JMH instantiates through this public no-argument constructor. */
    public BenchmarkRecurrent() {}

    /** Builds the network, the inputs (N(0, 1), fixed seed), the loss Σ‖h_t‖² and the learner. */
    @Setup(Level.Trial)
    public void setup() {
        Random rng = new Random(0);
        net = network(cell, n, rng);
        xs = new Tensor[steps];
        for (int t = 0; t < steps; t++) xs[t] = Tensor.randn(rng, batch, M);
        loss = StepLoss.sumOfSquares();
        if (threads > 0) Gemm.setThreads(threads);
        learner = learner(algorithm, net, batch, threads);
    }

    /**
     * The benchmarked network: weights as in the anchor w5_rtrl.py (W ~ N(0, 0.81/n)), LSTM and GRU as the rnn
     * module draws them. The default grid runs rnn and lstm; {@code -p cell=gru} measures the GRU.
     */
    static RecurrentNet network(String cell, int n, Random rng) {
        switch (cell) {
            case "rnn":
                return new RecurrentNet(new RnnCell(scaled(Tensor.randn(rng, n, n), 0.9 / Math.sqrt(n)),
                        scaled(Tensor.randn(rng, n, M), 1 / Math.sqrt(M)), scaled(Tensor.randn(rng, n), 0.1)));
            case "lstm":
                return new RecurrentNet(new LstmCell(M, n, rng));
            case "gru":
                return new RecurrentNet(new GruCell(M, n, rng));
            default:
                throw new IllegalArgumentException("BenchmarkRecurrent: unknown cell '" + cell + "' (rnn, lstm, gru)");
        }
    }

    /** The forward-mode learner an algorithm uses, or null for the reverse-mode ones. */
    static ForwardLearner learner(String algorithm, RecurrentNet net, int batch, int threads) {
        switch (algorithm) {
            case "rtrl":
                if (threads <= 0) return Rtrl.exact(net, batch);
                return net.cell() instanceof LstmCell ? new LstmRtrl(net, batch, threads) : new RnnRtrl(net, batch, threads);
            case "rtrlGeneric":
                return new GenericRtrl(net, batch);
            case "snap1":
                return new Snap1(net, batch);
            case "uoro":
                return new Uoro(net, batch, 1);
            case "bptt":
            case "tbptt":
            case "checkpointed":
                return null;
            default:
                throw new IllegalArgumentException("BenchmarkRecurrent: unknown algorithm '" + algorithm + "'");
        }
    }

    private static Tensor scaled(Tensor t, double s) {
        double[] d = t.mutableData();
        for (int i = 0; i < d.length; i++) d[i] *= s;
        return t;
    }

    /**
     * One sequence: forward and gradient; returns the loss so the work is consumed.
     *
     * @return the loss
     */
    @Benchmark
    public double sequence() {
        return run(algorithm, net, learner, xs, loss);
    }

    static double run(String algorithm, RecurrentNet net, ForwardLearner learner, Tensor[] xs, StepLoss loss) {
        switch (algorithm) {
            case "bptt":
                return Bptt.gradient(net, null, xs, loss).loss();
            case "tbptt":
                return Tbptt.chunked(net, null, xs, loss, CHUNK, null).loss();
            case "checkpointed":
                return CheckpointedBptt.gradient(net, null, xs, loss).gradient().loss();
            default:
                return ForwardLearner.run(learner, xs, loss).loss();
        }
    }

    /**
     * What the algorithm keeps alive at its peak, in bytes, from one run outside JMH: for BPTT and its
     * variants the largest activation memory any tape held ({@code Tape.peakRetainedBytes}); for the
     * forward-mode learners the sensitivity state ({@code ForwardLearner.stateBytes}).
     *
     * @param algorithm as {@link #algorithm}
     * @param cell      as {@link #cell}
     * @param n         the hidden size
     * @param steps     the sequence length T
     * @param batch     the number of sequences
     * @return the peak bytes: the tape's peak, plus the learner's state for the forward-mode learners
     */
    public static long stateBytes(String algorithm, String cell, int n, int steps, int batch) {
        Random rng = new Random(0);
        RecurrentNet net = network(cell, n, rng);
        Tensor[] xs = new Tensor[steps];
        for (int t = 0; t < steps; t++) xs[t] = Tensor.randn(rng, batch, M);
        ForwardLearner learner = learner(algorithm, net, batch, 0);
        dev.wengert.core.Tape.resetPeakRetainedBytes();
        run(algorithm, net, learner, xs, StepLoss.sumOfSquares());
        long tape = dev.wengert.core.Tape.peakRetainedBytes();
        return learner == null ? tape : tape + learner.stateBytes();
    }
}
