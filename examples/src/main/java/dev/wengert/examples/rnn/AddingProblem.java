package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import static dev.wengert.ops.Ops.add;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import java.util.Locale;
import java.util.Random;

/**
 * Experiment 3: the adding problem (Hochreiter and Schmidhuber, 1997; in the form of Le, Jaitly and
 * Hinton, 2015) at T = 50. Each step's input is a pair (u_t, marker_t) with u_t ~ U(0, 1); exactly two steps
 * are marked, one in each half of the sequence; the target, scored only after the last step, is the sum
 * of the two marked values. Always predicting 1 scores the variance of a sum of two uniforms, 1/6 ≈ 0.167.
 * An LSTM with a linear readout, trained by full BPTT with Adam on fresh batches, gets the mean squared
 * error on 1000 fresh test sequences well below that.
 *
 * <p>Options: {@code seed} (1), {@code T} (50), {@code hidden} (16), {@code batch} (32), {@code iterations}
 * (3000, the most), {@code lr} (0.01), {@code target} (0.005: stop when the test MSE is below it).
 */
public final class AddingProblem {
    private AddingProblem() {}

    /** Inputs {@code [T][batch, 2]} and the targets {@code [batch, 1]}. */
    static Tensor[][] data(int T, int batch, Random rng) {
        double[][] x = new double[T][batch * 2];
        double[] y = new double[batch];
        for (int b = 0; b < batch; b++) {
            int first = rng.nextInt(T / 2);
            int second = T / 2 + rng.nextInt(T - T / 2);
            for (int t = 0; t < T; t++) {
                double u = rng.nextDouble();
                x[t][2 * b] = u;
                if (t == first || t == second) {
                    x[t][2 * b + 1] = 1;
                    y[b] += u;
                }
            }
        }
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.of(x[t], batch, 2);
        return new Tensor[][] {xs, {Tensor.of(y, batch, 1)}};
    }

    /** The loss at the last step only. */
    static StepLoss lastStep(int T, Tensor target) {
        Tensor[] targets = new Tensor[T];
        targets[T - 1] = target;
        return StepLoss.squaredError(targets);
    }

    /** The mean squared error on {@code n} fresh sequences. */
    static double testMse(RecurrentNet net, int T, int n, Random rng) {
        Tensor[][] d = data(T, n, rng);
        Tensor[] s = net.initialState(n);
        try (var p = Tape.pause()) {
            for (int t = 0; t < T; t++) s = net.step(s, d[0][t]);
            return lastStep(T, d[1][0]).at(T - 1, net.output(net.cell().output(s))).item();
        }
    }

    /**
     * Trains an LSTM({@code hidden}) with a readout by BPTT (Adam, lr 0.01, batch 32) for {@code iterations}
     * iterations on sequences of length T and returns the MSE on 1000 fresh test sequences. For the tests.
     *
     * @param T          the sequence length
     * @param hidden     the LSTM's hidden size
     * @param iterations the number of training batches
     * @param seed       the seed of the weights and the data
     * @return the test mean squared error
     */
    public static double trainedMse(int T, int hidden, int iterations, long seed) {
        Random rng = new Random(seed);
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(2, hidden, rng), 1, rng);
        Optimizer opt = new Adam(net.parameters(), 0.01);
        for (int it = 0; it < iterations; it++) {
            Tensor[][] d = data(T, 32, rng);
            opt.step(Bptt.gradient(net, null, d[0], lastStep(T, d[1][0])).gradients());
        }
        return testMse(net, T, 1000, new Random(seed + 2000));
    }

    /**
     * Trains until the test MSE falls below {@code target} or the iterations run out, printing progress.
     *
     * @param args {@code key=value} options: {@code seed=1 T=50 hidden=16 batch=32 iterations=3000 lr=0.01
     *     target=0.005} (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        long seed = a.integer("seed", 1);
        int T = a.integer("T", 50);
        int hidden = a.integer("hidden", 16);
        int batch = a.integer("batch", 32);
        int iterations = a.integer("iterations", 3000);
        double lr = a.real("lr", 0.01);
        double target = a.real("target", 0.005);
        Random rng = new Random(seed);
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(2, hidden, rng), 1, rng);
        Optimizer opt = new Adam(net.parameters(), lr);
        System.out.printf(Locale.ROOT, "Adding problem, T = %d: LSTM(2→%d) + linear readout, BPTT, Adam(lr=%s), batch %d; "
                + "baseline (always 1) MSE = 1/6 = 0.1667%n", T, hidden, lr, batch);
        long start = System.nanoTime();
        Random testRng = new Random(seed + 1000);
        double mse = testMse(net, T, 1000, testRng);
        int it = 0;
        while (it < iterations && mse >= target) {
            Tensor[][] d = data(T, batch, rng);
            SequenceGradient g = Bptt.gradient(net, null, d[0], lastStep(T, d[1][0]));
            opt.step(g.gradients());
            it++;
            if (it % 100 == 0) {
                mse = testMse(net, T, 1000, new Random(seed + 1000));
                System.out.printf(Locale.ROOT, "  iteration %5d: test MSE %.5f (%.0f s)%n", it, mse,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        mse = testMse(net, T, 1000, new Random(seed + 2000));
        System.out.printf(Locale.ROOT, "after %d iterations (%.0f s): MSE %.5f on 1000 fresh test sequences (baseline 0.1667)%n",
                it, (System.nanoTime() - start) / 1e9, mse);
    }
}
