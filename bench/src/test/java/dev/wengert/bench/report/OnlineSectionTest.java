package dev.wengert.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online-learning section on synthetic measurements: the ratio, its target, the memory crossover. */
class OnlineSectionTest {
    @TempDir
    Path dir;

    private static Measurement m(String alg, int layers, int t, double millis, double state) {
        Measurement m = new Measurement("dev.wengert.bench." + SuiteRun.ONLINE, Map.of("algorithm", alg, "layers",
                Integer.toString(layers), "n", "16", "steps", Integer.toString(t), "batch", "1"), millis, millis,
                millis, "ms/op", 1000.0 * t);
        m.stateBytes = state;
        return m;
    }

    private String write(List<Measurement> ms) {
        Markdown md = new Markdown();
        new OnlineSection(ms, md, new ReportPlots(dir, md)).write();
        return md.toString();
    }

    @Test
    void theRatioIsPerStepAndMetFlipsAtTheTarget() {
        List<Measurement> ms = new ArrayList<>();
        // forward 10 µs per step; online 24.9 µs (met) at T = 1000, 25.1 µs (not met) at T = 10000.
        ms.add(m("forward", 1, 1000, 10.0, 0));
        ms.add(m("online", 1, 1000, 24.9, 5000));
        ms.add(m("bptt", 1, 1000, 40.0, 4000));
        ms.add(m("forward", 1, 10000, 100.0, 0));
        ms.add(m("online", 1, 10000, 251.0, 5000));
        ms.add(m("bptt", 1, 10000, 400.0, 40000));
        String text = write(ms);
        assertTrue(text.contains("| 1 | 16 | 1000 | 10.0 µs | 24.9 µs | 40.0 µs | 2.49× | yes |"), text);
        assertTrue(text.contains("| 1 | 16 | 10000 | 10.0 µs | 25.1 µs | 40.0 µs | 2.51× | **no** |"), text);
        assertTrue(text.contains("BPTT keeps more alive than the online traces from T = 10000 on"), text);
        assertTrue(Files.exists(dir.resolve("online-time-vs-T.png")), "the time plot is written");
    }

    @Test
    void aMissingForwardRunSaysNotRunAndNoCrossoverIsClaimed() {
        List<Measurement> ms = List.of(m("online", 4, 100, 5.0, 9000), m("bptt", 4, 100, 6.0, 800));
        String text = write(ms);
        assertTrue(text.contains("| – | not run |"), text);
        assertTrue(text.contains("at no measured T"), text);
        assertEquals(50.0, OnlineSection.microsPerStep(ms.get(0)), 1e-12);
    }

    @Test
    void theQuickPlanCoversBothDepthsAndThreeLengths() {
        List<int[]> plan = SuiteRun.onlinePlan(SuiteRun.Profile.QUICK);
        assertEquals(6, plan.size());
        assertTrue(plan.stream().anyMatch(p -> p[0] == 4 && p[2] == 10000));
    }
}
