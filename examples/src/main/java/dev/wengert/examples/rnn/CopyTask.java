package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.plot.Plot;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.rtrl.RnnRtrl;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.elementwise.LruCell;
import dev.wengert.rnn.online.ElementwiseOnline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Issue 13, part 5: the copy task learned online. A sequence is a pattern of S symbols drawn uniformly from
 * an alphabet of K, one per step ({@code t = 0..S−1}), then D blank steps ({@code t = S..S+D−1}), then S
 * recall steps ({@code t = S+D..2S+D−1}) whose input is the recall marker; at recall step i the net must
 * output the pattern's i-th symbol. Inputs are one-hot of width K + 1 (channels 0..K−1 the symbols, channel K
 * the marker; a blank step is all zeros); the loss is the softmax cross-entropy of the readout on the recall
 * steps only (averaged over the batch), and the score is the per-symbol recall: the fraction of recall steps
 * whose arg-max is the pattern's symbol, on a fixed held-out set of sequences. Chance is 1/K.
 *
 * <p>Every symbol is recalled exactly S + D steps after it was shown, so the map is a fixed delay, which a
 * linear recurrence with a linear readout can express (a bank of damped rotations whose sum peaks at lag
 * S + D); the LRU, whose moduli start near 1 and whose phases cover the circle, is made for it.
 *
 * <p>Learners (each on a fresh network from the same seed; every one sees the same training batches):
 * <ul>
 *   <li>{@code lru}: an LRU stack ({@code layers} × {@link LruCell}, N = {@code n} complex states, width
 *       {@code H}) with a linear readout, trained online by {@link ElementwiseOnline} (exact RTRL for one
 *       layer, Zucchet et al.'s rule for a stack): an Adam step after every recall step, nothing stored
 *       along the sequence;</li>
 *   <li>{@code tbptt}: the same LRU by chunked TBPTT with chunks of {@code tbpttK} steps (an Adam step after
 *       each chunk): with {@code tbpttK ≤ D} no chunk holding a recall step reaches back to the pattern;</li>
 *   <li>{@code bptt}: the same LRU by full BPTT (one Adam step per batch), a non-online reference;</li>
 *   <li>{@code rtrl}, {@code snap1}, {@code uoro}: a tanh RNN ({@code rnnHidden} units; exact RTRL at
 *       {@code rtrlHidden}) trained online by {@link RnnRtrl}, {@link Snap1}, {@link Uoro}.</li>
 * </ul>
 *
 * <p>Options ({@code key=value}): {@code seed} (1), {@code S} (20), {@code D} (100), {@code K} (8), {@code n}
 * (128), {@code H} (32), {@code layers} (1), {@code rMin} (0.99), {@code rMax} (0.999), {@code maxPhase} (2π),
 * {@code batch} (16), {@code lr} (0.0003), {@code update} ({@code step}: an Adam step after every recall
 * step; {@code sequence}: one per batch with the summed online gradient), {@code tbpttLr} (= lr),
 * {@code rnnLr} (0.001), {@code sequences} (20000, the most per learner), {@code every} (320: evaluate every
 * so many sequences), {@code test} (256 held-out sequences), {@code target} (0.99: a learner stops when its
 * recall reaches it), {@code learners} (lru,tbptt,rtrl,snap1,uoro; also bptt), {@code tbpttK} (50),
 * {@code rnnHidden} (64), {@code rtrlHidden} (16), {@code out} (reports/examples/copy-task).
 *
 * <p>Same seed, same numbers: the weights, the training batches (the same for every learner), the test set
 * and UORO's signs all come from the seed.
 */
public final class CopyTask {
    private CopyTask() {}

    /** The CPU time of this process so far, in seconds (unlike wall time, it does not count pauses of the process). */
    static double cpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    /**
     * A batch of copy-task sequences.
     *
     * @param xs       the inputs, {@code [T][batch, K+1]}
     * @param labels   the target symbol of each recall step, {@code labels[t][b]}; null at the other steps
     * @param patterns the pattern of each sequence, {@code patterns[b][i]}
     */
    record Batch(Tensor[] xs, int[][] labels, int[][] patterns) {}

    /** @return the sequence length {@code 2S + D} */
    static int length(int S, int D) {
        return 2 * S + D;
    }

    /**
     * {@code batch} fresh sequences: pattern at {@code 0..S−1}, blanks at {@code S..S+D−1}, the marker
     * (channel K) and the labels at {@code S+D..2S+D−1}.
     */
    static Batch data(int S, int D, int K, int batch, Random rng) {
        int T = length(S, D);
        int m = K + 1;
        int[][] patterns = new int[batch][S];
        for (int b = 0; b < batch; b++) for (int i = 0; i < S; i++) patterns[b][i] = rng.nextInt(K);
        Tensor[] xs = new Tensor[T];
        int[][] labels = new int[T][];
        for (int t = 0; t < T; t++) {
            double[] x = new double[batch * m];
            if (t < S) {
                for (int b = 0; b < batch; b++) x[b * m + patterns[b][t]] = 1;
            } else if (t >= S + D) {
                labels[t] = new int[batch];
                for (int b = 0; b < batch; b++) {
                    x[b * m + K] = 1;
                    labels[t][b] = patterns[b][t - S - D];
                }
            }
            xs[t] = Tensor.of(x, batch, m);
        }
        return new Batch(xs, labels, patterns);
    }

    /** The per-symbol recall of the exact forward pass on {@code d}: correct arg-maxes over all recall steps. */
    static double recall(RecurrentNet net, Batch d) {
        int batch = d.xs()[0].dim(0);
        Tensor[] s = net.initialState(batch);
        long correct = 0;
        long total = 0;
        try (var p = Tape.pause()) {
            for (int t = 0; t < d.xs().length; t++) {
                s = net.step(s, d.xs()[t]);
                if (d.labels()[t] == null) continue;
                double[] y = net.output(net.cell().output(s)).data();
                int k = y.length / batch;
                for (int b = 0; b < batch; b++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) if (y[b * k + c] > y[b * k + best]) best = c;
                    if (best == d.labels()[t][b]) correct++;
                    total++;
                }
            }
        }
        return (double) correct / total;
    }

    /** The options of a run. */
    record Config(long seed, int S, int D, int K, int n, int H, int layers, double rMin, double rMax, double maxPhase,
            int batch, double lr, double rnnLr, int sequences, int every, int test, double target, int tbpttK,
            int rnnHidden, int rtrlHidden, boolean perStep, double tbpttLr) {
        static Config of(Args a) {
            return new Config(a.integer("seed", 1), a.integer("S", 20), a.integer("D", 100), a.integer("K", 8),
                    a.integer("n", 128), a.integer("H", 32), a.integer("layers", 1), a.real("rMin", 0.99),
                    a.real("rMax", 0.999), a.real("maxPhase", 2 * Math.PI), a.integer("batch", 16), a.real("lr", 0.0003),
                    a.real("rnnLr", 0.001), a.integer("sequences", 20000), a.integer("every", 320),
                    a.integer("test", 256), a.real("target", 0.99), a.integer("tbpttK", 50),
                    a.integer("rnnHidden", 64), a.integer("rtrlHidden", 16),
                    !a.string("update", "step").equals("sequence"), a.real("tbpttLr", a.real("lr", 0.0003)));
        }
    }

    /** The LRU stack with a linear readout, the same initial weights for every LRU learner. */
    static RecurrentNet lru(Config c) {
        Random rng = new Random(c.seed() * 31 + 1);
        Cell[] cells = new Cell[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            cells[l] = LruCell.ring(l == 0 ? c.K() + 1 : c.H(), c.n(), c.H(), c.rMin(), c.rMax(), c.maxPhase(), rng);
        }
        Cell cell = c.layers() == 1 ? cells[0] : new StackedCell(cells);
        return RecurrentNet.withReadout(cell, c.K(), rng);
    }

    /** A tanh RNN with {@code hidden} units and a linear readout. */
    static RecurrentNet rnn(Config c, int hidden) {
        Random rng = new Random(c.seed() * 31 + 2);
        return RecurrentNet.withReadout(new RnnCell(c.K() + 1, hidden, rng), c.K(), rng);
    }

    /**
     * A learning curve: the held-out recall after {@code sequences[i]} training sequences, {@code seconds[i]}
     * of training (evaluation excluded), and the mean training loss per recall step since the last point.
     */
    record Curve(String name, String description, double[] sequences, double[] recall, double[] loss,
            double[] seconds, double[] cpu) {
        double last() {
            return recall.length == 0 ? Double.NaN : recall[recall.length - 1];
        }

        double best() {
            double b = Double.NaN;
            for (double r : recall) if (!(r <= b)) b = r;
            return b;
        }
    }

    /** One training method: a network, and what to do with one batch. */
    interface Method {
        RecurrentNet net();

        /** Trains on one batch; returns the summed loss over its recall steps. */
        double train(Batch d);
    }

    /**
     * Online training of a forward learner: the state and traces reset at each batch; an Adam step after
     * every recall step ({@code perStep}), or one with the summed gradient of the recall steps at the end of
     * the batch (the gradient still computed forwards, nothing stored along the sequence).
     */
    static Method online(RecurrentNet net, ForwardLearner learner, double lr, boolean perStep) {
        Optimizer opt = new Adam(net.parameters(), lr);
        return new Method() {
            public RecurrentNet net() {
                return net;
            }

            public double train(Batch d) {
                if (!perStep) {
                    SequenceGradient g = ForwardLearner.run(learner, d.xs(), StepLoss.crossEntropy(d.labels()));
                    opt.step(g.gradients());
                    return g.loss();
                }
                learner.reset(null);
                double[] l = OnlineLearning.run(learner, opt, d.xs(), 0, d.xs().length, StepLoss.crossEntropy(d.labels()));
                double s = 0;
                for (double v : l) s += v;
                return s;
            }
        };
    }

    /** Chunked TBPTT(k) from the zero state at each batch, Adam after every chunk (k ≥ T: full BPTT). */
    static Method tbptt(RecurrentNet net, int k, double lr) {
        Optimizer opt = new Adam(net.parameters(), lr);
        return new Method() {
            public RecurrentNet net() {
                return net;
            }

            public double train(Batch d) {
                return Tbptt.chunked(net, null, d.xs(), StepLoss.crossEntropy(d.labels()), k, opt::step).loss();
            }
        };
    }

    /** The method named {@code name} on a fresh network, and its description. */
    static Object[] method(String name, Config c) {
        int T = length(c.S(), c.D());
        String lru = String.format(Locale.ROOT, "%s LRU (N = %d, H = %d, |λ| in [%s, %s])",
                c.layers() == 1 ? "1-layer" : c.layers() + "-layer", c.n(), c.H(), c.rMin(), c.rMax());
        switch (name) {
            case "lru": {
                RecurrentNet net = lru(c);
                ElementwiseOnline l = c.layers() == 1 ? ElementwiseOnline.rtrl(net, c.batch())
                        : ElementwiseOnline.zucchet(net, c.batch());
                return new Object[] {online(net, l, c.lr(), c.perStep()), lru + ", online " + (c.layers() == 1 ? "exact RTRL"
                        : "Zucchet et al.") + (c.perStep() ? ", update every recall step" : ", update every sequence")
                        + ", Adam " + c.lr(), (c.layers() == 1 ? "LRU online (exact RTRL)"
                        : "LRU online (Zucchet)") + (c.perStep() ? "" : ", per sequence")};
            }
            case "tbptt":
                return new Object[] {tbptt(lru(c), c.tbpttK(), c.tbpttLr()), lru + ", chunked TBPTT(" + c.tbpttK()
                        + "), Adam " + c.tbpttLr(), "LRU TBPTT(" + c.tbpttK() + ")"};
            case "bptt":
                return new Object[] {tbptt(lru(c), T, c.tbpttLr()), lru + ", full BPTT, Adam " + c.tbpttLr(), "LRU full BPTT"};
            case "rtrl": {
                RecurrentNet net = rnn(c, c.rtrlHidden());
                return new Object[] {online(net, new RnnRtrl(net, c.batch()), c.rnnLr(), c.perStep()), "tanh RNN(" + c.rtrlHidden()
                        + "), online exact RTRL, Adam " + c.rnnLr(), "RNN(" + c.rtrlHidden() + ") RTRL"};
            }
            case "snap1": {
                RecurrentNet net = rnn(c, c.rnnHidden());
                return new Object[] {online(net, new Snap1(net, c.batch()), c.rnnLr(), c.perStep()), "tanh RNN(" + c.rnnHidden()
                        + "), online SnAp-1, Adam " + c.rnnLr(), "RNN(" + c.rnnHidden() + ") SnAp-1"};
            }
            case "uoro": {
                RecurrentNet net = rnn(c, c.rnnHidden());
                return new Object[] {online(net, new Uoro(net, c.batch(), c.seed() + 5), c.rnnLr(), c.perStep()), "tanh RNN("
                        + c.rnnHidden() + "), online UORO, Adam " + c.rnnLr(), "RNN(" + c.rnnHidden() + ") UORO"};
            }
            default:
                throw new IllegalArgumentException("CopyTask: unknown learner '" + name
                        + "' (lru, tbptt, bptt, rtrl, snap1, uoro)");
        }
    }

    /**
     * Trains one method on the training stream of seed {@code c.seed()} (the same batches for every method)
     * until {@code c.sequences()} sequences or the target recall, evaluating every {@code c.every()}
     * sequences on {@code test}.
     */
    static Curve train(String name, Config c, Batch test, boolean print) {
        Object[] m = method(name, c);
        Method method = (Method) m[0];
        Random data = new Random(c.seed() * 1000 + 7);
        List<double[]> points = new ArrayList<>();
        double seconds = 0;
        double cpu = 0;
        double lossSum = 0;
        int lossCount = 0;
        int seen = 0;
        if (print) System.out.printf(Locale.ROOT, "  %s%n", m[1]);
        double r = recall(method.net(), test);
        points.add(new double[] {0, r, Double.NaN, 0, 0});
        if (print) System.out.printf(Locale.ROOT, "    %7d sequences: recall %.4f%n", 0, r);
        while (seen < c.sequences() && r < c.target()) {
            Batch d = data(c.S(), c.D(), c.K(), c.batch(), data);
            long start = System.nanoTime();
            double cpuStart = cpuSeconds();
            lossSum += method.train(d);
            seconds += (System.nanoTime() - start) / 1e9;
            cpu += cpuSeconds() - cpuStart;
            lossCount += c.S();
            seen += c.batch();
            if (seen % c.every() < c.batch() || seen >= c.sequences()) {
                r = recall(method.net(), test);
                double loss = lossSum / lossCount;
                points.add(new double[] {seen, r, loss, seconds, cpu});
                lossSum = 0;
                lossCount = 0;
                if (print) System.out.printf(Locale.ROOT, "    %7d sequences: recall %.4f, training loss %.4f (%.0f s, %.0f s CPU)%n",
                        seen, r, loss, seconds, cpu);
            }
        }
        double[][] cols = new double[5][points.size()];
        for (int i = 0; i < points.size(); i++) for (int j = 0; j < 5; j++) cols[j][i] = points.get(i)[j];
        return new Curve((String) m[2], (String) m[1], cols[0], cols[1], cols[2], cols[3], cols[4]);
    }

    /**
     * Runs the learners, prints the progress and writes {@code copy-task-S<S>-D<D>.csv} and {@code .png}
     * into {@code out}.
     *
     * @param args {@code key=value} options (see the class comment)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        Config c = Config.of(a);
        String[] learners = a.string("learners", "lru,tbptt,rtrl,snap1,uoro").split(",");
        Path out = Path.of(a.string("out", "reports/examples/copy-task"));
        System.out.printf(Locale.ROOT, "Copy task: S = %d symbols of %d, delay D = %d, T = %d steps; batch %d, at most %d "
                + "sequences per learner, recall on %d held-out sequences every %d; chance %.3f; seed %d%n", c.S(), c.K(),
                c.D(), length(c.S(), c.D()), c.batch(), c.sequences(), c.test(), c.every(), 1.0 / c.K(), c.seed());
        Batch test = data(c.S(), c.D(), c.K(), c.test(), new Random(c.seed() * 1000 + 3));
        List<Curve> curves = new ArrayList<>();
        for (String l : learners) {
            Curve curve = train(l.trim(), c, test, true);
            curves.add(curve);
            System.out.printf(Locale.ROOT, "  => %s: recall %.4f (best %.4f) after %.0f sequences, %.0f s of training%n",
                    curve.name(), curve.last(), curve.best(), curve.sequences()[curve.sequences().length - 1],
                    curve.seconds()[curve.seconds().length - 1]);
        }
        String stem = String.format(Locale.ROOT, "copy-task-S%d-D%d", c.S(), c.D());
        try {
            Files.createDirectories(out);
            StringBuilder csv = new StringBuilder("learner,sequences,recall,training_loss,seconds,cpu_seconds\n");
            for (Curve cv : curves) {
                for (int i = 0; i < cv.sequences().length; i++) {
                    csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.6f,%.6f,%.3f,%.3f%n", cv.description(),
                            (long) cv.sequences()[i], cv.recall()[i], cv.loss()[i], cv.seconds()[i], cv.cpu()[i]));
                }
            }
            Files.writeString(out.resolve(stem + ".csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double maxSeen = 1;
        for (Curve cv : curves) maxSeen = Math.max(maxSeen, cv.sequences()[cv.sequences().length - 1]);
        Plot p = Plot.lines(String.format(Locale.ROOT, "Copy task, S = %d of %d symbols, delay %d: held-out recall", c.S(),
                c.K(), c.D()), "training sequences", "per-symbol recall");
        for (Curve cv : curves) p.series(cv.name(), cv.sequences(), cv.recall());
        p.series(String.format(Locale.ROOT, "chance (1/%d)", c.K()), new double[] {0, maxSeen},
                new double[] {1.0 / c.K(), 1.0 / c.K()});
        p.series(String.format(Locale.ROOT, "%.2f", c.target()), new double[] {0, maxSeen},
                new double[] {c.target(), c.target()});
        System.out.println("csv: " + out.resolve(stem + ".csv"));
        System.out.println("plot: " + p.save(out.resolve(stem + ".png")));
    }
}
