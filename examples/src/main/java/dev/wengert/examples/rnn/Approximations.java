package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.ApproximationQuality;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.bptt.Bptt;
import java.util.Locale;
import java.util.Random;

/**
 * How good are the approximate gradients? For random networks (tanh RNN and LSTM, m = 8 inputs, a linear
 * readout to 4 outputs, squared error against random targets at every step, T = 50, batch 1, the default
 * initialisation), the cosine similarity of SnAp-1's gradient and of UORO's (one run, and the mean of
 * 100 runs with different random signs) to the exact gradient, over the recurrent parameters.
 *
 * <p>Options: {@code seed} (1), {@code T} (50), {@code sizes} (8,32), {@code runs} (100).
 */
public final class Approximations {
    private Approximations() {}

    /**
     * Prints the cosine similarities of SnAp-1 and UORO to the exact gradient, for RNN and LSTM cells.
     *
     * @param args {@code key=value} options: {@code seed=1 T=50 runs=100 sizes=8,32} (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        long seed = a.integer("seed", 1);
        int T = a.integer("T", 50);
        int runs = a.integer("runs", 100);
        System.out.printf(Locale.ROOT, "Cosine similarity to the exact gradient (recurrent parameters), T = %d, batch 1%n", T);
        System.out.printf(Locale.ROOT, "%-18s %8s %10s %14s%n", "cell", "SnAp-1", "UORO (1)", "UORO (mean of " + runs + ")");
        for (String size : a.string("sizes", "8,32").split(",")) {
            int n = Integer.parseInt(size.trim());
            for (int kind = 0; kind < 2; kind++) {
                Random rng = new Random(seed);
                Cell cell = kind == 0 ? new RnnCell(8, n, rng) : new LstmCell(8, n, rng);
                RecurrentNet net = RecurrentNet.withReadout(cell, 4, rng);
                Tensor[] xs = new Tensor[T];
                Tensor[] targets = new Tensor[T];
                for (int t = 0; t < T; t++) {
                    xs[t] = Tensor.randn(rng, 1, 8);
                    targets[t] = Tensor.randn(rng, 1, 4);
                }
                StepLoss loss = StepLoss.squaredError(targets);
                SequenceGradient exact = Bptt.gradient(net, null, xs, loss);
                double snap = ApproximationQuality.compare(ForwardLearner.run(new Snap1(net, 1), xs, loss), exact, net)
                        .cosine();
                double uoro1 = ApproximationQuality.compare(ForwardLearner.run(new Uoro(net, 1, seed), xs, loss), exact, net)
                        .cosine();
                int cellTensors = net.cellTensors();
                double[] sum = null;
                for (int r = 0; r < runs; r++) {
                    SequenceGradient g = ForwardLearner.run(new Uoro(net, 1, seed + 1000 + r), xs, loss);
                    double[] f = SequenceGradient.flatten(g.gradients().subList(0, cellTensors));
                    if (sum == null) sum = f;
                    else for (int i = 0; i < f.length; i++) sum[i] += f[i];
                }
                double[] e = SequenceGradient.flatten(exact.gradients().subList(0, cellTensors));
                System.out.printf(Locale.ROOT, "%-18s %8.4f %10.4f %14.4f%n", cell.name(), snap, uoro1,
                        SequenceGradient.cosine(sum, e));
            }
        }
    }
}
