package dev.wengert.bench.report;

import dev.wengert.nn.plot.Plot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The report's PNG plots, saved next to report.md and linked from it. */
final class ReportPlots {
    private final Path out;
    private final Markdown md;

    ReportPlots(Path out, Markdown md) {
        this.out = out;
        this.md = md;
    }

    /**
     * Matmul GFLOP/s against n: Wengert on one and two threads, OpenBLAS at the same n where the anchors
     * have it.
     *
     * @param ours1 rows {n, GFLOP/s} on one thread
     * @param ours2 rows {n, GFLOP/s} on two threads
     */
    void matmul(List<double[]> ours1, List<double[]> ours2, Anchors anchors) {
        if (ours1.isEmpty()) return;
        Plot p = Plot.lines("Matmul throughput", "n", "GFLOP/s").markers();
        p.series("Wengert, 1 thread", col(ours1, 0), col(ours1, 1));
        if (!ours2.isEmpty()) p.series("Wengert, 2 threads", col(ours2, 0), col(ours2, 1));
        for (String t : new String[] {"1", "2"}) {
            double[] ns = col(ours1, 0);
            double[] g = new double[ns.length];
            boolean any = false;
            for (int i = 0; i < ns.length; i++) {
                g[i] = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n",
                        Integer.toString((int) ns[i]), "threads", t);
                any |= !Double.isNaN(g[i]);
            }
            if (any) p.series("OpenBLAS, " + Format.threads(t), ns, g);
        }
        save(p, "matmul-gflops.png");
    }

    /** Time and state against n and against T for each algorithm of the vanilla RNN at batch 1. */
    void recurrent(String[] algs, List<Measurement> recurrent) {
        Plot timeN = Plot.lines("Time per sequence against n (tanh RNN, batch 1)", "hidden units n",
                "milliseconds per sequence").logLog();
        Plot timeT = Plot.lines("Time per sequence against T (tanh RNN, batch 1)", "sequence length T",
                "milliseconds per sequence").logLog();
        Plot memN = Plot.lines("State kept alive against n (tanh RNN, batch 1)", "hidden units n", "bytes").logLog();
        Plot memT = Plot.lines("State kept alive against T (tanh RNN, batch 1)", "sequence length T", "bytes").logLog();
        boolean any = false;
        for (String alg : algs) {
            List<Measurement> ms = RecurrentSection.select(recurrent, alg, "rnn", 1);
            if (ms.isEmpty()) continue;
            Map<Integer, List<Measurement>> byT = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("steps")));
            List<Measurement> atT = byT.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).get();
            if (atT.size() >= 2) {
                List<Measurement> s = ScalingFit.sorted(atT);
                double[] x = s.stream().mapToDouble(m -> m.intParam("n")).toArray();
                timeN.series(alg + " (T = " + s.get(0).param("steps") + ")", x,
                        s.stream().mapToDouble(Measurement::millis).toArray());
                memN.series(alg + " (T = " + s.get(0).param("steps") + ")", x,
                        s.stream().mapToDouble(m -> m.stateBytes).toArray());
                any = true;
            }
            Map<Integer, List<Measurement>> byN = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("n")));
            List<Measurement> atN = byN.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).get();
            if (atN.size() >= 2) {
                List<Measurement> s = ScalingFit.sorted(atN);
                double[] x = s.stream().mapToDouble(m -> m.intParam("steps")).toArray();
                timeT.series(alg + " (n = " + s.get(0).param("n") + ")", x,
                        s.stream().mapToDouble(Measurement::millis).toArray());
                memT.series(alg + " (n = " + s.get(0).param("n") + ")", x,
                        s.stream().mapToDouble(m -> m.stateBytes).toArray());
            }
        }
        if (!any) return;
        md.line("### Plots");
        md.line("");
        save(timeN, "recurrent-time-vs-n.png");
        save(timeT, "recurrent-time-vs-T.png");
        save(memN, "recurrent-state-vs-n.png");
        save(memT, "recurrent-state-vs-T.png");
    }

    /**
     * The online suite against T: time per step and state kept alive, for each algorithm and stack depth.
     *
     * @param series label → rows {T, microseconds per step, state bytes}
     */
    void online(Map<String, List<double[]>> series) {
        Plot time = Plot.lines("LRU stack: time per step against T (n = 16, batch 1)", "sequence length T",
                "microseconds per step").logLog();
        Plot state = Plot.lines("LRU stack: state kept alive against T (n = 16, batch 1)", "sequence length T",
                "bytes").logLog();
        boolean any = false;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            if (e.getValue().size() < 2) continue;
            time.series(e.getKey(), col(e.getValue(), 0), col(e.getValue(), 1));
            List<double[]> kept = e.getValue().stream().filter(r -> r[2] > 0).collect(Collectors.toList());
            if (kept.size() >= 2) state.series(e.getKey(), col(kept, 0), col(kept, 2));
            any = true;
        }
        if (!any) return;
        save(time, "online-time-vs-T.png");
        save(state, "online-state-vs-T.png");
    }

    private void save(Plot p, String file) {
        try {
            p.save(out.resolve(file));
            md.line("![%s](%s)", file, file);
            md.line("");
        } catch (IllegalStateException e) {
            // a plot without series: nothing measured for it
        }
    }

    private static double[] col(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
