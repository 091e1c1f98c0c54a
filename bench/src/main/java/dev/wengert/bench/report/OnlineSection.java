package dev.wengert.bench.report;

import static dev.wengert.bench.report.Format.bytes;
import static dev.wengert.bench.report.Format.fmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's online-learning section ({@code BenchmarkElementwiseOnline}): per stack depth, width and T,
 * the time per step of the forward pass alone, of the online rule (exact RTRL for one layer, Zucchet et al.'s
 * rule for a stack) and of BPTT, the online/forward ratio against its target (≤ 2.5×), what each keeps alive,
 * and the T from which BPTT keeps more alive than the online traces.
 */
final class OnlineSection {
    /** Issue 13's target: online time per step at most this multiple of the forward pass alone. */
    static final double TARGET = 2.5;

    private final List<Measurement> online;
    private final Markdown md;
    private final ReportPlots plots;

    OnlineSection(List<Measurement> online, Markdown md, ReportPlots plots) {
        this.online = online;
        this.md = md;
        this.plots = plots;
    }

    /** Microseconds per step of a measurement (its score is per sequence of {@code steps} steps). */
    static double microsPerStep(Measurement m) {
        return m.millis() * 1e3 / m.intParam("steps");
    }

    /** The measurement of one algorithm at one point, or null. */
    Measurement at(String alg, int layers, int n, int t) {
        for (Measurement m : online) {
            if (m.param("algorithm").equals(alg) && m.intParam("layers") == layers && m.intParam("n") == n
                    && m.intParam("steps") == t) {
                return m;
            }
        }
        return null;
    }

    void write() {
        md.line("## Online learning (`BenchmarkElementwiseOnline`)");
        md.line("");
        md.line("LRU stacks (n complex states, n inputs and outputs per layer, a readout to 2 outputs, squared error "
                + "at every step), batch 1. Time per step = time per sequence / T. *state*: what is kept alive at the "
                + "peak (BPTT: the tape; online: the traces); *allocated*: per step, JMH's GC profiler. The target "
                + "is online ≤ %s× the forward pass alone, per step.", fmt(TARGET));
        md.line("");
        md.line("| layers | n | T | forward | online | BPTT | online / forward | met | state: online | state: BPTT | "
                + "allocated per step: online | BPTT |");
        md.line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        TreeMap<String, int[]> points = new TreeMap<>();
        for (Measurement m : online) {
            int[] p = {m.intParam("layers"), m.intParam("n"), m.intParam("steps")};
            points.put(String.format("%03d %05d %09d", p[0], p[1], p[2]), p);
        }
        for (int[] p : points.values()) {
            Measurement f = at("forward", p[0], p[1], p[2]);
            Measurement o = at("online", p[0], p[1], p[2]);
            Measurement b = at("bptt", p[0], p[1], p[2]);
            double ratio = f == null || o == null ? Double.NaN : microsPerStep(o) / microsPerStep(f);
            md.line("| %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |", p[0], p[1], p[2], us(f), us(o), us(b),
                    Double.isNaN(ratio) ? "–" : fmt(ratio) + "×", Double.isNaN(ratio) ? "not run"
                            : ratio <= TARGET ? "yes" : "**no**",
                    o == null ? "–" : bytes(o.stateBytes), b == null ? "–" : bytes(b.stateBytes),
                    o == null ? "–" : bytes(o.allocBytes / p[2]), b == null ? "–" : bytes(b.allocBytes / p[2]));
            for (Measurement m : new Measurement[] {f, o, b}) {
                if (m == null || p[1] != 16) continue;
                series.computeIfAbsent(m.param("algorithm") + ", " + p[0] + (p[0] == 1 ? " layer" : " layers"),
                        k -> new ArrayList<>()).add(new double[] {p[2], microsPerStep(m),
                                Double.isNaN(m.stateBytes) ? 0 : m.stateBytes});
            }
        }
        md.line("");
        crossovers();
        plots.online(series);
    }

    /** Per depth and width, the first measured T at which BPTT keeps more alive than the online traces. */
    private void crossovers() {
        TreeMap<String, int[]> depths = new TreeMap<>();
        for (Measurement m : online) {
            depths.put(m.param("layers") + "/" + m.param("n"), new int[] {m.intParam("layers"), m.intParam("n")});
        }
        for (int[] d : depths.values()) {
            Integer first = null;
            TreeMap<Integer, Measurement> byT = new TreeMap<>();
            for (Measurement m : online) {
                if (m.param("algorithm").equals("bptt") && m.intParam("layers") == d[0] && m.intParam("n") == d[1]) {
                    byT.put(m.intParam("steps"), m);
                }
            }
            for (Map.Entry<Integer, Measurement> e : byT.entrySet()) {
                Measurement o = at("online", d[0], d[1], e.getKey());
                if (o != null && e.getValue().stateBytes > o.stateBytes) {
                    first = e.getKey();
                    break;
                }
            }
            md.line("- %d layer%s, n = %d: BPTT keeps more alive than the online traces %s.", d[0], d[0] == 1 ? "" : "s",
                    d[1], first == null ? "at no measured T" : "from T = " + first + " on (the first measured T where it does)");
        }
        md.line("");
    }

    private static String us(Measurement m) {
        return m == null ? "–" : fmt(microsPerStep(m)) + " µs";
    }
}
