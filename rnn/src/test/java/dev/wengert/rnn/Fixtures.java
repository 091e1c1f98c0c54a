package dev.wengert.rnn;

import dev.wengert.core.Tensor;
import java.util.Random;

/** Random networks, sequences and losses for the tests (fixed seeds from the callers). */
public final class Fixtures {
    private Fixtures() {}

    public enum Kind { RNN, LSTM, GRU, STACKED }

    public static Cell cell(Kind kind, int m, int n, Random rng) {
        switch (kind) {
            case RNN: return new RnnCell(m, n, rng);
            case LSTM: return new LstmCell(m, n, 0.5, rng);
            case GRU: return new GruCell(m, n, rng);
            default: return new StackedCell(new LstmCell(m, n, rng), new RnnCell(n, n + 1, rng));
        }
    }

    /** Multiplies every parameter by {@code scale} and adds N(0, 0.1²) noise to biases (so they are not all zero). */
    public static void perturb(RecurrentNet net, double scale, Random rng) {
        for (var e : net.namedParameters().entrySet()) {
            double[] d = e.getValue().mutableData();
            boolean bias = e.getValue().rank() == 1;
            for (int i = 0; i < d.length; i++) d[i] = bias ? d[i] + 0.1 * rng.nextGaussian() : d[i] * scale;
        }
    }

    public static Tensor[] inputs(int T, int batch, int m, Random rng) {
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, batch, m);
        return xs;
    }

    /** Squared error against random targets, with some steps left without a loss. */
    public static StepLoss squaredError(int T, int batch, int outputs, Random rng) {
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) targets[t] = (t % 3 == 1 && T > 2) ? null : Tensor.randn(rng, batch, outputs);
        return StepLoss.squaredError(targets);
    }

    /** Cross-entropy against random labels at every step. */
    public static StepLoss crossEntropy(int T, int batch, int classes, Random rng) {
        int[][] labels = new int[T][batch];
        for (int t = 0; t < T; t++) for (int b = 0; b < batch; b++) labels[t][b] = rng.nextInt(classes);
        return StepLoss.crossEntropy(labels);
    }
}
