package dev.wengert.bench.report;

import static dev.wengert.bench.report.Format.bytes;
import static dev.wengert.bench.report.Format.fmt;
import static dev.wengert.bench.report.Format.ms;
import static dev.wengert.bench.report.Format.range;

import dev.wengert.bench.BenchmarkRecurrent;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The report's recurrent-learning tables: time, state and allocation over the grid, the fitted exponents,
 * the RTRL/BPTT ratio, the memory crossover, the plots, and what was left out.
 */
final class RecurrentSection {
    static final String[] ALGORITHMS = {"bptt", "tbptt", "checkpointed", "rtrl", "rtrlGeneric", "snap1", "uoro"};

    private final SuiteRun run;
    private final Markdown md;
    private final ReportPlots plots;

    RecurrentSection(SuiteRun run, Markdown md, ReportPlots plots) {
        this.run = run;
        this.md = md;
        this.plots = plots;
    }

    /** The measurements of one algorithm, cell and batch size. */
    static List<Measurement> select(List<Measurement> ms, String alg, String cell, int batch) {
        return ms.stream().filter(m -> m.param("algorithm").equals(alg) && m.param("cell").equals(cell)
                && m.intParam("batch") == batch).collect(Collectors.toList());
    }

    private List<Measurement> rec(String alg, String cell, int batch) {
        return select(run.recurrent, alg, cell, batch);
    }

    void write() {
        String[] algs = ALGORITHMS;
        md.line("## Recurrent learning (`BenchmarkRecurrent`)");
        md.line("");
        md.line("Time per sequence for the gradient of Σ_t ‖h_t‖² (m = 32 inputs), and the bytes kept alive at the "
                + "peak (*state*: the tape's activations for the BPTT family, the sensitivity state for the RTRL "
                + "family; measured, one run each) and allocated per sequence (JMH's GC profiler).");
        md.line("");
        for (String cell : new String[] {"rnn", "lstm"}) {
            for (int batch : new int[] {1, 32}) {
                List<Measurement> all = run.recurrent.stream().filter(m -> m.param("cell").equals(cell)
                        && m.intParam("batch") == batch).collect(Collectors.toList());
                if (all.isEmpty()) continue;
                md.line("### %s, batch %d", cell.equals("rnn") ? "Vanilla tanh RNN" : "LSTM", batch);
                md.line("");
                md.line("| algorithm | n | T | time | state | allocated |");
                md.line("|---|---|---|---|---|---|");
                for (String alg : algs) {
                    for (Measurement m : ScalingFit.sorted(rec(alg, cell, batch))) {
                        md.line("| %s | %s | %s | %s | %s | %s |", alg, m.param("n"), m.param("steps"), range(m),
                                bytes(m.stateBytes), bytes(m.allocBytes));
                    }
                }
                md.line("");
            }
        }
        exponents(algs);
        ratio();
        crossover();
        plots.recurrent(algs, run.recurrent);
        if (!run.excluded.isEmpty()) {
            md.line("### Left out");
            md.line("");
            for (String e : run.excluded) md.line("- %s", e);
            md.line("");
        }
    }

    /**
     * Local scaling exponents at the large end: d log y / d log n over the largest measured n at the most
     * common T, and d log y / d log T over the T values measured at one n (least squares on log-log).
     */
    private void exponents(String[] algs) {
        md.line("### Fitted scaling exponents (vanilla RNN, batch 1)");
        md.line("");
        md.line("Least-squares slopes on log-log axes: over the three largest n measured at one T, and over all T "
                + "measured at one n. Expected by counting: BPTT time ∝ T·n², state ∝ T·n; RTRL time ∝ T·n⁴, state "
                + "∝ n³ and flat in T.");
        md.line("");
        md.line("| algorithm | time ∝ n^a: a | time ∝ T^b: b | state ∝ n^c: c | state ∝ T^d: d |");
        md.line("|---|---|---|---|---|");
        for (String alg : algs) {
            List<Measurement> ms = rec(alg, "rnn", 1);
            if (ms.isEmpty()) continue;
            double[] a = ScalingFit.slopeInN(ms, m -> m.millis());
            double[] b = ScalingFit.slopeInT(ms, m -> m.millis());
            double[] c = ScalingFit.slopeInN(ms, m -> m.stateBytes);
            double[] d = ScalingFit.slopeInT(ms, m -> m.stateBytes);
            md.line("| %s | %s | %s | %s | %s |", alg, slope(a), slope(b), slope(c), slope(d));
        }
        md.line("");
    }

    private static String slope(double[] s) {
        if (s == null) return "–";
        return String.format(Locale.ROOT, "%.2f (%s)", s[0], s.length > 1 ? where(s) : "");
    }

    private static String where(double[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < s.length; i += 2) {
            if (b.length() > 0) b.append(", ");
            b.append(String.format(Locale.ROOT, "%s = %.0f", i == 1 ? "at" : "", s[i]));
        }
        return b.toString().replace("at = ", s.length > 2 ? "" : "");
    }

    private void ratio() {
        List<Measurement> bptt = rec("bptt", "rnn", 1);
        List<Measurement> rtrl = rec("rtrl", "rnn", 1);
        if (bptt.isEmpty() || rtrl.isEmpty()) return;
        md.line("### RTRL / BPTT time (vanilla RNN, batch 1)");
        md.line("");
        md.line("| n | T | BPTT | RTRL | RTRL / BPTT |");
        md.line("|---|---|---|---|---|");
        for (Measurement r : ScalingFit.sorted(rtrl)) {
            for (Measurement b : bptt) {
                if (b.param("n").equals(r.param("n")) && b.param("steps").equals(r.param("steps"))) {
                    md.line("| %s | %s | %s | %s | %s× |", r.param("n"), r.param("steps"), ms(b.millis()),
                            ms(r.millis()), fmt(r.millis() / b.millis()));
                }
            }
        }
        md.line("");
    }

    /**
     * The sequence length T* beyond which BPTT keeps more alive than exact RTRL: BPTT's state grows
     * linearly in T (a line through its measured points), RTRL's is flat.
     */
    private void crossover() {
        List<Measurement> bptt = rec("bptt", "rnn", 1);
        List<Measurement> rtrl = rec("rtrl", "rnn", 1);
        TreeSet<Integer> ns = new TreeSet<>();
        for (Measurement m : rtrl) ns.add(m.intParam("n"));
        StringBuilder rows = new StringBuilder();
        for (int n : ns) {
            ScalingFit.Line line = ScalingFit.stateAgainstT(
                    bptt.stream().filter(m -> m.intParam("n") == n).collect(Collectors.toList()));
            if (line == null) continue;
            double rBytes = rtrl.stream().filter(m -> m.intParam("n") == n).mapToDouble(m -> m.stateBytes).average()
                    .orElse(Double.NaN);
            int m = BenchmarkRecurrent.M;
            double p = (double) n * n + (double) n * m + n;
            rows.append(String.format(Locale.ROOT, "| %d | %s per step | %s | %.0f | %.0f |%n", n, bytes(line.slope()),
                    bytes(rBytes), line.xAt(rBytes), n * p / (2 * n + m)));
        }
        if (rows.length() == 0) return;
        md.line("### Memory crossover (vanilla RNN, batch 1)");
        md.line("");
        md.line("BPTT's state grows by a fixed amount per step (fitted to its measured points); RTRL's does not grow. "
                + "T* is the length beyond which BPTT keeps more alive; the counting estimate n·p/(2n+m) assumes BPTT "
                + "stores 2n + m numbers per step and RTRL one n × p matrix.");
        md.line("");
        md.line("| n | BPTT state | RTRL state | T* measured | n·p/(2n+m) |");
        md.line("|---|---|---|---|---|");
        md.append(rows);
        md.line("");
    }
}
