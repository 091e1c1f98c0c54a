package dev.wengert.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.bench.BenchmarkFmaPeak;
import dev.wengert.bench.report.SpeedTargets.Met;
import dev.wengert.bench.report.SpeedTargets.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The targets table on synthetic measurements and anchors: every target keeps its row, and "met" flips where
 * the measured figure crosses the target's threshold.
 */
class SpeedTargetsTest {
    private final List<Measurement> ms = new ArrayList<>();
    private final List<String> anchorLines = new ArrayList<>();

    private Measurement add(String benchmark, double millis, double alloc, String... kv) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
        Measurement m = new Measurement("dev.wengert.bench." + benchmark, p, millis, millis, millis, "ms/op", alloc);
        ms.add(m);
        return m;
    }

    private Measurement gemm(int n, int threads, double gflops) {
        return add("BenchmarkMatMul.gemm", 2.0 * n * n * n / (gflops * 1e6), Double.NaN, "n", "" + n, "threads",
                "" + threads);
    }

    private void fmaPeak(int threads, double gflops) {
        add("BenchmarkFmaPeak.fma", BenchmarkFmaPeak.FLOPS_PER_CALL / (gflops * 1e6), Double.NaN, "threads",
                "" + threads);
    }

    private Measurement sequence(String alg, int n, int t, int b, int threads, double millis, double alloc) {
        return add("BenchmarkRecurrent.sequence", millis, alloc, "algorithm", alg, "cell", "rnn", "n", "" + n, "steps",
                "" + t, "batch", "" + b, "threads", "" + threads);
    }

    private List<Row> rows(int lanes) {
        return new SpeedTargets(ms, Anchors.ofLines(anchorLines.toArray(new String[0])), lanes).rows();
    }

    /** The one row with this workload and a target starting with {@code target}. */
    private static Row row(List<Row> rows, String workload, String target) {
        List<Row> found = rows.stream().filter(r -> r.workload().equals(workload) && r.target().startsWith(target))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), workload + " / " + target + " in " + rows);
        return found.get(0);
    }

    private Met met(String workload, String target) {
        return row(rows(4), workload, target).met();
    }

    @Test
    void everyTargetKeepsItsRowWhenNothingWasMeasured() {
        List<Row> rows = new SpeedTargets(List.of(), Anchors.none(), 4).rows();
        // matmul: 10 against OpenBLAS, 6 against the FMA peak; MLP: 4; BPTT: 1 + 6 against PyTorch, 6
        // allocation; RTRL: 2 against the peak, 2 against NumPy, 1 generic; scalar graph: 1.
        assertEquals(39, rows.size());
        for (Row r : rows) {
            assertEquals(Met.NOT_RUN, r.met(), r.toString());
            assertEquals("not run", r.ours(), r.toString());
        }
    }

    @Test
    void matmulAgainstOpenBlasIsMetFromOneTimesUp() {
        gemm(512, 1, 30.0);
        anchorLines.add("{\"w\": \"matmul\", \"lib\": \"numpy\", \"n\": 512, \"dtype\": \"float64\", \"threads\": 1, "
                + "\"gflops\": 29.7}");
        assertEquals(Met.YES, met("matmul n = 512, 1 thread", "≥ 1.0× OpenBLAS"));
        anchorLines.set(0, anchorLines.get(0).replace("29.7", "30.3"));
        assertEquals(Met.NO, met("matmul n = 512, 1 thread", "≥ 1.0× OpenBLAS"));
        // The torch row of the same anchor file is not OpenBLAS.
        anchorLines.set(0, anchorLines.get(0).replace("numpy", "torch"));
        assertEquals(Met.NO_ANCHOR, met("matmul n = 512, 1 thread", "≥ 1.0× OpenBLAS"));
        assertEquals(Met.NOT_RUN, met("matmul n = 128, 2 threads", "≥ 1.0× OpenBLAS"));
    }

    @Test
    void matmulAgainstTheFmaPeakIsMetFromEightyPercentUp() {
        Measurement m = gemm(512, 1, 32.4);
        assertEquals(Met.NO_PEAK, met("matmul n = 512, 1 thread, against the FMA peak", "≥ 0.8× FMA peak"));
        fmaPeak(1, 40.0);
        assertEquals(Met.YES, met("matmul n = 512, 1 thread, against the FMA peak", "≥ 0.8× FMA peak"));
        ms.remove(m);
        gemm(512, 1, 31.6);
        assertEquals(Met.NO, met("matmul n = 512, 1 thread, against the FMA peak", "≥ 0.8× FMA peak"));
    }

    @Test
    void twoThreadsAreHeldToTheTwoThreadPeakOrTwiceTheOneThreadPeak() {
        fmaPeak(1, 40.0);
        gemm(1024, 2, 60.0);
        // Only the one-thread peak: 2 × 40 = 80, and 60 is 0.75 of it.
        Row r = row(rows(4), "matmul n = 1024, 2 threads, against the FMA peak", "≥ 0.8× FMA peak");
        assertEquals(Met.NO, r.met());
        assertTrue(r.reference().contains("1 thread × 2"), r.reference());
        // The two threads measured together reach 72 (shared resources): 60 is 0.83 of that.
        fmaPeak(2, 72.0);
        r = row(rows(4), "matmul n = 1024, 2 threads, against the FMA peak", "≥ 0.8× FMA peak");
        assertEquals(Met.YES, r.met());
        assertTrue(r.reference().contains("2 threads together: 72.0 GFLOP/s"), r.reference());
    }

    @Test
    void mlpTargetsFlipAtHalfPyTorchAtNumPyAndAtOneHundredKilobytes() {
        String small = "MLP 784-100-10 step, batch 64, 1 thread";
        anchorLines.add("{\"w\": \"mlp\", \"net\": \"784-100-10 tanh\", \"batch\": 64, \"lib\": \"torch\", "
                + "\"dtype\": \"float64\", \"threads\": 1, \"ms_per_step\": 1.28}");
        anchorLines.add("{\"w\": \"mlp\", \"net\": \"784-100-10 tanh\", \"batch\": 64, \"lib\": \"numpy\", "
                + "\"dtype\": \"float64\", \"threads\": 1, \"ms_per_step\": 0.64}");
        Measurement m = add("BenchmarkMlpStep.step", 0.63, 99e3, "config", "784-100-10_tanh_64", "threads", "1");
        assertEquals(Met.YES, met(small, "≤ 0.5× PyTorch"));
        assertEquals(Met.YES, met(small, "≤ 1.0× NumPy"));
        assertEquals(Met.YES, met(small + ", allocated per step", "≤ 100 kB"));
        ms.remove(m);
        add("BenchmarkMlpStep.step", 0.65, 101e3, "config", "784-100-10_tanh_64", "threads", "1");
        assertEquals(Met.NO, met(small, "≤ 0.5× PyTorch"));
        assertEquals(Met.NO, met(small, "≤ 1.0× NumPy"));
        assertEquals(Met.NO, met(small + ", allocated per step", "≤ 100 kB"));

        String large = "MLP 784-512-512-10 step, batch 256, 2 threads";
        anchorLines.add("{\"w\": \"mlp\", \"net\": \"784-512-512-10 relu\", \"batch\": 256, \"lib\": \"torch\", "
                + "\"dtype\": \"float64\", \"threads\": 2, \"ms_per_step\": 20.0}");
        m = add("BenchmarkMlpStep.step", 11.9, 2e6, "config", "784-512-512-10_relu_256", "threads", "2");
        assertEquals(Met.YES, met(large, "≤ 0.6× PyTorch"));
        ms.remove(m);
        add("BenchmarkMlpStep.step", 12.1, 2e6, "config", "784-512-512-10_relu_256", "threads", "2");
        assertEquals(Met.NO, met(large, "≤ 0.6× PyTorch"));
    }

    @Test
    void bpttIsHeldToPyTorchsFastestRunAndItsAllocationToItsActivations() {
        String headline = "RNN forward + BPTT, n = 128, T = 200, batch 32 (Wengert: all cores)";
        anchorLines.add("{\"w\": \"rnn_bptt\", \"impl\": \"fused\", \"dtype\": \"float64\", \"n\": 128, \"T\": 200, "
                + "\"batch\": 32, \"threads\": 1, \"ms\": 70.0}");
        anchorLines.add("{\"w\": \"rnn_bptt\", \"impl\": \"hoisted\", \"dtype\": \"float64\", \"n\": 128, \"T\": 200, "
                + "\"batch\": 32, \"threads\": 2, \"ms\": 60.0}");
        anchorLines.add("{\"w\": \"rnn_bptt\", \"impl\": \"hoisted\", \"dtype\": \"float32\", \"n\": 128, \"T\": 200, "
                + "\"batch\": 32, \"threads\": 2, \"ms\": 20.0}");
        Measurement m = sequence("bptt", 128, 200, 32, 0, 35.0, 5.9e6);
        m.stateBytes = 2e6;
        Row r = row(rows(4), headline, "≤ 0.6×");
        assertEquals(Met.YES, r.met());
        assertTrue(r.reference().contains("60.0 ms (hoisted, 2 threads)"), r.reference());
        assertEquals(Met.YES, met(headline, "≤ 1.0×"));
        assertEquals(Met.YES, met("BPTT allocated per sequence, n = 128, T = 200, batch 32", "≤ 3×"));
        ms.remove(m);
        m = sequence("bptt", 128, 200, 32, 0, 37.0, 6.1e6);
        m.stateBytes = 2e6;
        assertEquals(Met.NO, met(headline, "≤ 0.6×"));
        assertEquals(Met.YES, met(headline, "≤ 1.0×"));
        assertEquals(Met.NO, met("BPTT allocated per sequence, n = 128, T = 200, batch 32", "≤ 3×"));
        sequence("bptt", 32, 200, 1, 0, 1.0, Double.NaN).stateBytes = 1e5;
        assertEquals(Met.NO_ANCHOR, met("RNN forward + BPTT, n = 32, T = 200, batch 1 (Wengert: all cores)", "≤ 1.0×"));
        assertEquals(Met.NOT_MEASURED, met("BPTT allocated per sequence, n = 32, T = 200, batch 1", "≤ 3×"));
    }

    @Test
    void rtrlsProductRateIsHeldToEightyPercentOfThePeak() {
        // 2n²p flops per step, p = n² + nm + n = 4096 + 2048 + 64 = 6208, over 200 steps.
        double flops = 200 * 2.0 * 64 * 64 * 6208;
        fmaPeak(1, 40.0);
        Measurement m = sequence("rtrl", 64, 200, 1, 1, flops / (32.4 * 1e6), 1e5);
        String workload = rows(4).stream()
                .filter(r -> r.workload().startsWith("exact RTRL, n = 64, T = 200, batch 1, 1 thread: "))
                .findFirst().get().workload();
        assertTrue(workload.contains("p = n² + nm + n = 6,208"), workload);
        assertEquals(Met.YES, met(workload, "≥ 0.8× FMA peak"));
        ms.remove(m);
        sequence("rtrl", 64, 200, 1, 1, flops / (31.6 * 1e6), 1e5);
        assertEquals(Met.NO, met(workload, "≥ 0.8× FMA peak"));
    }

    @Test
    void rtrlIsHeldToHalfNumPyAndGenericRtrlToThreeTimesTheFastKernel() {
        anchorLines.add("{\"w\": \"rtrl\", \"n\": 64, \"T\": 200, \"threads\": 2, \"rtrl_ms\": 300}");
        Measurement m = sequence("rtrl", 64, 200, 1, 2, 149, 1e5);
        assertEquals(Met.YES, met("exact RTRL, n = 64, T = 200, batch 1, 2 threads", "≤ 0.5× NumPy"));
        ms.remove(m);
        sequence("rtrl", 64, 200, 1, 2, 151, 1e5);
        assertEquals(Met.NO, met("exact RTRL, n = 64, T = 200, batch 1, 2 threads", "≤ 0.5× NumPy"));
        assertEquals(Met.NOT_RUN, met("exact RTRL, n = 64, T = 200, batch 1, 1 thread", "≤ 0.5× NumPy"));

        String generic = "generic RTRL (GenericRtrl), n = " + SuiteRun.GENERIC_N + ", T = " + SuiteRun.GENERIC_T
                + ", batch 1, 1 thread";
        Measurement g = sequence("rtrlGeneric", SuiteRun.GENERIC_N, SuiteRun.GENERIC_T, 1, 1, 2.9, 1e5);
        assertEquals(Met.NOT_RUN, met(generic, "≤ 3.0×"), "no fast-kernel figure to compare with");
        sequence("rtrl", SuiteRun.GENERIC_N, SuiteRun.GENERIC_T, 1, 1, 1.0, 1e5);
        assertEquals(Met.YES, met(generic, "≤ 3.0×"));
        ms.remove(g);
        sequence("rtrlGeneric", SuiteRun.GENERIC_N, SuiteRun.GENERIC_T, 1, 1, 3.1, 1e5);
        assertEquals(Met.NO, met(generic, "≤ 3.0×"));
    }

    @Test
    void theScalarGraphTargetFollowsTheKernelsVectorWidth() {
        add("BenchmarkScalarGraph.chain10kForwardBackward", 0.5, 1e6); // 50 ns per op
        String workload = "scalar graph, 10,000-op chain, per op (forward + backward)";
        Row avx2 = row(rows(4), workload, "≤ 60 ns");
        assertEquals(Met.YES, avx2.met());
        assertTrue(avx2.target().contains("AVX2 machine: kernel of 4 lanes"), avx2.target());
        Row avx512 = row(rows(8), workload, "≤ 40 ns");
        assertEquals(Met.NO, avx512.met());
        assertTrue(avx512.target().contains("AVX-512 machine: kernel of 8 lanes"), avx512.target());
        assertEquals("50.0 ns", avx512.ours());
        Row fallback = row(rows(1), workload, "≤ 60 ns");
        assertTrue(fallback.target().contains("the AVX2 target: kernel of 1 lane, under 8"), fallback.target());
    }

    @Test
    void theTableHasOneLinePerRowAndSaysWhatIsMissing() {
        Markdown md = new Markdown();
        new SpeedTargets(List.of(), Anchors.none(), 4).write(md);
        String text = md.toString();
        assertEquals(39, text.lines().filter(l -> l.startsWith("| ") && l.endsWith("| not run |")).count(), text);
    }
}
