package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.LstmRtrl;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * Experiment 2: the sign-of-running-sum task of sheet 004, question 2d, learned by online exact RTRL.
 * Inputs x_t ∈ {−1, +1}; the target is {@code y_t = sign(Σ_{s≤t} x_s)} (0 when the sum is 0); the network is
 * the sheet's scalar LSTM itself (n = m = 1, no readout: the output is h_t, rounded to the nearest integer
 * when scored, as the sheet says). Training: batches of random sequences from the zero state, squared
 * error at every step, an Adam update after every step (online RTRL, {@link LstmRtrl}), the influence
 * matrix reset at the start of each batch of sequences.
 *
 * <p>Scored on fresh sequences of the training length and of 5× that length: the error rate is the
 * fraction of steps whose rounded h_t differs from y_t. Zero errors means the LSTM found the exact
 * counter the sheet's hint describes (forget gate open, input gate open, c̃ = x_t, h = tanh(c) rounded).
 *
 * <p>Options ({@code key=value}): {@code seed}, {@code hidden} (1), {@code length} (20), {@code batch}
 * (16), {@code batches} (300), {@code lr} (0.05).
 */
public final class SignOfRunningSum {
    private SignOfRunningSum() {}

    /** Random ±1 inputs {@code [T][batch, 1]} and their targets sign(running sum). */
    static Tensor[][] data(int T, int batch, Random rng) {
        Tensor[] xs = new Tensor[T];
        Tensor[] ys = new Tensor[T];
        int[] sum = new int[batch];
        for (int t = 0; t < T; t++) {
            double[] x = new double[batch];
            double[] y = new double[batch];
            for (int b = 0; b < batch; b++) {
                x[b] = rng.nextBoolean() ? 1 : -1;
                sum[b] += (int) x[b];
                y[b] = Integer.signum(sum[b]);
            }
            xs[t] = Tensor.of(x, batch, 1);
            ys[t] = Tensor.of(y, batch, 1);
        }
        return new Tensor[][] {xs, ys};
    }

    /** The fraction of steps whose rounded output differs from the target, over {@code sequences} fresh sequences. */
    static double errorRate(RecurrentNet net, int T, int sequences, Random rng) {
        Tensor[][] d = data(T, sequences, rng);
        long wrong = 0;
        Tensor[] s = net.initialState(sequences);
        try (var p = Tape.pause()) {
            for (int t = 0; t < T; t++) {
                s = net.step(s, d[0][t]);
                double[] y = net.output(net.cell().output(s)).data();
                double[] target = d[1][t].data();
                for (int b = 0; b < sequences; b++) if (Math.round(y[b]) != target[b]) wrong++;
            }
        }
        return wrong / (double) (T * sequences);
    }

    /** The result: training steps taken and the final error rates. */
    record Result(int updates, double errorTrainLength, double errorLong, double finalLoss) {}

    static Result train(Args a, PrintStream out) {
        long seed = a.integer("seed", 1);
        int hidden = a.integer("hidden", 1);
        int T = a.integer("length", 20);
        int batch = a.integer("batch", 16);
        int batches = a.integer("batches", 300);
        double lr = a.real("lr", 0.05);
        Random rng = new Random(seed);
        RecurrentNet net = hidden == 1 ? new RecurrentNet(new LstmCell(1, 1, rng))
                : RecurrentNet.withReadout(new LstmCell(1, hidden, rng), 1, rng);
        Optimizer opt = new Adam(net.parameters(), lr);
        ForwardLearner rtrl = new LstmRtrl(net, batch);
        double recent = Double.NaN;
        int updates = 0;
        for (int k = 1; k <= batches; k++) {
            Tensor[][] d = data(T, batch, rng);
            rtrl.reset(null);
            double[] losses = OnlineLearning.run(rtrl, opt, d[0], 0, T, StepLoss.squaredError(d[1]));
            updates += T;
            double mean = 0;
            for (double l : losses) mean += l / T;
            recent = Double.isNaN(recent) ? mean : 0.9 * recent + 0.1 * mean;
            if (out != null && (k % 50 == 0 || k == batches)) {
                out.printf(Locale.ROOT, "  batch %4d: mean squared error %.4f, error rate (rounded h, T=%d) %.4f%n", k,
                        recent, T, errorRate(net, T, 200, new Random(seed + 99)));
            }
        }
        Random test = new Random(seed + 12345);
        return new Result(updates, errorRate(net, T, 1000, test), errorRate(net, 5 * T, 1000, test), recent);
    }

    /**
     * Trains the scalar LSTM with the default settings for {@code batches} batches and returns the error
     * rates {training length, five times longer} on 1000 fresh test sequences each.
     *
     * @param seed    the seed of the weights and the data
     * @param batches the number of training batches
     * @return a new array: the error rate at the training length, then at five times it
     */
    public static double[] errorRatesAfterTraining(long seed, int batches) {
        Result r = train(new Args(new String[] {"seed=" + seed, "batches=" + batches}), null);
        return new double[] {r.errorTrainLength(), r.errorLong()};
    }

    /**
     * Trains the scalar LSTM online and prints its test error rates.
     *
     * @param args {@code key=value} options: {@code seed=1 hidden=1 length=20 batch=16 batches=300 lr=0.05}
     *     (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        System.out.println("Sign of the running sum (sheet 004, 2d): scalar LSTM, online exact RTRL, Adam");
        long start = System.nanoTime();
        Result r = train(a, System.out);
        System.out.printf(Locale.ROOT, "after %d online updates (%.1f s): error rate %.5f on 1000 test sequences of "
                + "length %d, %.5f on 1000 of length %d%n", r.updates(), (System.nanoTime() - start) / 1e9,
                r.errorTrainLength(), a.integer("length", 20), r.errorLong(), 5 * a.integer("length", 20));
    }
}
