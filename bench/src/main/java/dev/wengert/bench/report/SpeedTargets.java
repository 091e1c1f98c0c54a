package dev.wengert.bench.report;

import static dev.wengert.bench.report.Format.bytes;
import static dev.wengert.bench.report.Format.fmt;
import static dev.wengert.bench.report.Format.ms;
import static dev.wengert.bench.report.Format.threads;

import dev.wengert.bench.BenchmarkRecurrent;
import dev.wengert.bench.BenchmarkScalarGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The speed targets of issue 11, one row per target, each with its measurement, its reference (an anchor, the
 * measured FMA peak, or a fixed limit), the compared quantity and whether it is met, computed here from the
 * figures. A row whose measurement, anchor or peak is missing stays in the table and says which.
 */
final class SpeedTargets {
    /** Whether a target is met, or why that cannot be said. */
    enum Met {
        YES("yes"), NO("**no**"), NOT_RUN("not run"), NOT_MEASURED("not measured"), NO_ANCHOR("no anchor"),
        NO_PEAK("no FMA peak");

        final String text;

        Met(String text) {
            this.text = text;
        }
    }

    /** A limit on a compared quantity: at most or at least {@code limit}. */
    record Bound(boolean atMost, double limit, String text) {
        static Bound atMost(double limit, String text) {
            return new Bound(true, limit, text);
        }

        static Bound atLeast(double limit, String text) {
            return new Bound(false, limit, text);
        }

        boolean holds(double q) {
            return atMost ? q <= limit : q >= limit;
        }
    }

    /** One target: what is measured, against what, the compared quantity, the target and the verdict. */
    record Row(String workload, String ours, String reference, String compared, String target, Met met) {}

    /** The FMA peak a thread count is held to, and how it was obtained. */
    record Peak(double gflops, String text) {}

    /** Kernels with at least this many double lanes are held to the AVX-512 scalar-graph target. */
    static final int WIDE_LANES = 8;

    private static final String GEMM = "BenchmarkMatMul.gemm";
    private static final String MLP = "BenchmarkMlpStep.step";
    private static final String SEQUENCE = "BenchmarkRecurrent.sequence";
    private static final String FMA = "BenchmarkFmaPeak.fma";

    private final List<Measurement> engine;
    private final Anchors anchors;
    private final int kernelLanes;
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param engine      the engine suite's measurements
     * @param anchors     the anchors (possibly {@link Anchors#none()})
     * @param kernelLanes the double lanes of the matmul kernel in use (1 for the scalar fallback)
     */
    SpeedTargets(List<Measurement> engine, Anchors anchors, int kernelLanes) {
        this.engine = engine;
        this.anchors = anchors;
        this.kernelLanes = kernelLanes;
        matmul();
        mlp();
        bptt();
        rtrl();
        scalar();
    }

    /** The rows, in the order of the targets. */
    List<Row> rows() {
        return rows;
    }

    /** Writes the targets table. */
    void write(Markdown md) {
        md.line("## Speed targets");
        md.line("");
        md.line("One row per target of issue 11; *met* is computed from the measurement and its reference. "
                + "*not run*: the combination was not measured in this run; *no anchor*: the anchors lack the "
                + "figure; *no FMA peak*: `BenchmarkFmaPeak` was not run. The FMA peak of a thread count is "
                + "`BenchmarkFmaPeak` at that thread count, its threads running together (the one-thread peak "
                + "times the threads where only that was measured).");
        md.line("");
        md.line("| workload | Wengert | reference | compared | target | met |");
        md.line("|---|---|---|---|---|---|");
        for (Row r : rows) {
            md.line("| %s | %s | %s | %s | %s | %s |", r.workload(), r.ours(), r.reference(), r.compared(), r.target(),
                    r.met().text);
        }
        md.line("");
    }

    private Measurement first(String method, Predicate<Measurement> p) {
        return Measurement.first(engine, method, p);
    }

    /** A row comparing {@code ours / reference} with a bound. */
    private void ratio(String workload, Measurement m, double ours, String oursText, double reference,
            String referenceText, Met missingReference, Bound bound) {
        double q = ours / reference;
        Met met = m == null ? Met.NOT_RUN : Double.isNaN(ours) ? Met.NOT_MEASURED
                : Double.isNaN(reference) ? missingReference : bound.holds(q) ? Met.YES : Met.NO;
        rows.add(new Row(workload, m == null ? "not run" : oursText, referenceText,
                met == Met.YES || met == Met.NO ? fmt(q) + "×" : "–", bound.text(), met));
    }

    /** A row comparing a measured quantity itself with a bound. */
    private void absolute(String workload, Measurement m, double value, String valueText, String referenceText,
            Bound bound) {
        Met met = m == null ? Met.NOT_RUN : Double.isNaN(value) ? Met.NOT_MEASURED
                : bound.holds(value) ? Met.YES : Met.NO;
        rows.add(new Row(workload, m == null ? "not run" : valueText, referenceText,
                met == Met.YES || met == Met.NO ? valueText : "–", bound.text(), met));
    }

    private static double millis(Measurement m) {
        return m == null ? Double.NaN : m.millis();
    }

    private static String anchor(String who, double v, String shown) {
        return who + ": " + (Double.isNaN(v) ? "no anchor" : shown);
    }

    /** The FMA peak for a thread count: measured at that count, else the one-thread peak times the count. */
    Peak peak(int threads) {
        Measurement m = first(FMA, x -> x.intParam("threads") == threads);
        if (m != null) {
            double g = EngineSection.fmaGflops(m.millis());
            return new Peak(g, "FMA peak, " + threads(Integer.toString(threads)) + (threads > 1 ? " together" : "")
                    + ": " + fmt(g) + " GFLOP/s");
        }
        Measurement one = first(FMA, x -> x.intParam("threads") == 1);
        if (one != null && threads > 1) {
            double g = threads * EngineSection.fmaGflops(one.millis());
            return new Peak(g, "FMA peak, 1 thread × " + threads + ": " + fmt(g) + " GFLOP/s");
        }
        return new Peak(Double.NaN, "FMA peak: not run");
    }

    private void matmul() {
        for (String n : SuiteRun.MATMUL_SIZES) {
            for (String t : new String[] {"1", "2"}) {
                Measurement m = first(GEMM, x -> x.param("n").equals(n) && x.param("threads").equals(t));
                double g = m == null ? Double.NaN : EngineSection.gflops(Integer.parseInt(n), m.millis());
                double blas = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n", n,
                        "threads", t);
                ratio("matmul n = " + n + ", " + threads(t), m, g, fmt(g) + " GFLOP/s", blas,
                        anchor("OpenBLAS (NumPy), " + threads(t), blas, fmt(blas) + " GFLOP/s"), Met.NO_ANCHOR,
                        Bound.atLeast(1.0, "≥ 1.0× OpenBLAS"));
            }
        }
        for (String n : new String[] {"256", "512", "1024"}) {
            for (String t : new String[] {"1", "2"}) {
                Measurement m = first(GEMM, x -> x.param("n").equals(n) && x.param("threads").equals(t));
                double g = m == null ? Double.NaN : EngineSection.gflops(Integer.parseInt(n), m.millis());
                Peak peak = peak(Integer.parseInt(t));
                ratio("matmul n = " + n + ", " + threads(t) + ", against the FMA peak", m, g, fmt(g) + " GFLOP/s",
                        peak.gflops(), peak.text(), Met.NO_PEAK, Bound.atLeast(0.8, "≥ 0.8× FMA peak"));
            }
        }
    }

    private void mlp() {
        Measurement small = first(MLP, x -> x.param("config").equals("784-100-10_tanh_64")
                && x.param("threads").equals("1"));
        double torch = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                "784-100-10 tanh", "batch", "64", "threads", "1");
        double numpy = anchors.median("ms_per_step", "w", "mlp", "lib", "numpy", "dtype", "float64", "net",
                "784-100-10 tanh", "batch", "64", "threads", "1");
        String workload = "MLP 784-100-10 step, batch 64, 1 thread";
        ratio(workload, small, millis(small), ms(millis(small)), torch, anchor("PyTorch, 1 thread", torch, ms(torch)),
                Met.NO_ANCHOR, Bound.atMost(0.5, "≤ 0.5× PyTorch"));
        ratio(workload, small, millis(small), ms(millis(small)), numpy,
                anchor("NumPy hand-written step (w2_mlp), 1 thread", numpy, ms(numpy)), Met.NO_ANCHOR,
                Bound.atMost(1.0, "≤ 1.0× NumPy"));
        double alloc = small == null ? Double.NaN : small.allocBytes;
        absolute(workload + ", allocated per step", small, alloc, bytes(alloc),
                "JMH GC profiler (gc.alloc.rate.norm)", Bound.atMost(100e3, "≤ 100 kB"));
        Measurement large = first(MLP, x -> x.param("config").equals("784-512-512-10_relu_256")
                && x.param("threads").equals("2"));
        double torchLarge = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                "784-512-512-10 relu", "batch", "256", "threads", "2");
        ratio("MLP 784-512-512-10 step, batch 256, 2 threads", large, millis(large), ms(millis(large)), torchLarge,
                anchor("PyTorch, 2 threads", torchLarge, ms(torchLarge)), Met.NO_ANCHOR,
                Bound.atMost(0.6, "≤ 0.6× PyTorch"));
    }

    private Measurement bpttAt(String n, String b) {
        return Measurement.fastest(Measurement.select(engine, SEQUENCE, x -> x.param("algorithm").equals("bptt")
                && x.param("cell").equals("rnn") && x.param("n").equals(n) && x.param("steps").equals("200")
                && x.param("batch").equals(b)));
    }

    /** BPTT against PyTorch's fastest implementation on its fastest thread count at one grid point. */
    private void bpttAgainstTorch(String n, String b, Bound bound) {
        Measurement m = bpttAt(n, b);
        String[] key = {"w", "rnn_bptt", "dtype", "float64", "n", n, "T", "200", "batch", b};
        double torch = anchors.min("ms", key);
        String shown = ms(torch) + " (" + anchors.argmin("ms", "impl", key) + ", "
                + threads(String.valueOf(anchors.argmin("ms", "threads", key))) + ")";
        ratio("RNN forward + BPTT, n = " + n + ", T = 200, batch " + b + " (Wengert: all cores)", m, millis(m),
                ms(millis(m)), torch, anchor("PyTorch's fastest", torch, shown), Met.NO_ANCHOR, bound);
    }

    private void bptt() {
        bpttAgainstTorch("128", "32", Bound.atMost(0.6, "≤ 0.6× PyTorch's fastest"));
        String[] ns = {"32", "128", "256"};
        String[] batches = {"1", "32"};
        for (String n : ns) {
            for (String b : batches) bpttAgainstTorch(n, b, Bound.atMost(1.0, "≤ 1.0× PyTorch's fastest"));
        }
        for (String n : ns) {
            for (String b : batches) {
                Measurement m = bpttAt(n, b);
                double alloc = m == null ? Double.NaN : m.allocBytes;
                double state = m == null ? Double.NaN : m.stateBytes;
                ratio("BPTT allocated per sequence, n = " + n + ", T = 200, batch " + b, m, alloc, bytes(alloc), state,
                        "stored activations (the tape's peak) " + bytes(state), Met.NOT_MEASURED,
                        Bound.atMost(3.0, "≤ 3× stored activations"));
            }
        }
    }

    private void rtrl() {
        int n = 64;
        int t = 200;
        long p = (long) n * n + (long) n * BenchmarkRecurrent.M + n;
        double flops = t * 2.0 * n * n * p;
        for (String th : new String[] {"1", "2"}) {
            Measurement m = first(SEQUENCE, x -> x.param("algorithm").equals("rtrl") && x.param("cell").equals("rnn")
                    && x.intParam("n") == n && x.intParam("steps") == t && x.param("batch").equals("1")
                    && x.param("threads").equals(th));
            double rate = flops / (millis(m) * 1e6);
            Peak peak = peak(Integer.parseInt(th));
            ratio(String.format(Locale.ROOT, "exact RTRL, n = %d, T = %d, batch 1, %s: rate of its product "
                    + "W·influence, 2n²p flops per step with p = n² + nm + n = %,d (RnnRtrl's W, U, b; m = %d), over "
                    + "the whole sequence's time", n, t, threads(th), p, BenchmarkRecurrent.M), m, rate, fmt(rate) + " GFLOP/s",
                    peak.gflops(), peak.text(), Met.NO_PEAK, Bound.atLeast(0.8, "≥ 0.8× FMA peak"));
        }
        for (String th : new String[] {"1", "2"}) {
            Measurement m = first(SEQUENCE, x -> x.param("algorithm").equals("rtrl") && x.param("cell").equals("rnn")
                    && x.intParam("n") == n && x.intParam("steps") == t && x.param("batch").equals("1")
                    && x.param("threads").equals(th));
            double numpy = anchors.median("rtrl_ms", "w", "rtrl", "n", "64", "T", "200", "threads", th);
            ratio("exact RTRL, n = 64, T = 200, batch 1, " + threads(th), m, millis(m), ms(millis(m)), numpy,
                    anchor("NumPy + OpenBLAS (w5_rtrl), " + threads(th), numpy, ms(numpy)), Met.NO_ANCHOR,
                    Bound.atMost(0.5, "≤ 0.5× NumPy"));
        }
        int gn = SuiteRun.GENERIC_N;
        int gt = SuiteRun.GENERIC_T;
        Predicate<Measurement> at = x -> x.param("cell").equals("rnn") && x.intParam("n") == gn
                && x.intParam("steps") == gt && x.param("batch").equals("1") && x.param("threads").equals("1");
        Measurement generic = first(SEQUENCE, x -> x.param("algorithm").equals("rtrlGeneric") && at.test(x));
        Measurement fast = first(SEQUENCE, x -> x.param("algorithm").equals("rtrl") && at.test(x));
        ratio(String.format(Locale.ROOT, "generic RTRL (GenericRtrl), n = %d, T = %d, batch 1, 1 thread", gn, gt),
                generic, millis(generic), ms(millis(generic)), millis(fast),
                "fast kernel (RnnRtrl), same size: " + (fast == null ? "not run" : ms(fast.millis())), Met.NOT_RUN,
                Bound.atMost(3.0, "≤ 3.0× the fast kernel"));
    }

    private void scalar() {
        Measurement chain = first("BenchmarkScalarGraph.chain10kForwardBackward", x -> true);
        double ns = millis(chain) * 1e6 / BenchmarkScalarGraph.CHAIN;
        boolean wide = kernelLanes >= WIDE_LANES;
        Bound bound = wide
                ? Bound.atMost(40, String.format(Locale.ROOT, "≤ 40 ns (AVX-512 machine: kernel of %d lanes)", kernelLanes))
                : Bound.atMost(60, kernelLanes == 4
                        ? "≤ 60 ns (AVX2 machine: kernel of 4 lanes)"
                        : String.format(Locale.ROOT, "≤ 60 ns (the AVX2 target: kernel of %d lane%s, under %d)",
                                kernelLanes, kernelLanes == 1 ? "" : "s", WIDE_LANES));
        double torch = anchors.median("us_per_op_total", "w", "scalar_chain10k", "lib", "torch");
        absolute("scalar graph, 10,000-op chain, per op (forward + backward)", chain, ns, fmt(ns) + " ns",
                anchor("PyTorch 0-d tensors, for scale", torch, fmt(torch) + " µs per op"), bound);
    }
}
