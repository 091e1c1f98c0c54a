package dev.wengert.bench.report;

import dev.wengert.bench.BenchmarkRecurrent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Which JMH combinations the report runs, which it leaves out (and why), and running them: the engine
 * workloads paired with the anchors, and the recurrent-learning grid.
 */
final class SuiteRun {
    /** Extra warmup iterations for the engine workloads (see {@link #engine()}). */
    static final int ENGINE_EXTRA_WARMUPS = 2;

    /** The matmul sizes of the engine suite: the anchor's (w1_matmul) up to 1024. */
    static final String[] MATMUL_SIZES = {"64", "128", "256", "512", "1024"};
    /** Hidden size and sequence length at which generic RTRL is compared with the fast kernel. */
    static final int GENERIC_N = 16;
    /** See {@link #GENERIC_N}. */
    static final int GENERIC_T = 100;

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

    final Profile profile;
    final List<Measurement> engine = new ArrayList<>();
    final List<Measurement> recurrent = new ArrayList<>();
    /** Element-wise recurrent stacks: forward alone, the online rule and BPTT ({@link #online()}). */
    final List<Measurement> online = new ArrayList<>();
    final List<String> excluded = new ArrayList<>();
    private int done;

    SuiteRun(Profile profile) {
        this.profile = profile;
    }

    /**
     * The workloads paired with the anchors. They get {@link #ENGINE_EXTRA_WARMUPS} more warmup
     * iterations than the recurrent grid: the first BPTT sequence at n = 128, batch 32 takes about a
     * second (compilation), and with two warmup seconds the measured iterations still ran 60% slow.
     */
    void engine() throws RunnerException {
        int warmups = profile.warmups + ENGINE_EXTRA_WARMUPS;
        for (Combination c : enginePlan()) {
            if (c.method().equals(SEQUENCE)) {
                Map<String, String> p = c.params();
                recurrentCombination(p.get("algorithm"), p.get("cell"), Integer.parseInt(p.get("n")),
                        Integer.parseInt(p.get("steps")), Integer.parseInt(p.get("batch")),
                        Integer.parseInt(p.get("threads")), engine, warmups);
            } else {
                engine.addAll(jmh(c.method(), c.params(), c.gc(), warmups));
            }
        }
    }

    /** One JMH combination: a benchmark method, its {@code @Param} values, and whether the GC profiler runs. */
    record Combination(String method, Map<String, String> params, boolean gc) {
        /** A {@code BenchmarkRecurrent.sequence} combination (always with the GC profiler). */
        static Combination sequence(String alg, String cell, int n, int t, int b, int threads) {
            return new Combination(SEQUENCE, Map.of("algorithm", alg, "cell", cell, "n", Integer.toString(n), "steps",
                    Integer.toString(t), "batch", Integer.toString(b), "threads", Integer.toString(threads)), true);
        }
    }

    private static final String SEQUENCE = "BenchmarkRecurrent.sequence";

    /** The engine suite, in running order, the same in both profiles (only the run length differs). */
    static List<Combination> enginePlan() {
        List<Combination> plan = new ArrayList<>();
        // The machine's FMA peak per core and on two cores: the ceiling of the matmul and RTRL targets.
        for (String t : new String[] {"1", "2"}) {
            plan.add(new Combination("BenchmarkFmaPeak.fma", Map.of("threads", t), false));
        }
        for (String n : MATMUL_SIZES) {
            for (String t : new String[] {"1", "2"}) {
                plan.add(new Combination("BenchmarkMatMul.gemm", Map.of("n", n, "threads", t), false));
            }
        }
        for (String c : new String[] {"784-100-10_tanh_64", "784-100-10_tanh_128", "784-512-512-10_relu_256"}) {
            for (String t : new String[] {"1", "2"}) {
                plan.add(new Combination("BenchmarkMlpStep.step", Map.of("config", c, "threads", t), true));
            }
        }
        plan.add(new Combination("BenchmarkScalarGraph.chain10kForwardBackward", Map.of(), true));
        plan.add(new Combination("BenchmarkScalarGraph.microgradForwardBackward", Map.of(), true));
        // BPTT over the anchor's grid at T = 200.
        for (int n : new int[] {32, 128, 256}) {
            for (int b : new int[] {1, 32}) plan.add(Combination.sequence("bptt", "rnn", n, 200, b, 0));
        }
        // Exact RTRL at the anchor's size, on one thread and on two.
        for (int t : new int[] {1, 2}) plan.add(Combination.sequence("rtrl", "rnn", 64, 200, 1, t));
        // Generic RTRL against the fast kernel, both on one thread, at a size the generic path affords.
        for (String alg : new String[] {"rtrl", "rtrlGeneric"}) {
            plan.add(Combination.sequence(alg, "rnn", GENERIC_N, GENERIC_T, 1, 1));
        }
        return plan;
    }

    /** The recurrent-learning grid: every algorithm, both cells, the combinations of {@link #combinations}. */
    void recurrent() throws RunnerException {
        String[] algorithms = {"bptt", "tbptt", "checkpointed", "rtrl", "rtrlGeneric", "snap1", "uoro"};
        for (String cell : new String[] {"rnn", "lstm"}) {
            for (String alg : algorithms) {
                for (int[] c : combinations(alg, cell)) {
                    recurrentCombination(alg, cell, c[0], c[1], c[2], 0, recurrent, profile.warmups);
                }
            }
        }
    }

    /**
     * More warmup iterations for the online suite: a sequence of T = 10⁴ steps takes 0.1–0.5 s, so the
     * profile's warmups run it only a few times, and a first quick run measured the forward pass at 7–13 µs
     * per step depending on T (the same code).
     */
    static final int ONLINE_EXTRA_WARMUPS = 4;

    /** {@code BenchmarkElementwiseOnline}'s method. */
    static final String ONLINE = "BenchmarkElementwiseOnline.sequence";

    /**
     * The online-learning suite: LRU stacks of 1 and 4 layers, the forward pass alone, Zucchet et al.'s rule
     * and BPTT, over T (and, in the full profile, two widths), each with what it keeps alive.
     */
    void online() throws RunnerException {
        for (int[] c : onlinePlan(profile)) {
            for (String alg : new String[] {"forward", "online", "bptt"}) {
                List<Measurement> ms = jmh(ONLINE, Map.of("algorithm", alg, "layers", Integer.toString(c[0]), "n",
                        Integer.toString(c[1]), "steps", Integer.toString(c[2]), "batch", "1"), true,
                        profile.warmups + ONLINE_EXTRA_WARMUPS);
                for (Measurement m : ms) {
                    m.stateBytes = dev.wengert.bench.BenchmarkElementwiseOnline.stateBytes(alg, c[0], c[1], c[2]);
                }
                online.addAll(ms);
            }
        }
    }

    /** The (layers, n, T) points of the online suite in a profile. */
    static List<int[]> onlinePlan(Profile profile) {
        List<int[]> plan = new ArrayList<>();
        int[] widths = profile == Profile.FULL ? new int[] {16, 64} : new int[] {16};
        int[] lengths = profile == Profile.FULL ? new int[] {100, 1000, 10000, 100000} : new int[] {100, 1000, 10000};
        for (int layers : new int[] {1, 4}) {
            for (int n : widths) for (int t : lengths) plan.add(new int[] {layers, n, t});
        }
        return plan;
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
        List<Measurement> ms = jmh(SEQUENCE, Map.of("algorithm", alg, "cell", cell, "n",
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
