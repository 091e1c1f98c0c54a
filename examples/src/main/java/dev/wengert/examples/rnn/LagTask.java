package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.plot.Plot;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Experiment 4: the truncation bias made visible. A stream of fair coin flips x_t ∈ {0, 1}; the label y_t
 * is 1 with probability {@code 0.5 + 0.5·x_{t−3} − 0.25·x_{t−8}}. Cross-entropy of the best predictor that
 * uses nothing: 0.6616 nats; x_{t−3} only: 0.5192; both lags: 0.4544 (the task of R2RT's "Recurrent neural
 * networks in TensorFlow I"). A tanh RNN with a softmax readout is trained on 32 parallel streams, the
 * state carried along each stream, with an Adam step after every chunk (TBPTT) or every step (RTRL).
 *
 * <p>What truncation can and cannot learn. In chunked TBPTT(k) the loss at position j of a chunk is
 * backpropagated j + 1 ≤ k steps. Crediting x_{t−d} from ℓ_t directly takes a backward pass of d + 1 steps
 * (from h_t back through the step that read x_{t−d}): with k ≤ 3 no loss ever reaches lag 3, and the
 * network learns nothing (≈ 0.66) although its forward pass carries the information. With k = 4 it learns
 * lag 3 (≈ 0.52). Lag 8 does not need k ≥ 9, though: once the network holds x_{t−3} in its state, it can
 * learn to hold it longer with credit paths of 5 steps (the same recurrent weights carry the bit from
 * step to step), so from k = 5 on TBPTT reaches ≈ 0.45, like online exact RTRL, which never truncates.
 *
 * <p>Scored on a held-out stream by the exact forward pass (no truncation in evaluation). Options:
 * {@code seed} (1), {@code hidden} (16), {@code whhScale} (0.5: W_hh drawn from N(0, 0.25/n), a
 * contractive start with little memory of its own), {@code steps} (60000 per stream), {@code streams}
 * (32), {@code lr} (0.005), {@code rtrlLr} (0.001: online RTRL updates every step, TBPTT every chunk),
 * {@code ks} (2,3,4,5,8,10), {@code rtrl} (true), {@code plot} (reports/rnn/lag-task.png).
 */
public final class LagTask {
    private LagTask() {}

    static final double NOTHING = entropy(0.625);
    static final double ONE_LAG = (entropy(0.875) + entropy(0.375)) / 2;
    static final double BOTH = (0 + entropy(0.75) + entropy(0.5) + entropy(0.25)) / 4;

    private static double entropy(double p) {
        return p <= 0 || p >= 1 ? 0 : -(p * StrictMath.log(p) + (1 - p) * StrictMath.log(1 - p));
    }

    /** One-hot inputs {@code [T][streams, 2]} and labels {@code [T][streams]}. */
    static Object[] data(int T, int streams, Random rng) {
        int[][] x = new int[streams][T];
        int[][] labels = new int[T][streams];
        Tensor[] xs = new Tensor[T];
        for (int b = 0; b < streams; b++) for (int t = 0; t < T; t++) x[b][t] = rng.nextBoolean() ? 1 : 0;
        for (int t = 0; t < T; t++) {
            double[] oh = new double[streams * 2];
            for (int b = 0; b < streams; b++) {
                oh[2 * b + x[b][t]] = 1;
                double p = 0.5 + (t >= 3 ? 0.5 * x[b][t - 3] : 0) - (t >= 8 ? 0.25 * x[b][t - 8] : 0);
                labels[t][b] = rng.nextDouble() < p ? 1 : 0;
            }
            xs[t] = Tensor.of(oh, streams, 2);
        }
        return new Object[] {xs, labels};
    }

    /** The mean cross-entropy (nats) of the exact forward pass over a held-out stream, after a burn-in of 8 steps. */
    static double evaluate(RecurrentNet net, Tensor[] xs, int[][] labels) {
        StepLoss loss = StepLoss.crossEntropy(labels);
        Tensor[] s = net.initialState(xs[0].dim(0));
        double total = 0;
        int counted = 0;
        try (var p = Tape.pause()) {
            for (int t = 0; t < xs.length; t++) {
                s = net.step(s, xs[t]);
                if (t < 8) continue;
                total += loss.at(t, net.output(net.cell().output(s))).item();
                counted++;
            }
        }
        return total / counted;
    }

    /** The same initial network for every method: W_hh from N(0, scale²/n), W_xh from N(0, 1/2), zero bias. */
    static RecurrentNet net(int hidden, double scale, long seed) {
        RnnCell cell = new RnnCell(2, hidden, new Random(seed + 1));
        double[] w = cell.whh().mutableData();
        for (int i = 0; i < w.length; i++) w[i] *= scale;
        return RecurrentNet.withReadout(cell, 2, new Random(seed + 2));
    }

    /** A training run's held-out cross-entropy, measured every {@code every} steps. */
    record Curve(String name, double[] steps, double[] loss, double seconds) {}

    /**
     * Trains with TBPTT for each k (and online RTRL), prints the held-out cross-entropies and writes the
     * plot.
     *
     * @param args {@code key=value} options: {@code seed=1 hidden=16 steps=60000 streams=32 lr=0.005
     *     rtrlLr=0.001 ks=2,3,4,5,8,10 rtrl=true whhScale=0.5 plot=reports/rnn/lag-task.png} (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        long seed = a.integer("seed", 1);
        int hidden = a.integer("hidden", 16);
        int steps = a.integer("steps", 60000);
        int streams = a.integer("streams", 32);
        double lr = a.real("lr", 0.005);
        double rtrlLr = a.real("rtrlLr", 0.001);
        String[] ks = a.string("ks", "2,3,4,5,8,10").split(",");
        boolean rtrl = Boolean.parseBoolean(a.string("rtrl", "true"));
        double scale = a.real("whhScale", 0.5);
        Path plot = Path.of(a.string("plot", "reports/rnn/lag-task.png"));
        System.out.printf(Locale.ROOT, "Lag task: P(y_t = 1) = 0.5 + 0.5 x_{t-3} - 0.25 x_{t-8}; tanh RNN(2→%d) + softmax, "
                + "%d streams x %d steps, Adam(lr=%s; online RTRL, which updates every step: lr=%s)%n", hidden, streams, steps,
                lr, rtrlLr);
        System.out.printf(Locale.ROOT, "cross-entropy of the best predictor: %.4f (nothing), %.4f (lag 3), %.4f (both lags)%n",
                NOTHING, ONE_LAG, BOTH);
        Object[] train = data(steps, streams, new Random(seed));
        Object[] test = data(4000, streams, new Random(seed + 7));
        List<Curve> curves = new ArrayList<>();
        for (String kString : ks) {
            Curve c = train("TBPTT k=" + kString.trim(), Integer.parseInt(kString.trim()), hidden, scale, lr, seed, train,
                    test, steps);
            curves.add(c);
            report(c);
        }
        if (rtrl) {
            Curve c = train("online exact RTRL", 0, hidden, scale, rtrlLr, seed, train, test, steps);
            curves.add(c);
            report(c);
        }
        int every = Math.max(1, steps / 30);
        Plot p = Plot.lines("Lag task: held-out cross-entropy", "training steps per stream", "cross-entropy (nats)");
        for (Curve c : curves) p.series(c.name(), c.steps(), c.loss());
        double[] xr = {every, steps};
        p.series("0.6616 (nothing)", xr, new double[] {NOTHING, NOTHING});
        p.series("0.5192 (lag 3)", xr, new double[] {ONE_LAG, ONE_LAG});
        p.series("0.4544 (both)", xr, new double[] {BOTH, BOTH});
        System.out.println("plot: " + p.save(plot));
    }

    /**
     * Trains a fresh network (the same initial weights for every method) on the first {@code steps} steps
     * of {@code train} by chunked TBPTT(k), or by online exact RTRL when {@code k == 0}, and records the
     * held-out cross-entropy 30 times along the way.
     */
    static Curve train(String name, int k, int hidden, double scale, double lr, long seed, Object[] train, Object[] test,
            int steps) {
        Tensor[] xs = (Tensor[]) train[0];
        StepLoss loss = StepLoss.crossEntropy((int[][]) train[1]);
        int every = Math.max(1, steps / 30);
        RecurrentNet net = net(hidden, scale, seed);
        Optimizer opt = new Adam(net.parameters(), lr);
        ForwardLearner learner = k == 0 ? new RnnRtrl(net, xs[0].dim(0)) : null;
        long start = System.nanoTime();
        double[] at = new double[steps / every];
        double[] ce = new double[steps / every];
        Tensor[] s = null;
        int point = 0;
        for (int from = 0; from + every <= steps; from += every) {
            if (k == 0) {
                OnlineLearning.run(learner, opt, xs, from, from + every, loss);
            } else {
                Tensor[] piece = java.util.Arrays.copyOfRange(xs, from, from + every);
                int offset = from;
                s = Tbptt.chunked(net, s, piece, (t, y) -> loss.at(t + offset, y), k, opt::step).finalState();
            }
            at[point] = from + every;
            ce[point++] = evaluate(net, (Tensor[]) test[0], (int[][]) test[1]);
        }
        return new Curve(name, at, ce, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The held-out cross-entropy (mean of the last 5 of 30 evaluations) after training a tanh RNN with
     * {@code hidden} units (W_hh scaled by 0.5) on {@code steps} steps of 32 streams: by chunked TBPTT(k),
     * Adam lr 0.005, or by online exact RTRL ({@code k == 0}), Adam lr 0.001. For the tests.
     *
     * @param k      the TBPTT truncation, or 0 for online exact RTRL
     * @param hidden the number of hidden units
     * @param steps  the number of training steps per stream
     * @param seed   the seed of the weights and the data
     * @return the held-out cross-entropy, in nats
     */
    public static double heldOutCrossEntropy(int k, int hidden, int steps, long seed) {
        Object[] train = data(steps, 32, new Random(seed));
        Object[] test = data(2000, 32, new Random(seed + 7));
        return lastMean(train(k == 0 ? "rtrl" : "tbptt", k, hidden, 0.5, k == 0 ? 0.001 : 0.005, seed, train, test, steps)
                .loss());
    }

    static double lastMean(double[] l) {
        double last = 0;
        int n = Math.min(5, l.length);
        for (int i = l.length - n; i < l.length; i++) last += l[i] / n;
        return last;
    }

    private static void report(Curve c) {
        System.out.printf(Locale.ROOT, "  %-18s held-out cross-entropy %.4f (mean of the last 5 evaluations; %.0f s)%n",
                c.name(), lastMean(c.loss()), c.seconds());
    }
}
