package dev.wengert.bench.report;

import static dev.wengert.bench.report.Format.bytes;
import static dev.wengert.bench.report.Format.fmt;
import static dev.wengert.bench.report.Format.ms;
import static dev.wengert.bench.report.Format.range;

import dev.wengert.bench.BenchmarkFmaPeak;
import dev.wengert.bench.BenchmarkRecurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The report's engine tables: the FMA peak, matmul, MLP steps, scalar graphs, RNN BPTT and exact RTRL, with
 * their anchors.
 */
final class EngineSection {
    private final List<Measurement> engine;
    private final Anchors anchors;
    private final Markdown md;
    private final ReportPlots plots;

    EngineSection(List<Measurement> engine, Anchors anchors, Markdown md, ReportPlots plots) {
        this.engine = engine;
        this.anchors = anchors;
        this.md = md;
        this.plots = plots;
    }

    private List<Measurement> engine(String method, Predicate<Measurement> p) {
        return Measurement.select(engine, method, p);
    }

    /** GFLOP/s of an n × n by n × n product taking {@code millis}. */
    static double gflops(int n, double millis) {
        return 2.0 * n * n * n / (millis * 1e6);
    }

    /** GFLOP/s of one call of {@link BenchmarkFmaPeak} taking {@code millis}, all its threads together. */
    static double fmaGflops(double millis) {
        return BenchmarkFmaPeak.FLOPS_PER_CALL / (millis * 1e6);
    }

    void write() {
        md.line("## Engine");
        md.line("");
        fmaPeak();
        matmul();
        mlp();
        scalar();
        bptt();
        rtrl();
    }

    private void fmaPeak() {
        List<Measurement> ms = engine("BenchmarkFmaPeak.fma", x -> true);
        if (ms.isEmpty()) return;
        md.line("### FMA peak (`BenchmarkFmaPeak`: %d independent chains of `a.fma(b, acc)`, preferred species, "
                + "float64)", BenchmarkFmaPeak.CHAINS);
        md.line("");
        md.line("%,d flops per call, shared by the threads running concurrently inside the call; GFLOP/s = flops "
                + "per call / time per call, so the two-thread row is the aggregate.", BenchmarkFmaPeak.FLOPS_PER_CALL);
        md.line("");
        md.line("| threads | time per call | GFLOP/s | per thread |");
        md.line("|---|---|---|---|");
        for (Measurement m : ms) {
            double g = fmaGflops(m.millis());
            md.line("| %s | %s | %s | %s |", m.param("threads"), range(m), fmt(g), fmt(g / m.intParam("threads")));
        }
        md.line("");
    }

    private void matmul() {
        md.line("### Matmul (`BenchmarkMatMul`, C = A B, square, float64)");
        md.line("");
        md.line("| n | threads | time | GFLOP/s | OpenBLAS GFLOP/s | ratio |");
        md.line("|---|---|---|---|---|---|");
        List<double[]> ours1 = new ArrayList<>();
        List<double[]> ours2 = new ArrayList<>();
        for (Measurement m : engine("BenchmarkMatMul.gemm", x -> true)) {
            int n = m.intParam("n");
            double g = gflops(n, m.millis());
            double blas = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n", m.param("n"),
                    "threads", m.param("threads"));
            md.line("| %d | %s | %s | %s | %s | %s |", n, m.param("threads"), ms(m.millis()), fmt(g), fmt(blas),
                    Double.isNaN(blas) ? "–" : fmt(g / blas) + "×");
            (m.param("threads").equals("1") ? ours1 : ours2).add(new double[] {n, g});
        }
        md.line("");
        plots.matmul(ours1, ours2, anchors);
    }

    private void mlp() {
        md.line("### MLP training step (`BenchmarkMlpStep`: forward, backward, SGD)");
        md.line("");
        md.line("| network, batch | threads | time | allocated per step | PyTorch | ratio |");
        md.line("|---|---|---|---|---|---|");
        for (Measurement m : engine("BenchmarkMlpStep.step", x -> true)) {
            String[] c = m.param("config").split("_");
            double torch = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                    c[0] + " " + c[1], "batch", c[2], "threads", m.param("threads"));
            md.line("| %s | %s | %s | %s | %s | %s |", m.param("config").replace('_', ' '), m.param("threads"), range(m),
                    bytes(m.allocBytes), ms(torch), Double.isNaN(torch) ? "–" : fmt(m.millis() / torch) + "×");
        }
        md.line("");
    }

    private void scalar() {
        md.line("### Scalar graphs (`BenchmarkScalarGraph`)");
        md.line("");
        md.line("| workload | time | per op | allocated | PyTorch per op |");
        md.line("|---|---|---|---|---|");
        Measurement chain = Measurement.first(engine, "BenchmarkScalarGraph.chain10kForwardBackward", x -> true);
        if (chain != null) {
            double torch = anchors.median("us_per_op_total", "w", "scalar_chain10k", "lib", "torch");
            md.line("| 10,000-op chain, forward + backward | %s | %s ns | %s per op | %s |", range(chain),
                    fmt(chain.millis() * 1e6 / 10_000), bytes(chain.allocBytes / 10_000),
                    Double.isNaN(torch) ? "–" : fmt(torch) + " µs");
        }
        Measurement mg = Measurement.first(engine, "BenchmarkScalarGraph.microgradForwardBackward", x -> true);
        if (mg != null) {
            double torch = anchors.median("us_per_op_total", "w", "scalar_readme", "lib", "torch");
            md.line("| micrograd README expression (25 ops), forward + backward | %s | %s ns | %s per op | %s |",
                    range(mg), fmt(mg.millis() * 1e6 / 25), bytes(mg.allocBytes / 25),
                    Double.isNaN(torch) ? "–" : fmt(torch) + " µs");
        }
        md.line("");
    }

    private void bptt() {
        md.line("### RNN forward + BPTT (`BenchmarkRecurrent`, algorithm = bptt, tanh RNN, m = 32, T = 200, loss "
                + "Σ‖h_t‖²)");
        md.line("");
        md.line("| n | batch | time | allocated | PyTorch (fastest implementation) | ratio |");
        md.line("|---|---|---|---|---|---|");
        for (Measurement m : engine("BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("bptt"))) {
            double torch = anchors.min("ms", "w", "rnn_bptt", "dtype", "float64", "n", m.param("n"), "T", "200",
                    "batch", m.param("batch"), "threads", "1");
            String impl = anchors.argmin("ms", "impl", "w", "rnn_bptt", "dtype", "float64", "n", m.param("n"), "T",
                    "200", "batch", m.param("batch"), "threads", "1");
            md.line("| %s | %s | %s | %s | %s | %s |", m.param("n"), m.param("batch"), range(m), bytes(m.allocBytes),
                    Double.isNaN(torch) ? "–" : ms(torch) + " (" + impl + ")",
                    Double.isNaN(torch) ? "–" : fmt(m.millis() / torch) + "×");
        }
        md.line("");
    }

    private void rtrl() {
        md.line("### Exact RTRL at the anchor's size (tanh RNN, n = 64, m = 32, T = 200, batch 1)");
        md.line("");
        md.line("| threads | time | GFLOP/s in W·influence | NumPy + OpenBLAS | ratio |");
        md.line("|---|---|---|---|---|");
        for (Measurement m : engine("BenchmarkRecurrent.sequence",
                x -> x.param("algorithm").equals("rtrl") && x.param("n").equals("64"))) {
            double numpy = anchors.median("rtrl_ms", "w", "rtrl", "n", "64", "T", "200", "threads", m.param("threads"));
            double p = 64.0 * 64 + 64 * BenchmarkRecurrent.M + 64;
            double flops = 200 * 2.0 * 64 * 64 * p;
            md.line("| %s | %s | %s | %s | %s |", m.param("threads"), range(m), fmt(flops / (m.millis() * 1e6)),
                    ms(numpy), Double.isNaN(numpy) ? "–" : fmt(m.millis() / numpy) + "×");
        }
        md.line("");
    }
}
