package dev.wengert.bench;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Generic RTRL against the fast kernel ({@code Rtrl.exact}) interleaved in one JVM, one sequence each per
 * round, on {@link BenchmarkRecurrent}'s workload (m = 32, loss Σ‖h_t‖², the same networks): medians of the
 * rounds in ms per sequence and their ratio. On a shared machine the load moves both alike, which separate JMH
 * runs cannot promise; JMH ({@code BenchmarkRecurrent}) remains the measurement of record.
 *
 * <p>Arguments: {@code cell n T batch rounds [skipOld]}; {@code -Dwarmup=SECONDS} (default 4). When a class
 * {@code dev.wengert.rnn.rtrl.OldGenericRtrl} with a {@code (RecurrentNet, int)} constructor is on the class
 * path (another version of GenericRtrl compiled under that name in its package, e.g. main's), it is timed in
 * the same rounds too.
 */
public final class RtrlRatio {
    private RtrlRatio() {}

    static double time(ForwardLearner l, Tensor[] xs, StepLoss loss) {
        long t0 = System.nanoTime(); ForwardLearner.run(l, xs, loss); return (System.nanoTime() - t0) / 1e6;
    }
    /** The class path's OldGenericRtrl for the network, or null when there is none. */
    static ForwardLearner older(RecurrentNet net, int batch) {
        try {
            return (ForwardLearner) Class.forName("dev.wengert.rnn.rtrl.OldGenericRtrl")
                    .getConstructor(RecurrentNet.class, int.class).newInstance(net, batch);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static double median(double[] a) { double[] c = a.clone(); Arrays.sort(c); return c[c.length / 2]; }
    /**
     * Runs one comparison.
     *
     * @param a cell ({@code rnn} or {@code lstm}), n, T, batch and the number of rounds, as the class comment says
     */
    public static void main(String[] a) {
        String cell = a[0]; int n = Integer.parseInt(a[1]); int T = Integer.parseInt(a[2]); int b = Integer.parseInt(a[3]);
        int reps = Integer.parseInt(a[4]);
        boolean old = a.length < 6 || !a[5].equals("skipOld");
        Random rng = new Random(0);
        RecurrentNet net = BenchmarkRecurrent.network(cell, n, rng);
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, b, BenchmarkRecurrent.M);
        StepLoss loss = StepLoss.sumOfSquares();
        ForwardLearner fast = cell.equals("gru") ? null : Rtrl.exact(net, b);
        ForwardLearner gen = new GenericRtrl(net, b);
        ForwardLearner before = old ? older(net, b) : null;
        // agreement
        double err = ForwardLearner.run(gen, xs, loss).relativeError(fast != null ? ForwardLearner.run(fast, xs, loss)
                : Bptt.gradient(net, null, xs, loss));
        double[] tf = new double[reps], tg = new double[reps], to = new double[reps];
        long wend = System.nanoTime() + (long) (Double.parseDouble(System.getProperty("warmup", "4")) * 1e9);
        while (System.nanoTime() < wend) {
            if (fast != null) time(fast, xs, loss);
            time(gen, xs, loss);
            if (before != null) time(before, xs, loss);
        }
        for (int r = 0; r < reps; r++) {
            if (fast != null) tf[r] = time(fast, xs, loss);
            tg[r] = time(gen, xs, loss);
            if (before != null) to[r] = time(before, xs, loss);
        }
        double mf = median(tf), mg = median(tg), mo = median(to);
        String vsFast = fast == null ? "" : String.format(Locale.ROOT, " (%.2fx fast)", mg / mf);
        System.out.printf(Locale.ROOT, "%s n=%d T=%d batch=%d: fast %s | generic after %.2f ms%s%s | rel. err. after vs %s "
                + "%.1e | %d interleaved rounds, medians%n", cell, n, T, b,
                fast == null ? "none" : String.format(Locale.ROOT, "%.2f ms", mf), mg, vsFast,
                before == null ? "" : String.format(Locale.ROOT, " | generic before %.2f ms%s", mo,
                        fast == null ? "" : String.format(Locale.ROOT, " (%.1fx fast)", mo / mf)),
                fast == null ? "BPTT" : "fast", err, reps);
    }
}
