package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.plot.Plot;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.elementwise.ElstmCell;
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
 * Issue 13, part 5: the adding problem ({@link AddingProblem}'s data: inputs (u_t, marker_t), two marked
 * steps, one in each half; the target, scored after the last step, is the sum of the two marked values;
 * always predicting 1 scores 1/6 ≈ 0.167) at long T, learned online by one element-wise layer with exact
 * RTRL ({@link ElementwiseOnline#rtrl}): the gradient computed forwards, nothing stored along the sequence,
 * one Adam step per batch of sequences (the loss is at the last step only, so an update after every step
 * with a loss is one per sequence).
 *
 * <p>Cells: {@code lru} ({@link LruCell}: linear in its inputs; with a linear readout its prediction is a
 * linear function of the inputs, and the target {@code Σ_t marker_t·u_t} is not. The best linear predictor
 * from all 2T inputs weights every u_t by 2/T (each step is marked with probability 2/T; the markers
 * themselves are uncorrelated with the target) and explains a variance of only 1/(3T), so no LRU with a
 * linear readout gets below {@code 1/6 − 1/(3T)} (0.1663 at T = 1000)) and
 * {@code elstm} ({@link ElstmCell}: element-wise gates, which can multiply).
 *
 * <p>Options: {@code seed} (1), {@code T} (1000), {@code cells} (lru,elstm), {@code n} (64 LRU states or
 * eLSTM units), {@code H} (32, the LRU's output width), {@code rMin} (0.999), {@code rMax} (0.9999),
 * {@code forgetBias} (3, the eLSTM's), {@code batch} (32), {@code lr} (0.003), {@code sequences} (32000 the
 * most), {@code every} (640), {@code test} (1000 held-out sequences), {@code target} (0.01: stop below it),
 * {@code out} (reports/examples/adding-problem-online).
 */
public final class AddingProblemOnline {
    private AddingProblemOnline() {}

    /** The CPU time of this process so far, in seconds (unlike wall time, it does not count pauses of the process). */
    static double cpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    /** The options of a run. */
    record Config(long seed, int T, int n, int H, double rMin, double rMax, double forgetBias, int batch, double lr,
            int sequences, int every, int test, double target) {
        static Config of(Args a) {
            return new Config(a.integer("seed", 1), a.integer("T", 1000), a.integer("n", 64), a.integer("H", 32),
                    a.real("rMin", 0.999), a.real("rMax", 0.9999), a.real("forgetBias", 3), a.integer("batch", 32),
                    a.real("lr", 0.003), a.integer("sequences", 32000), a.integer("every", 640), a.integer("test", 1000),
                    a.real("target", 0.01));
        }
    }

    /** The network of {@code cell} with a linear readout to one output. */
    static RecurrentNet net(String cell, Config c) {
        Random rng = new Random(c.seed() * 31 + 1);
        Cell k = switch (cell) {
            case "lru" -> LruCell.ring(2, c.n(), c.H(), c.rMin(), c.rMax(), 2 * Math.PI, rng);
            case "elstm" -> new ElstmCell(2, c.n(), c.forgetBias(), rng);
            default -> throw new IllegalArgumentException("AddingProblemOnline: unknown cell '" + cell + "' (lru, elstm)");
        };
        return RecurrentNet.withReadout(k, 1, rng);
    }

    /** The test MSE of the exact forward pass on {@code d} ({@link AddingProblem#data} inputs and targets). */
    static double mse(RecurrentNet net, Tensor[][] d) {
        int T = d[0].length;
        Tensor[] s = net.initialState(d[0][0].dim(0));
        try (var p = Tape.pause()) {
            for (int t = 0; t < T; t++) s = net.step(s, d[0][t]);
            return AddingProblem.lastStep(T, d[1][0]).at(T - 1, net.output(net.cell().output(s))).item();
        }
    }

    /** A learning curve: test MSE after so many sequences and seconds of training, and the mean training MSE. */
    record Curve(String name, double[] sequences, double[] mse, double[] loss, double[] seconds, double[] cpu) {}

    /** Trains {@code cell} online until {@code c.sequences()} or the target, evaluating every {@code c.every()}. */
    static Curve train(String cell, Config c, Tensor[][] test, boolean print) {
        RecurrentNet net = net(cell, c);
        ForwardLearner learner = ElementwiseOnline.rtrl(net, c.batch());
        Optimizer opt = new Adam(net.parameters(), c.lr());
        Random data = new Random(c.seed() * 1000 + 7);
        List<double[]> points = new ArrayList<>();
        double r = mse(net, test);
        points.add(new double[] {0, r, Double.NaN, 0, 0});
        if (print) {
            System.out.printf(Locale.ROOT, "  %s (%s), online exact RTRL, Adam %s, batch %d%n", cell, net.cell().name(),
                    c.lr(), c.batch());
            System.out.printf(Locale.ROOT, "    %7d sequences: test MSE %.5f%n", 0, r);
        }
        double seconds = 0;
        double cpu = 0;
        double lossSum = 0;
        int lossCount = 0;
        int seen = 0;
        while (seen < c.sequences() && r >= c.target()) {
            Tensor[][] d = AddingProblem.data(c.T(), c.batch(), data);
            long start = System.nanoTime();
            double cpuStart = cpuSeconds();
            SequenceGradient g = ForwardLearner.run(learner, d[0], AddingProblem.lastStep(c.T(), d[1][0]));
            opt.step(g.gradients());
            seconds += (System.nanoTime() - start) / 1e9;
            cpu += cpuSeconds() - cpuStart;
            lossSum += g.loss();
            lossCount++;
            seen += c.batch();
            if (seen % c.every() < c.batch() || seen >= c.sequences()) {
                r = mse(net, test);
                points.add(new double[] {seen, r, lossSum / lossCount, seconds, cpu});
                if (print) System.out.printf(Locale.ROOT, "    %7d sequences: test MSE %.5f, training MSE %.5f (%.0f s, %.0f s CPU)%n",
                        seen, r, lossSum / lossCount, seconds, cpu);
                lossSum = 0;
                lossCount = 0;
            }
        }
        double[][] cols = new double[5][points.size()];
        for (int i = 0; i < points.size(); i++) for (int j = 0; j < 5; j++) cols[j][i] = points.get(i)[j];
        String name = (cell.equals("lru") ? "LRU(N = " + c.n() + ")" : "eLSTM(" + c.n() + ")") + " online exact RTRL";
        return new Curve(name, cols[0], cols[1], cols[2], cols[3], cols[4]);
    }

    /**
     * Trains each cell, prints the progress, writes {@code adding-T<T>.csv} and {@code .png} into {@code out}.
     *
     * @param args {@code key=value} options (see the class comment)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        Config c = Config.of(a);
        String[] cells = a.string("cells", "lru,elstm").split(",");
        Path out = Path.of(a.string("out", "reports/examples/adding-problem-online"));
        System.out.printf(Locale.ROOT, "Adding problem, T = %d, online; test MSE on %d held-out sequences every %d "
                + "sequences; baseline (always 1) 0.1667; target %s; seed %d%n", c.T(), c.test(), c.every(), c.target(),
                c.seed());
        Tensor[][] test = AddingProblem.data(c.T(), c.test(), new Random(c.seed() * 1000 + 3));
        List<Curve> curves = new ArrayList<>();
        for (String cell : cells) {
            Curve cv = train(cell.trim(), c, test, true);
            curves.add(cv);
            int last = cv.mse().length - 1;
            System.out.printf(Locale.ROOT, "  => %s: test MSE %.5f after %.0f sequences, %.0f s of training%n", cv.name(),
                    cv.mse()[last], cv.sequences()[last], cv.seconds()[last]);
        }
        String stem = "adding-T" + c.T();
        double maxSeen = 1;
        try {
            Files.createDirectories(out);
            StringBuilder csv = new StringBuilder("learner,sequences,test_mse,training_mse,seconds,cpu_seconds\n");
            for (Curve cv : curves) {
                maxSeen = Math.max(maxSeen, cv.sequences()[cv.sequences().length - 1]);
                for (int i = 0; i < cv.sequences().length; i++) {
                    csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.6f,%.6f,%.3f,%.3f%n", cv.name(), (long) cv.sequences()[i],
                            cv.mse()[i], cv.loss()[i], cv.seconds()[i], cv.cpu()[i]));
                }
            }
            Files.writeString(out.resolve(stem + ".csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Plot p = Plot.lines("Adding problem, T = " + c.T() + ", online: test MSE", "training sequences", "test MSE").logY();
        for (Curve cv : curves) p.series(cv.name(), cv.sequences(), cv.mse());
        p.series("baseline 1/6", new double[] {0, maxSeen}, new double[] {1 / 6.0, 1 / 6.0});
        p.series("target " + c.target(), new double[] {0, maxSeen}, new double[] {c.target(), c.target()});
        System.out.println("csv: " + out.resolve(stem + ".csv"));
        System.out.println("plot: " + p.save(out.resolve(stem + ".png")));
    }
}
