package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.GruCell;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.Locale;
import java.util.Random;

/**
 * The agreement figures: over many random networks (vanilla RNN, LSTM, GRU, a stack; n ≤ 12, T ≤ 40,
 * batch ≤ 4, weights scaled by 0.5–2, squared error against random targets), the largest normwise
 * relative error {@code max|a − b| / max|b|} of generic RTRL, fast RTRL and checkpointed BPTT against
 * BPTT, in float64.
 *
 * <p>Options: {@code seed} (1), {@code cases} (200).
 */
public final class Agreement {
    private Agreement() {}

    /**
     * Runs the random cases and prints the worst disagreement of each algorithm, per kind of cell.
     *
     * @param args {@code key=value} options: {@code seed=1 cases=200} (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        Random rng = new Random(a.integer("seed", 1));
        int cases = a.integer("cases", 200);
        String[] kinds = {"RNN", "LSTM", "GRU", "stacked LSTM+RNN"};
        double[][] worst = new double[kinds.length][3]; // generic, fast, checkpointed
        int[] count = new int[kinds.length];
        for (int c = 0; c < cases; c++) {
            int kind = c % kinds.length;
            int n = 1 + rng.nextInt(12);
            int m = 1 + rng.nextInt(6);
            int T = 1 + rng.nextInt(40);
            int batch = 1 + rng.nextInt(4);
            double scale = 0.5 + 1.5 * rng.nextDouble();
            Cell cell = kind == 0 ? new RnnCell(m, n, rng) : kind == 1 ? new LstmCell(m, n, rng)
                    : kind == 2 ? new GruCell(m, n, rng) : new StackedCell(new LstmCell(m, n, rng), new RnnCell(n, n, rng));
            RecurrentNet net = RecurrentNet.withReadout(cell, 3, rng);
            for (Tensor w : net.parameters()) {
                double[] d = w.mutableData();
                for (int i = 0; i < d.length; i++) d[i] = w.rank() == 1 ? 0.1 * rng.nextGaussian() : d[i] * scale;
            }
            Tensor[] xs = new Tensor[T];
            Tensor[] targets = new Tensor[T];
            for (int t = 0; t < T; t++) {
                xs[t] = Tensor.randn(rng, batch, m);
                targets[t] = Tensor.randn(rng, batch, 3);
            }
            StepLoss loss = StepLoss.squaredError(targets);
            SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
            worst[kind][0] = Math.max(worst[kind][0], ForwardLearner.run(new GenericRtrl(net, batch), xs, loss)
                    .relativeError(bptt));
            if (kind < 2) {
                ForwardLearner fast = kind == 0 ? new RnnRtrl(net, batch) : new LstmRtrl(net, batch);
                worst[kind][1] = Math.max(worst[kind][1], ForwardLearner.run(fast, xs, loss).relativeError(bptt));
            }
            worst[kind][2] = Math.max(worst[kind][2], CheckpointedBptt.gradient(net, null, xs, loss).gradient()
                    .relativeError(bptt));
            count[kind]++;
        }
        System.out.printf(Locale.ROOT, "Largest relative error against BPTT over %d random cases (n ≤ 12, T ≤ 40, batch ≤ 4):%n",
                cases);
        System.out.printf(Locale.ROOT, "%-18s %6s %14s %14s %14s%n", "cell", "cases", "generic RTRL", "fast RTRL",
                "checkpointed");
        for (int k = 0; k < kinds.length; k++) {
            System.out.printf(Locale.ROOT, "%-18s %6d %14.1e %14s %14.1e%n", kinds[k], count[k], worst[k][0],
                    k < 2 ? String.format(Locale.ROOT, "%.1e", worst[k][1]) : "-", worst[k][2]);
        }
    }
}
