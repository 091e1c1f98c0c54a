package dev.wengert.bench.report;

import static dev.wengert.bench.report.Format.fmt;
import static dev.wengert.bench.report.Format.ms;

import java.util.List;

/** The speed targets, side by side with the anchors. */
final class SpeedTargets {
    private final List<Measurement> engine;
    private final Anchors anchors;
    private final Markdown md;

    SpeedTargets(List<Measurement> engine, Anchors anchors, Markdown md) {
        this.engine = engine;
        this.anchors = anchors;
        this.md = md;
    }

    private static double gflops(int n, double millis) {
        return EngineSection.gflops(n, millis);
    }

    /** The speed targets, each paired with its anchor. */
    void write() {
        md.line("## Speed targets, side by side with the anchors");
        md.line("");
        md.line("| workload | Wengert | anchor | ratio | target | met |");
        md.line("|---|---|---|---|---|---|");
        for (String t : new String[] {"1", "2"}) {
            Measurement m = Measurement.first(engine, "BenchmarkMatMul.gemm", x -> x.param("n").equals("512") && x.param("threads").equals(t));
            double blas = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n", "512",
                    "threads", t);
            if (m != null) {
                double g = gflops(512, m.millis());
                row("matmul n = 512, " + t + " thread" + (t.equals("1") ? "" : "s"), fmt(g) + " GFLOP/s",
                        "OpenBLAS " + fmt(blas) + " GFLOP/s", g / blas, "≥ 0.9×", g / blas >= 0.9);
            }
        }
        Measurement small = Measurement.first(engine, "BenchmarkMlpStep.step", x -> x.param("config").equals("784-100-10_tanh_64")
                && x.param("threads").equals("1"));
        Measurement smallBest = Measurement.fastest(Measurement.select(engine, "BenchmarkMlpStep.step",
                x -> x.param("config").equals("784-100-10_tanh_64")));
        double torchSmall = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                "784-100-10 tanh", "batch", "64", "threads", "1");
        if (small != null) {
            row("MLP 784-100-10 step, batch 64 (1 thread)", ms(small.millis()), "PyTorch 1 thread " + ms(torchSmall),
                    small.millis() / torchSmall, "≤ 0.5×", small.millis() / torchSmall <= 0.5);
        }
        if (smallBest != null && smallBest != small) {
            row("MLP 784-100-10 step, batch 64 (" + smallBest.param("threads") + " threads)", ms(smallBest.millis()),
                    "PyTorch 1 thread " + ms(torchSmall), smallBest.millis() / torchSmall, "≤ 0.5×",
                    smallBest.millis() / torchSmall <= 0.5);
        }
        Measurement large = Measurement.first(engine, "BenchmarkMlpStep.step", x -> x.param("config").startsWith("784-512")
                && x.param("threads").equals("2"));
        double torchLarge = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                "784-512-512-10 relu", "batch", "256", "threads", "2");
        if (large != null) {
            row("MLP 784-512-512-10 step, batch 256 (2 threads)", ms(large.millis()), "PyTorch 2 threads "
                    + ms(torchLarge), large.millis() / torchLarge, "≤ 1.0×", large.millis() / torchLarge <= 1.0);
        }
        Measurement chain = Measurement.first(engine, "BenchmarkScalarGraph.chain10kForwardBackward", x -> true);
        double torchChain = anchors.median("us_per_op_total", "w", "scalar_chain10k", "lib", "torch");
        if (chain != null) {
            double perOp = chain.millis() * 1e3 / 10_000;
            row("scalar chain, per op (forward + backward)", fmt(perOp * 1e3) + " ns", "PyTorch 0-d tensors "
                    + fmt(torchChain) + " µs", perOp / torchChain, "≤ 0.1 µs", perOp <= 0.1);
        }
        Measurement rnn = Measurement.fastest(Measurement.select(engine, "BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("bptt")
                && x.param("n").equals("128") && x.param("batch").equals("32")));
        double torchRnn = anchors.min("ms", "w", "rnn_bptt", "dtype", "float64", "n", "128", "T", "200", "batch", "32");
        String impl = anchors.argmin("ms", "impl", "w", "rnn_bptt", "dtype", "float64", "n", "128", "T", "200",
                "batch", "32");
        if (rnn != null) {
            row("RNN forward + BPTT, n = 128, T = 200, batch 32", ms(rnn.millis()), "PyTorch (" + impl + ", "
                    + "fastest of its runs) " + ms(torchRnn), rnn.millis() / torchRnn, "≤ 1.0×",
                    rnn.millis() / torchRnn <= 1.0);
        }
        for (String t : new String[] {"1", "2"}) {
            Measurement rtrl = Measurement.first(engine, "BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("rtrl")
                    && x.param("threads").equals(t));
            double numpy = anchors.median("rtrl_ms", "w", "rtrl", "n", "64", "T", "200", "threads", t);
            if (rtrl != null) {
                row("exact RTRL, n = 64, T = 200, batch 1, " + t + " thread" + (t.equals("1") ? "" : "s"),
                        ms(rtrl.millis()), "NumPy + OpenBLAS " + t + " thread" + (t.equals("1") ? "" : "s") + " "
                        + ms(numpy), rtrl.millis() / numpy, "≤ 0.5×", rtrl.millis() / numpy <= 0.5);
            }
        }
        md.line("");
    }

    private void row(String workload, String ours, String anchor, double ratio, String target, boolean met) {
        md.line("| %s | %s | %s | %s | %s | %s |", workload, ours, anchor, Double.isNaN(ratio) ? "–" : fmt(ratio) + "×",
                target, Double.isNaN(ratio) ? "no anchor" : met ? "yes" : "**no**");
    }
}
