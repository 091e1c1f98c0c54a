package dev.wengert.bench.report;

import dev.wengert.bench.BenchmarkRecurrent;
import dev.wengert.nn.plot.Plot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH suite and writes a Markdown report with PNG plots: the engine workloads (matmul, MLP
 * training steps, scalar graphs, RNN forward + BPTT) and the recurrent-learning algorithms over hidden
 * size n and sequence length T, with fitted scaling exponents, the RTRL/BPTT time ratio, and the memory
 * crossover T* where RTRL keeps less alive than BPTT. Given the JSON-lines output of the anchor scripts
 * run on the same machine, it pairs each workload with its anchor and prints the ratio.
 *
 * <pre>
 * mvn -q -Preport -DskipTests verify -Dreport.args="quick --anchors /tmp/anchors"
 * </pre>
 *
 * Arguments: {@code quick} (under 10 minutes on 2 cores) or {@code full}; {@code --anchors DIR} (a folder of
 * {@code *.jsonl} files, or one file); {@code --out DIR} (default {@code reports/bench}); {@code --only
 * engine|recurrent}.
 */
public final class BenchReport {
    private BenchReport() {}

    /** How long each JMH combination runs. */
    enum Profile {
        QUICK(1, 2, 1000, 5, 400, 1.0), FULL(1, 3, 1000, 5, 1000, 20.0);

        final int forks;
        final int warmups;
        final int warmupMs;
        final int iterations;
        final int iterationMs;
        /** Combinations estimated to take longer than this per operation are left out, with the reason. */
        final double maxSecondsPerOp;

        Profile(int forks, int warmups, int warmupMs, int iterations, int iterationMs, double maxSecondsPerOp) {
            this.forks = forks;
            this.warmups = warmups;
            this.warmupMs = warmupMs;
            this.iterations = iterations;
            this.iterationMs = iterationMs;
            this.maxSecondsPerOp = maxSecondsPerOp;
        }
    }

    /**
     * Runs the suite and writes the report; see the class comment for the arguments.
     *
     * @param args {@code quick} or {@code full}, {@code --anchors DIR}, {@code --out DIR}, {@code --only
     *     engine|recurrent}
     * @throws Exception when JMH, reading the anchors or writing the report fails
     */
    public static void main(String[] args) throws Exception {
        Profile profile = Profile.QUICK;
        Path anchorsDir = null;
        Path out = Path.of("reports", "bench");
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick":
                    profile = Profile.QUICK;
                    break;
                case "full":
                    profile = Profile.FULL;
                    break;
                case "--anchors":
                    anchorsDir = Path.of(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                default:
                    throw new IllegalArgumentException("report: unknown argument '" + args[i]
                            + "' (quick | full, --anchors DIR, --out DIR, --only engine|recurrent)");
            }
        }
        Anchors anchors = anchorsDir == null ? null : Anchors.load(anchorsDir);
        Files.createDirectories(out);
        Instant start = Instant.now();
        MachineRecord machine = MachineRecord.start();
        BenchReport.Run run = new BenchReport.Run(profile);
        if (only == null || only.equals("engine")) run.engine();
        if (only == null || only.equals("recurrent")) run.recurrent();
        machine.finish();
        Duration took = Duration.between(start, Instant.now());
        new Writer(run, anchors, out, took, machine).write();
        System.out.println("report: " + out.resolve("report.md") + " (" + took.toMinutes() + " min "
                + took.toSecondsPart() + " s)");
    }

    /** The combinations to run, their results, and what was left out. */
    static final class Run {
        static final int ENGINE_EXTRA_WARMUPS = 2;

        final Profile profile;
        final List<Measurement> engine = new ArrayList<>();
        final List<Measurement> recurrent = new ArrayList<>();
        final List<String> excluded = new ArrayList<>();
        private int done;

        Run(Profile profile) {
            this.profile = profile;
        }

        /**
         * The workloads paired with the anchors. They get {@link #ENGINE_EXTRA_WARMUPS} more warmup
         * iterations than the recurrent grid: the first BPTT sequence at n = 128, batch 32 takes about a
         * second (compilation), and with two warmup seconds the measured iterations still ran 60% slow.
         */
        void engine() throws RunnerException {
            int warmups = profile.warmups + ENGINE_EXTRA_WARMUPS;
            for (String n : new String[] {"64", "256", "512", "1024"}) {
                for (String t : new String[] {"1", "2"}) {
                    engine.addAll(jmh("BenchmarkMatMul.gemm", Map.of("n", n, "threads", t), false, warmups));
                }
            }
            for (String c : new String[] {"784-100-10_tanh_64", "784-100-10_tanh_128", "784-512-512-10_relu_256"}) {
                for (String t : new String[] {"1", "2"}) {
                    engine.addAll(jmh("BenchmarkMlpStep.step", Map.of("config", c, "threads", t), true, warmups));
                }
            }
            engine.addAll(jmh("BenchmarkScalarGraph.chain10kForwardBackward", Map.of(), true, warmups));
            engine.addAll(jmh("BenchmarkScalarGraph.microgradForwardBackward", Map.of(), true, warmups));
            for (String n : new String[] {"32", "128", "256"}) {
                for (String b : new String[] {"1", "32"}) {
                    recurrentCombination("bptt", "rnn", Integer.parseInt(n), 200, Integer.parseInt(b), 0, engine, warmups);
                }
            }
            // Exact RTRL at the anchor's size, on one thread and on two.
            for (int t : new int[] {1, 2}) recurrentCombination("rtrl", "rnn", 64, 200, 1, t, engine, warmups);
        }

        void recurrent() throws RunnerException {
            List<int[]> grid = new ArrayList<>(); // n, T, batch
            String[] algorithms = {"bptt", "tbptt", "checkpointed", "rtrl", "rtrlGeneric", "snap1", "uoro"};
            for (String cell : new String[] {"rnn", "lstm"}) {
                for (String alg : algorithms) {
                    for (int[] c : combinations(alg, cell)) {
                        recurrentCombination(alg, cell, c[0], c[1], c[2], 0, recurrent, profile.warmups);
                    }
                }
            }
        }

        /** The (n, T, batch) combinations of an algorithm in this profile. */
        List<int[]> combinations(String alg, String cell) {
            List<int[]> out = new ArrayList<>();
            int[] ns = {8, 16, 32, 64, 128};
            int[] ts = {10, 100, 1000};
            if (profile == Profile.FULL) {
                for (int b : new int[] {1, 32}) for (int n : ns) for (int t : ts) out.add(new int[] {n, t, b});
                return out;
            }
            // Quick: a cross through the grid for the vanilla RNN at batch 1 (n varies at T = 100, T varies at
            // n = 32), a few points for the LSTM and for batch 32.
            if (cell.equals("rnn")) {
                for (int n : ns) out.add(new int[] {n, 100, 1});
                out.add(new int[] {32, 10, 1});
                out.add(new int[] {32, 1000, 1});
                if (alg.equals("bptt") || alg.equals("rtrl")) {
                    out.add(new int[] {16, 100, 32});
                    out.add(new int[] {64, 100, 32});
                }
            } else if (alg.equals("bptt") || alg.equals("rtrl") || alg.equals("snap1")) {
                for (int n : new int[] {8, 16, 32}) out.add(new int[] {n, 100, 1});
            }
            return out;
        }

        /** Runs one recurrent combination, or records why it is left out. */
        void recurrentCombination(String alg, String cell, int n, int t, int b, int threads, List<Measurement> into,
                int warmups) throws RunnerException {
            String why = exclusion(alg, cell, n, t, b);
            if (why != null) {
                excluded.add(String.format(Locale.ROOT, "%s, %s, n = %d, T = %d, batch %d: %s", alg, cell, n, t, b, why));
                return;
            }
            List<Measurement> ms = jmh("BenchmarkRecurrent.sequence", Map.of("algorithm", alg, "cell", cell, "n",
                    Integer.toString(n), "steps", Integer.toString(t), "batch", Integer.toString(b), "threads",
                    Integer.toString(threads)), true, warmups);
            for (Measurement m : ms) m.stateBytes = BenchmarkRecurrent.stateBytes(alg, cell, n, t, b);
            into.addAll(ms);
        }

        /** Why a combination cannot be run within this profile's budget, or null. */
        String exclusion(String alg, String cell, int n, int t, int b) {
            int m = BenchmarkRecurrent.M;
            int gates = cell.equals("lstm") ? 4 : 1;
            double p = gates * ((double) n * n + (double) n * m + n);
            long heap = Runtime.getRuntime().maxMemory();
            // Generic RTRL of the built-in cells takes the structured path (one tangent direction per unit, not
            // per parameter), so it keeps what the fast kernel keeps: the influence matrices.
            if (alg.equals("rtrl") || alg.equals("rtrlGeneric")) {
                double bytes = 2 * 8.0 * n * p * b;
                if (bytes > 0.5 * heap) {
                    return String.format(Locale.ROOT, "the influence matrix n × batch·p (twice) needs %.2f GB, over "
                            + "half the %.1f GB heap", bytes / 1e9, heap / 1e9);
                }
            }
            double seconds = estimateSeconds(alg, gates, n, t, b, p);
            if (seconds > profile.maxSecondsPerOp) {
                return String.format(Locale.ROOT, "about %.0f s per sequence (estimated from the operation count), over "
                        + "this profile's %.0f s budget per measurement", seconds, profile.maxSecondsPerOp);
            }
            return null;
        }

        /**
         * A rough time estimate: the dense products at 20 GFLOP/s plus a fixed cost per recorded step. It
         * only decides what to leave out; everything reported is measured.
         */
        static double estimateSeconds(String alg, int gates, int n, int t, int b, double p) {
            int m = BenchmarkRecurrent.M;
            double rate = 20e9;
            double stepFlops;
            double stepOverhead = 30e-6 * gates;
            switch (alg) {
                case "rtrl":
                    stepFlops = 2.0 * gates * n * (double) n * p * b;
                    break;
                case "rtrlGeneric":
                    // The same product as the fast kernel, plus a forward sweep of about 2n directions through
                    // the step's ops.
                    stepFlops = 2.0 * gates * n * (double) n * p * b + 2.0 * n * 6.0 * gates * n * (double) (n + m) * b;
                    stepOverhead *= 4;
                    break;
                case "snap1":
                case "uoro":
                    stepFlops = 10.0 * p * b;
                    break;
                default:
                    stepFlops = 6.0 * gates * n * (double) (n + m) * b;
            }
            return t * (stepFlops / rate + stepOverhead);
        }

        /** Runs one benchmark method for one parameter combination through JMH's Java API. */
        List<Measurement> jmh(String method, Map<String, String> params, boolean gc, int warmups)
                throws RunnerException {
            ChainedOptionsBuilder o = new OptionsBuilder().include("\\." + method.replace(".", "\\.") + "$")
                    .forks(profile.forks).warmupIterations(warmups)
                    .warmupTime(TimeValue.milliseconds(profile.warmupMs)).measurementIterations(profile.iterations)
                    .measurementTime(TimeValue.milliseconds(profile.iterationMs)).shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT);
            for (Map.Entry<String, String> e : params.entrySet()) o.param(e.getKey(), e.getValue());
            if (gc) o.addProfiler(GCProfiler.class);
            Collection<RunResult> results = new Runner(o.build()).run();
            List<Measurement> out = new ArrayList<>();
            for (RunResult r : results) {
                Result<?> primary = r.getPrimaryResult();
                var stats = primary.getStatistics();
                double alloc = Double.NaN;
                for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                    if (e.getKey().endsWith("gc.alloc.rate.norm")) alloc = e.getValue().getScore();
                }
                Map<String, String> ps = new LinkedHashMap<>();
                for (String k : r.getParams().getParamsKeys()) ps.put(k, r.getParams().getParam(k));
                Measurement m = new Measurement(r.getParams().getBenchmark(), ps, stats.getPercentile(50),
                        stats.getPercentile(25), stats.getPercentile(75), primary.getScoreUnit(), alloc);
                out.add(m);
                done++;
                System.out.printf(Locale.ROOT, "[%3d] %s %s: %.4g %s%n", done, method, ps, m.median, m.unit);
            }
            return out;
        }
    }

    /** Writes report.md, results.tsv and the plots. */
    static final class Writer {
        private final Run run;
        private final Anchors anchors;
        private final Path out;
        private final Duration took;
        private final StringBuilder md = new StringBuilder();
        private final List<String> plots = new ArrayList<>();

        private final MachineRecord machine;

        Writer(Run run, Anchors anchors, Path out, Duration took, MachineRecord machine) {
            this.machine = machine;
            this.run = run;
            this.anchors = anchors;
            this.out = out;
            this.took = took;
        }

        void write() throws IOException {
            header();
            if (!run.engine.isEmpty()) {
                if (anchors != null) targets();
                engine();
            }
            if (!run.recurrent.isEmpty()) recurrent();
            atomicWrite(out.resolve("report.md"), md.toString());
            atomicWrite(out.resolve("results.tsv"), tsv());
        }

        private void line(String fmt, Object... args) {
            md.append(String.format(Locale.ROOT, fmt, args)).append('\n');
        }

        private void header() {
            line("# Wengert benchmark report");
            line("");
            line("Profile **%s** (%d fork, %d warmup × %d ms, %d measurement iterations × %d ms per combination; "
                    + "%d more warmup iterations for the engine workloads paired with the anchors), run in %d min %d s. "
                    + "Times are medians over the measurement iterations (25th–75th percentile in brackets where shown).",
                    run.profile.name().toLowerCase(Locale.ROOT), run.profile.forks, run.profile.warmups,
                    run.profile.warmupMs, run.profile.iterations, run.profile.iterationMs, Run.ENGINE_EXTRA_WARMUPS,
                    took.toMinutes(), took.toSecondsPart());
            line("");
            for (String l : machine.lines()) line("%s", l);
            if (anchors != null) {
                line("- Anchors: %s", anchors.files().stream().map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(", ")));
            }
            line("");
        }

        private List<Measurement> engine(String method, Predicate<Measurement> p) {
            return run.engine.stream().filter(m -> m.name().equals(method) && p.test(m)).collect(Collectors.toList());
        }

        private Measurement one(String method, Predicate<Measurement> p) {
            List<Measurement> ms = engine(method, p);
            return ms.isEmpty() ? null : ms.get(0);
        }

        private static double gflops(int n, double millis) {
            return 2.0 * n * n * n / (millis * 1e6);
        }

        /** The speed targets, each paired with its anchor. */
        private void targets() {
            line("## Speed targets, side by side with the anchors");
            line("");
            line("| workload | Wengert | anchor | ratio | target | met |");
            line("|---|---|---|---|---|---|");
            for (String t : new String[] {"1", "2"}) {
                Measurement m = one("BenchmarkMatMul.gemm", x -> x.param("n").equals("512") && x.param("threads").equals(t));
                double blas = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n", "512",
                        "threads", t);
                if (m != null) {
                    double g = gflops(512, m.millis());
                    row("matmul n = 512, " + t + " thread" + (t.equals("1") ? "" : "s"), fmt(g) + " GFLOP/s",
                            "OpenBLAS " + fmt(blas) + " GFLOP/s", g / blas, "≥ 0.9×", g / blas >= 0.9);
                }
            }
            Measurement small = one("BenchmarkMlpStep.step", x -> x.param("config").equals("784-100-10_tanh_64")
                    && x.param("threads").equals("1"));
            Measurement smallBest = fastest(engine("BenchmarkMlpStep.step",
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
            Measurement large = one("BenchmarkMlpStep.step", x -> x.param("config").startsWith("784-512")
                    && x.param("threads").equals("2"));
            double torchLarge = anchors.median("ms_per_step", "w", "mlp", "lib", "torch", "dtype", "float64", "net",
                    "784-512-512-10 relu", "batch", "256", "threads", "2");
            if (large != null) {
                row("MLP 784-512-512-10 step, batch 256 (2 threads)", ms(large.millis()), "PyTorch 2 threads "
                        + ms(torchLarge), large.millis() / torchLarge, "≤ 1.0×", large.millis() / torchLarge <= 1.0);
            }
            Measurement chain = one("BenchmarkScalarGraph.chain10kForwardBackward", x -> true);
            double torchChain = anchors.median("us_per_op_total", "w", "scalar_chain10k", "lib", "torch");
            if (chain != null) {
                double perOp = chain.millis() * 1e3 / 10_000;
                row("scalar chain, per op (forward + backward)", fmt(perOp * 1e3) + " ns", "PyTorch 0-d tensors "
                        + fmt(torchChain) + " µs", perOp / torchChain, "≤ 0.1 µs", perOp <= 0.1);
            }
            Measurement rnn = fastest(engine("BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("bptt")
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
                Measurement rtrl = one("BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("rtrl")
                        && x.param("threads").equals(t));
                double numpy = anchors.median("rtrl_ms", "w", "rtrl", "n", "64", "T", "200", "threads", t);
                if (rtrl != null) {
                    row("exact RTRL, n = 64, T = 200, batch 1, " + t + " thread" + (t.equals("1") ? "" : "s"),
                            ms(rtrl.millis()), "NumPy + OpenBLAS " + t + " thread" + (t.equals("1") ? "" : "s") + " "
                            + ms(numpy), rtrl.millis() / numpy, "≤ 0.5×", rtrl.millis() / numpy <= 0.5);
                }
            }
            line("");
        }

        private static Measurement fastest(List<Measurement> ms) {
            return ms.stream().min((a, b) -> Double.compare(a.millis(), b.millis())).orElse(null);
        }

        private void row(String workload, String ours, String anchor, double ratio, String target, boolean met) {
            line("| %s | %s | %s | %s | %s | %s |", workload, ours, anchor, Double.isNaN(ratio) ? "–" : fmt(ratio) + "×",
                    target, Double.isNaN(ratio) ? "no anchor" : met ? "yes" : "**no**");
        }

        private void engine() throws IOException {
            line("## Engine");
            line("");
            line("### Matmul (`BenchmarkMatMul`, C = A B, square, float64)");
            line("");
            line("| n | threads | time | GFLOP/s | OpenBLAS GFLOP/s | ratio |");
            line("|---|---|---|---|---|---|");
            List<double[]> ours1 = new ArrayList<>();
            List<double[]> ours2 = new ArrayList<>();
            for (Measurement m : engine("BenchmarkMatMul.gemm", x -> true)) {
                int n = m.intParam("n");
                double g = gflops(n, m.millis());
                double blas = anchors == null ? Double.NaN : anchors.median("gflops", "w", "matmul", "lib", "numpy",
                        "dtype", "float64", "n", m.param("n"), "threads", m.param("threads"));
                line("| %d | %s | %s | %s | %s | %s |", n, m.param("threads"), ms(m.millis()), fmt(g), fmt(blas),
                        Double.isNaN(blas) ? "–" : fmt(g / blas) + "×");
                (m.param("threads").equals("1") ? ours1 : ours2).add(new double[] {n, g});
            }
            line("");
            if (!ours1.isEmpty()) {
                Plot p = Plot.lines("Matmul throughput", "n", "GFLOP/s").markers();
                p.series("Wengert, 1 thread", col(ours1, 0), col(ours1, 1));
                if (!ours2.isEmpty()) p.series("Wengert, 2 threads", col(ours2, 0), col(ours2, 1));
                if (anchors != null) {
                    for (String t : new String[] {"1", "2"}) {
                        double[] ns = col(ours1, 0);
                        double[] g = new double[ns.length];
                        boolean any = false;
                        for (int i = 0; i < ns.length; i++) {
                            g[i] = anchors.median("gflops", "w", "matmul", "lib", "numpy", "dtype", "float64", "n",
                                    Integer.toString((int) ns[i]), "threads", t);
                            any |= !Double.isNaN(g[i]);
                        }
                        if (any) p.series("OpenBLAS, " + t + " thread" + (t.equals("1") ? "" : "s"), ns, g);
                    }
                }
                plot(p, "matmul-gflops.png");
            }

            line("### MLP training step (`BenchmarkMlpStep`: forward, backward, SGD)");
            line("");
            line("| network, batch | threads | time | allocated per step | PyTorch | ratio |");
            line("|---|---|---|---|---|---|");
            for (Measurement m : engine("BenchmarkMlpStep.step", x -> true)) {
                String[] c = m.param("config").split("_");
                double torch = anchors == null ? Double.NaN : anchors.median("ms_per_step", "w", "mlp", "lib", "torch",
                        "dtype", "float64", "net", c[0] + " " + c[1], "batch", c[2], "threads", m.param("threads"));
                line("| %s | %s | %s | %s | %s | %s |", m.param("config").replace('_', ' '), m.param("threads"), range(m),
                        bytes(m.allocBytes),
                        ms(torch), Double.isNaN(torch) ? "–" : fmt(m.millis() / torch) + "×");
            }
            line("");

            line("### Scalar graphs (`BenchmarkScalarGraph`)");
            line("");
            line("| workload | time | per op | allocated | PyTorch per op |");
            line("|---|---|---|---|---|");
            Measurement chain = one("BenchmarkScalarGraph.chain10kForwardBackward", x -> true);
            if (chain != null) {
                double torch = anchors == null ? Double.NaN : anchors.median("us_per_op_total", "w", "scalar_chain10k",
                        "lib", "torch");
                line("| 10,000-op chain, forward + backward | %s | %s ns | %s per op | %s |", range(chain),
                        fmt(chain.millis() * 1e6 / 10_000), bytes(chain.allocBytes / 10_000),
                        Double.isNaN(torch) ? "–" : fmt(torch) + " µs");
            }
            Measurement mg = one("BenchmarkScalarGraph.microgradForwardBackward", x -> true);
            if (mg != null) {
                double torch = anchors == null ? Double.NaN : anchors.median("us_per_op_total", "w", "scalar_readme",
                        "lib", "torch");
                line("| micrograd README expression (25 ops), forward + backward | %s | %s ns | %s per op | %s |", range(mg),
                        fmt(mg.millis() * 1e6 / 25), bytes(mg.allocBytes / 25), Double.isNaN(torch) ? "–" : fmt(torch) + " µs");
            }
            line("");

            line("### RNN forward + BPTT (`BenchmarkRecurrent`, algorithm = bptt, tanh RNN, m = 32, T = 200, loss Σ‖h_t‖²)");
            line("");
            line("| n | batch | time | allocated | PyTorch (fastest implementation) | ratio |");
            line("|---|---|---|---|---|---|");
            for (Measurement m : engine("BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("bptt"))) {
                double torch = anchors == null ? Double.NaN : anchors.min("ms", "w", "rnn_bptt", "dtype", "float64", "n",
                        m.param("n"), "T", "200", "batch", m.param("batch"), "threads", "1");
                String impl = anchors == null ? null : anchors.argmin("ms", "impl", "w", "rnn_bptt", "dtype", "float64",
                        "n", m.param("n"), "T", "200", "batch", m.param("batch"), "threads", "1");
                line("| %s | %s | %s | %s | %s | %s |", m.param("n"), m.param("batch"), range(m), bytes(m.allocBytes),
                        Double.isNaN(torch) ? "–" : ms(torch) + " (" + impl + ")",
                        Double.isNaN(torch) ? "–" : fmt(m.millis() / torch) + "×");
            }
            line("");

            line("### Exact RTRL at the anchor's size (tanh RNN, n = 64, m = 32, T = 200, batch 1)");
            line("");
            line("| threads | time | GFLOP/s in W·influence | NumPy + OpenBLAS | ratio |");
            line("|---|---|---|---|---|");
            for (Measurement m : engine("BenchmarkRecurrent.sequence", x -> x.param("algorithm").equals("rtrl"))) {
                double numpy = anchors == null ? Double.NaN : anchors.median("rtrl_ms", "w", "rtrl", "n", "64", "T", "200",
                        "threads", m.param("threads"));
                double p = 64.0 * 64 + 64 * BenchmarkRecurrent.M + 64;
                double flops = 200 * 2.0 * 64 * 64 * p;
                line("| %s | %s | %s | %s | %s |", m.param("threads"), range(m), fmt(flops / (m.millis() * 1e6)), ms(numpy),
                        Double.isNaN(numpy) ? "–" : fmt(m.millis() / numpy) + "×");
            }
            line("");
        }

        private List<Measurement> rec(String alg, String cell, int batch) {
            return run.recurrent.stream().filter(m -> m.param("algorithm").equals(alg) && m.param("cell").equals(cell)
                    && m.intParam("batch") == batch).collect(Collectors.toList());
        }

        private void recurrent() throws IOException {
            String[] algs = {"bptt", "tbptt", "checkpointed", "rtrl", "rtrlGeneric", "snap1", "uoro"};
            line("## Recurrent learning (`BenchmarkRecurrent`)");
            line("");
            line("Time per sequence for the gradient of Σ_t ‖h_t‖² (m = 32 inputs), and the bytes kept alive at the "
                    + "peak (*state*: the tape's activations for the BPTT family, the sensitivity state for the RTRL "
                    + "family; measured, one run each) and allocated per sequence (JMH's GC profiler).");
            line("");
            for (String cell : new String[] {"rnn", "lstm"}) {
                for (int batch : new int[] {1, 32}) {
                    List<Measurement> all = run.recurrent.stream().filter(m -> m.param("cell").equals(cell)
                            && m.intParam("batch") == batch).collect(Collectors.toList());
                    if (all.isEmpty()) continue;
                    line("### %s, batch %d", cell.equals("rnn") ? "Vanilla tanh RNN" : "LSTM", batch);
                    line("");
                    line("| algorithm | n | T | time | state | allocated |");
                    line("|---|---|---|---|---|---|");
                    for (String alg : algs) {
                        for (Measurement m : sorted(rec(alg, cell, batch))) {
                            line("| %s | %s | %s | %s | %s | %s |", alg, m.param("n"), m.param("steps"), range(m),
                                    bytes(m.stateBytes), bytes(m.allocBytes));
                        }
                    }
                    line("");
                }
            }
            exponents(algs);
            ratio();
            crossover();
            recurrentPlots(algs);
            if (!run.excluded.isEmpty()) {
                line("### Left out");
                line("");
                for (String e : run.excluded) line("- %s", e);
                line("");
            }
        }

        private static List<Measurement> sorted(List<Measurement> ms) {
            List<Measurement> s = new ArrayList<>(ms);
            s.sort((a, b) -> a.intParam("n") != b.intParam("n") ? Integer.compare(a.intParam("n"), b.intParam("n"))
                    : Integer.compare(a.intParam("steps"), b.intParam("steps")));
            return s;
        }

        /**
         * Local scaling exponents at the large end: d log y / d log n over the largest measured n at the most
         * common T, and d log y / d log T over the T values measured at one n (least squares on log-log).
         */
        private void exponents(String[] algs) {
            line("### Fitted scaling exponents (vanilla RNN, batch 1)");
            line("");
            line("Least-squares slopes on log-log axes: over the three largest n measured at one T, and over all T "
                    + "measured at one n. Expected by counting: BPTT time ∝ T·n², state ∝ T·n; RTRL time ∝ T·n⁴, state "
                    + "∝ n³ and flat in T.");
            line("");
            line("| algorithm | time ∝ n^a: a | time ∝ T^b: b | state ∝ n^c: c | state ∝ T^d: d |");
            line("|---|---|---|---|---|");
            for (String alg : algs) {
                List<Measurement> ms = rec(alg, "rnn", 1);
                if (ms.isEmpty()) continue;
                double[] a = slopeInN(ms, m -> m.millis());
                double[] b = slopeInT(ms, m -> m.millis());
                double[] c = slopeInN(ms, m -> m.stateBytes);
                double[] d = slopeInT(ms, m -> m.stateBytes);
                line("| %s | %s | %s | %s | %s |", alg, slope(a), slope(b), slope(c), slope(d));
            }
            line("");
        }

        private static String slope(double[] s) {
            if (s == null) return "–";
            return String.format(Locale.ROOT, "%.2f (%s)", s[0], s.length > 1 ? range(s) : "");
        }

        private static String range(double[] s) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < s.length; i += 2) {
                if (b.length() > 0) b.append(", ");
                b.append(String.format(Locale.ROOT, "%s = %.0f", i == 1 ? "at" : "", s[i]));
            }
            return b.toString().replace("at = ", s.length > 2 ? "" : "");
        }

        /** The slope of log y against log n over the three largest n at the T with most points; [slope, T]. */
        private static double[] slopeInN(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> y) {
            Map<Integer, List<Measurement>> byT = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("steps")));
            List<Measurement> best = byT.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElse(null);
            if (best == null || best.size() < 2) return null;
            List<Measurement> s = sorted(best);
            s = s.subList(Math.max(0, s.size() - 3), s.size());
            double[] x = s.stream().mapToDouble(m -> Math.log(m.intParam("n"))).toArray();
            double[] v = s.stream().mapToDouble(m -> Math.log(y.applyAsDouble(m))).toArray();
            return new double[] {leastSquaresSlope(x, v), s.get(0).intParam("steps")};
        }

        /** The slope of log y against log T at the n with most T values; [slope, n]. */
        private static double[] slopeInT(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> y) {
            Map<Integer, List<Measurement>> byN = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("n")));
            List<Measurement> best = byN.values().stream().max((a, b) -> a.size() != b.size()
                    ? Integer.compare(a.size(), b.size()) : Integer.compare(a.get(0).intParam("n"), b.get(0).intParam("n")))
                    .orElse(null);
            if (best == null || best.size() < 2) return null;
            double[] x = best.stream().mapToDouble(m -> Math.log(m.intParam("steps"))).toArray();
            double[] v = best.stream().mapToDouble(m -> Math.log(y.applyAsDouble(m))).toArray();
            return new double[] {leastSquaresSlope(x, v), best.get(0).intParam("n")};
        }

        static double leastSquaresSlope(double[] x, double[] y) {
            int n = x.length;
            double mx = 0;
            double my = 0;
            for (int i = 0; i < n; i++) {
                mx += x[i] / n;
                my += y[i] / n;
            }
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
            }
            return sxx == 0 ? Double.NaN : sxy / sxx;
        }

        private void ratio() {
            List<Measurement> bptt = rec("bptt", "rnn", 1);
            List<Measurement> rtrl = rec("rtrl", "rnn", 1);
            if (bptt.isEmpty() || rtrl.isEmpty()) return;
            line("### RTRL / BPTT time (vanilla RNN, batch 1)");
            line("");
            line("| n | T | BPTT | RTRL | RTRL / BPTT |");
            line("|---|---|---|---|---|");
            for (Measurement r : sorted(rtrl)) {
                for (Measurement b : bptt) {
                    if (b.param("n").equals(r.param("n")) && b.param("steps").equals(r.param("steps"))) {
                        line("| %s | %s | %s | %s | %s× |", r.param("n"), r.param("steps"), ms(b.millis()), ms(r.millis()),
                                fmt(r.millis() / b.millis()));
                    }
                }
            }
            line("");
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
                List<Measurement> b = bptt.stream().filter(m -> m.intParam("n") == n).collect(Collectors.toList());
                double rBytes = rtrl.stream().filter(m -> m.intParam("n") == n).mapToDouble(m -> m.stateBytes).average()
                        .orElse(Double.NaN);
                if (b.size() < 2 && b.size() != 1) continue;
                double slope;
                double intercept;
                if (b.size() >= 2) {
                    double[] x = b.stream().mapToDouble(m -> m.intParam("steps")).toArray();
                    double[] y = b.stream().mapToDouble(m -> m.stateBytes).toArray();
                    slope = leastSquaresSlope(x, y);
                    double mx = java.util.Arrays.stream(x).average().orElse(0);
                    double my = java.util.Arrays.stream(y).average().orElse(0);
                    intercept = my - slope * mx;
                } else {
                    slope = b.get(0).stateBytes / b.get(0).intParam("steps");
                    intercept = 0;
                }
                int m = BenchmarkRecurrent.M;
                double p = (double) n * n + (double) n * m + n;
                double tStar = (rBytes - intercept) / slope;
                rows.append(String.format(Locale.ROOT, "| %d | %s per step | %s | %.0f | %.0f |%n", n, bytes(slope),
                        bytes(rBytes), tStar, n * p / (2 * n + m)));
            }
            if (rows.length() == 0) return;
            line("### Memory crossover (vanilla RNN, batch 1)");
            line("");
            line("BPTT's state grows by a fixed amount per step (fitted to its measured points); RTRL's does not grow. "
                    + "T* is the length beyond which BPTT keeps more alive; the counting estimate n·p/(2n+m) assumes BPTT "
                    + "stores 2n + m numbers per step and RTRL one n × p matrix.");
            line("");
            line("| n | BPTT state | RTRL state | T* measured | n·p/(2n+m) |");
            line("|---|---|---|---|---|");
            md.append(rows);
            line("");
        }

        private void recurrentPlots(String[] algs) throws IOException {
            Plot timeN = Plot.lines("Time per sequence against n (tanh RNN, batch 1)", "hidden units n",
                    "milliseconds per sequence").logLog();
            Plot timeT = Plot.lines("Time per sequence against T (tanh RNN, batch 1)", "sequence length T",
                    "milliseconds per sequence").logLog();
            Plot memN = Plot.lines("State kept alive against n (tanh RNN, batch 1)", "hidden units n", "bytes").logLog();
            Plot memT = Plot.lines("State kept alive against T (tanh RNN, batch 1)", "sequence length T", "bytes").logLog();
            boolean any = false;
            for (String alg : algs) {
                List<Measurement> ms = rec(alg, "rnn", 1);
                if (ms.isEmpty()) continue;
                Map<Integer, List<Measurement>> byT = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("steps")));
                List<Measurement> atT = byT.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).get();
                if (atT.size() >= 2) {
                    List<Measurement> s = sorted(atT);
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
                    List<Measurement> s = sorted(atN);
                    double[] x = s.stream().mapToDouble(m -> m.intParam("steps")).toArray();
                    timeT.series(alg + " (n = " + s.get(0).param("n") + ")", x,
                            s.stream().mapToDouble(Measurement::millis).toArray());
                    memT.series(alg + " (n = " + s.get(0).param("n") + ")", x,
                            s.stream().mapToDouble(m -> m.stateBytes).toArray());
                }
            }
            if (!any) return;
            line("### Plots");
            line("");
            plot(timeN, "recurrent-time-vs-n.png");
            plot(timeT, "recurrent-time-vs-T.png");
            plot(memN, "recurrent-state-vs-n.png");
            plot(memT, "recurrent-state-vs-T.png");
        }

        private void plot(Plot p, String file) {
            try {
                p.save(out.resolve(file));
                line("![%s](%s)", file, file);
                line("");
                plots.add(file);
            } catch (IllegalStateException e) {
                // a plot without series: nothing measured for it
            }
        }

        private static double[] col(List<double[]> rows, int c) {
            return rows.stream().mapToDouble(r -> r[c]).toArray();
        }

        private static String fmt(double v) {
            if (Double.isNaN(v)) return "–";
            double a = Math.abs(v);
            if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
            if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
            if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
            return String.format(Locale.ROOT, "%.3g", v);
        }

        private static String ms(double millis) {
            if (Double.isNaN(millis)) return "–";
            if (millis < 0.01) return fmt(millis * 1e3) + " µs";
            if (millis >= 1000) return fmt(millis / 1000) + " s";
            return fmt(millis) + " ms";
        }

        private static String range(Measurement m) {
            return ms(m.millis()) + " [" + fmt(m.q1Millis()) + "–" + fmt(m.q3Millis()) + "]";
        }

        private static String bytes(double b) {
            if (Double.isNaN(b)) return "–";
            if (b >= 1e9) return fmt(b / 1e9) + " GB";
            if (b >= 1e6) return fmt(b / 1e6) + " MB";
            if (b >= 1e3) return fmt(b / 1e3) + " kB";
            return fmt(b) + " B";
        }

        private String tsv() {
            StringBuilder b = new StringBuilder("benchmark\tparams\tmedian\tq1\tq3\tunit\talloc_bytes\tstate_bytes\n");
            List<Measurement> all = new ArrayList<>(run.engine);
            all.addAll(run.recurrent);
            for (Measurement m : all) {
                b.append(m.name()).append('\t').append(m.params).append('\t').append(m.median).append('\t').append(m.q1)
                        .append('\t').append(m.q3).append('\t').append(m.unit).append('\t').append(m.allocBytes).append('\t')
                        .append(m.stateBytes).append('\n');
            }
            return b.toString();
        }

        private static void atomicWrite(Path file, String text) {
            try {
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".report", ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("report: cannot write " + file, e);
            }
        }
    }
}
