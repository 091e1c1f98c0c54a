package dev.wengert.examples.rnn;

import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A quick BPTT-versus-RTRL comparison for the main demo (a few seconds): the gradients of BPTT, generic
 * RTRL (batched JVPs) and the fast RTRL kernels agree to rounding, for a vanilla RNN and an LSTM; then
 * the time per sequence of BPTT and of fast exact RTRL on the anchors' workload (tanh RNN, m = 32,
 * T = 200, batch 1, loss Σ‖h_t‖²) at two hidden sizes. The times are rough wall-clock medians after a
 * warm-up; the JMH benchmark {@code BenchmarkRecurrent} gives the careful ones.
 */
public final class RtrlDemo {
    private RtrlDemo() {}

    /**
     * Prints the comparison at hidden sizes 32 and 64.
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        run(out, 32, 64);
    }

    /**
     * Prints the comparison, timing the given hidden sizes.
     *
     * @param out         where to print
     * @param hiddenSizes the hidden sizes to time
     */
    public static void run(PrintStream out, int... hiddenSizes) {
        out.println("Recurrent learning: BPTT (reverse mode) against exact RTRL (forward mode)");
        agreement(out, new RnnCell(8, 16, new Random(3)), 2);
        agreement(out, new LstmCell(8, 8, new Random(4)), 2);
        out.printf(Locale.ROOT, "  time per sequence, tanh RNN, m = 32, T = 200, batch 1, loss Σ‖h_t‖² (matmul kernel: %s):%n",
                Gemm.implementation());
        for (int n : hiddenSizes) timing(out, n);
    }

    private static void agreement(PrintStream out, dev.wengert.rnn.Cell cell, int batch) {
        Random rng = new Random(5);
        RecurrentNet net = RecurrentNet.withReadout(cell, 4, rng);
        int T = 30;
        Tensor[] xs = new Tensor[T];
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) {
            xs[t] = Tensor.randn(rng, batch, cell.inputSize());
            targets[t] = Tensor.randn(rng, batch, 4);
        }
        StepLoss loss = StepLoss.squaredError(targets);
        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        SequenceGradient generic = ForwardLearner.run(new GenericRtrl(net, batch), xs, loss);
        ForwardLearner fastLearner = cell instanceof RnnCell ? new RnnRtrl(net, batch) : new LstmRtrl(net, batch);
        SequenceGradient fast = ForwardLearner.run(fastLearner, xs, loss);
        out.printf(Locale.ROOT, "  %s, T = %d, batch %d, %d parameters: relative error vs BPTT: generic RTRL %.1e, "
                + "fast RTRL %.1e%n", cell.name(), T, batch, net.parameterCount(), generic.relativeError(bptt),
                fast.relativeError(bptt));
    }

    private static void timing(PrintStream out, int n) {
        int m = 32;
        int T = 200;
        Random rng = new Random(0);
        Tensor w = scaled(Tensor.randn(rng, n, n), 0.9 / Math.sqrt(n));
        Tensor u = scaled(Tensor.randn(rng, n, m), 1 / Math.sqrt(m));
        Tensor b = scaled(Tensor.randn(rng, n), 0.1);
        RecurrentNet net = new RecurrentNet(new RnnCell(w, u, b));
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, 1, m);
        StepLoss loss = StepLoss.sumOfSquares();
        RnnRtrl rtrl = new RnnRtrl(net, 1);
        double[] tb = time(() -> Bptt.gradient(net, null, xs, loss));
        double[] tr = time(() -> ForwardLearner.run(rtrl, xs, loss));
        long p = net.cellParameterCount();
        out.printf(Locale.ROOT, "    n = %2d (p = %5d): BPTT %7.1f ms, fast RTRL %7.1f ms (%d threads; %.1f GFLOP/s in the "
                + "n×n by n×p products); RTRL/BPTT %.0fx%n", n, p, tb[0], tr[0], rtrl.threads(),
                2.0 * n * n * p * T / (tr[0] * 1e6), tr[0] / tb[0]);
    }

    /** Median milliseconds of a few runs after a warm-up of about half a second. */
    private static double[] time(Runnable r) {
        long warm = System.nanoTime();
        int runs = 0;
        while (System.nanoTime() - warm < 400_000_000L || runs < 2) {
            r.run();
            runs++;
        }
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2]};
    }

    private static Tensor scaled(Tensor t, double s) {
        double[] d = t.mutableData();
        for (int i = 0; i < d.length; i++) d[i] *= s;
        return t;
    }

    /**
     * Prints the comparison on standard output.
     *
     * @param args the hidden sizes to time (default 32 64)
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            run(System.out);
        } else {
            run(System.out, Arrays.stream(args).mapToInt(Integer::parseInt).toArray());
        }
    }
}
