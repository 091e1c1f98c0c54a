package dev.wengert.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic and its reading of the anchors' JSON lines. */
class BenchReportTest {

    @Test
    void slopesOnLogLogAxesRecoverAPowerLaw() {
        double[] x = {Math.log(8), Math.log(16), Math.log(32), Math.log(64)};
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) y[i] = Math.log(3.0) + 4 * x[i];
        assertEquals(4.0, ScalingFit.leastSquaresSlope(x, y), 1e-12);
        assertTrue(Double.isNaN(ScalingFit.leastSquaresSlope(new double[] {1, 1}, new double[] {2, 3})));
    }

    @Test
    void anchorLinesAreReadAndMatchedByFieldAndMedian(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("w1.jsonl"), String.join("\n",
                "{\"w\": \"matmul\", \"lib\": \"numpy\", \"n\": 512, \"dtype\": \"float64\", \"threads\": 1, \"gflops\": 30.0}",
                "# a comment line",
                "{\"w\": \"matmul\", \"lib\": \"numpy\", \"n\": 512, \"dtype\": \"float64\", \"threads\": 1, \"gflops\": 36.0}",
                "{\"w\": \"matmul\", \"lib\": \"numpy\", \"n\": 512, \"dtype\": \"float64\", \"threads\": 1, \"gflops\": 33.0}",
                "{\"w\": \"matmul\", \"lib\": \"torch\", \"n\": 512, \"dtype\": \"float64\", \"threads\": 1, \"gflops\": 99.0}"));
        Anchors a = Anchors.load(dir);
        assertEquals(33.0, a.median("gflops", "w", "matmul", "lib", "numpy", "n", "512", "threads", "1"));
        assertEquals(30.0, a.min("gflops", "lib", "numpy"));
        assertEquals("numpy", a.argmin("gflops", "lib", "n", "512"));
        assertTrue(Double.isNaN(a.median("gflops", "n", "1024")));
    }

    @Test
    void aMalformedAnchorLineIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.jsonl"), "{\"w\": \"matmul\"}\nnot json\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Anchors.load(dir));
        assertTrue(e.getMessage().contains("bad.jsonl line 2"), e.getMessage());
    }

    @Test
    void flatObjectsKeepStringsAndNumbers() {
        Map<String, String> m = Anchors.parseFlat("{\"impl\": \"fused\", \"ms\": 3.87, \"ok\": true, \"pools\": [1, 2]}");
        assertEquals("fused", m.get("impl"));
        assertEquals("3.87", m.get("ms"));
        assertEquals("true", m.get("ok"));
    }

    @Test
    void combinationsOverBudgetAreLeftOutWithAReason() {
        SuiteRun quick = new SuiteRun(SuiteRun.Profile.QUICK);
        assertNull(quick.exclusion("bptt", "rnn", 32, 100, 1));
        String why = quick.exclusion("rtrl", "rnn", 256, 1000, 1);
        assertTrue(why != null && why.contains("s per sequence"), why);
        String generic = quick.exclusion("rtrlGeneric", "lstm", 128, 10, 32);
        assertTrue(generic != null && generic.contains("influence matrix"), generic);
        // Structured generic RTRL keeps what the fast kernel keeps and costs about as much: it is left out
        // where the fast kernel is (it used to be left out from p² tangent bytes, p = 2,080 at n = 32).
        for (int n : new int[] {32, 64, 128}) {
            assertEquals(quick.exclusion("rtrl", "rnn", n, 200, 1) == null,
                    quick.exclusion("rtrlGeneric", "rnn", n, 200, 1) == null, "n = " + n);
        }
    }

    @Test
    void theEngineSuiteMeasuresEveryTarget() {
        // One synthetic measurement per planned combination: then no target row may say "not run" (nor miss
        // the FMA peak or an allocation figure), so every target's figure is in the suite.
        List<Measurement> ms = new ArrayList<>();
        SuiteRun quick = new SuiteRun(SuiteRun.Profile.QUICK);
        for (SuiteRun.Combination c : SuiteRun.enginePlan()) {
            Measurement m = new Measurement("dev.wengert.bench." + c.method(), c.params(), 1.0, 1.0, 1.0, "ms/op",
                    c.gc() ? 1.0 : Double.NaN);
            m.stateBytes = 1.0;
            ms.add(m);
            if (c.method().equals("BenchmarkRecurrent.sequence")) {
                Map<String, String> p = c.params();
                assertNull(quick.exclusion(p.get("algorithm"), p.get("cell"), Integer.parseInt(p.get("n")),
                        Integer.parseInt(p.get("steps")), Integer.parseInt(p.get("batch"))), c.toString());
            }
        }
        for (SpeedTargets.Row r : new SpeedTargets(ms, Anchors.none(), 4).rows()) {
            assertTrue(r.met() == SpeedTargets.Met.NO_ANCHOR || r.met() == SpeedTargets.Met.YES
                    || r.met() == SpeedTargets.Met.NO, r.toString());
        }
    }
}
