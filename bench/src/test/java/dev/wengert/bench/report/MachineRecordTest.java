package dev.wengert.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's record of its machine: load average parsed, a busy machine flagged, vector width and kernel named. */
class MachineRecordTest {

    @Test
    void theOneMinuteLoadIsTheFirstField() {
        assertEquals(0.52, MachineRecord.parseLoadAverage("0.52 0.58 0.59 1/123 4567\n"), 0.0);
        assertEquals(11.85, MachineRecord.parseLoadAverage("11.85 9.83 5.77 3/200 99"), 0.0);
    }

    @Test
    void theRecordWaitsForTheLoadToFallAndNoLongerThanItsLimit() {
        double[] loads = {2.0, 1.6, 1.2, 0.9, 0.5};
        int[] i = {0};
        long[] slept = {0};
        long waited = MachineRecord.settle(() -> loads[Math.min(i[0]++, loads.length - 1)], 1.0, 120, 2,
                s -> slept[0] += s);
        assertEquals(6, waited, "three waits of 2 s until 0.9 <= 1.0");
        assertEquals(6, slept[0]);
        long capped = MachineRecord.settle(() -> 5.0, 1.0, 10, 2, s -> { });
        assertEquals(10, capped, "never longer than the limit");
        assertEquals(0, MachineRecord.settle(() -> Double.NaN, 1.0, 10, 2, s -> { }), "unknown load: no wait");
    }

    @Test
    void aMachineIsBusyWhenTheLoadPerCpuExceedsTheLimitBeforeOrAfter() {
        assertFalse(MachineRecord.busy(0.3, 0.9, 2));
        assertFalse(MachineRecord.busy(1.0, 1.0, 2), "exactly half a CPU each is not busy");
        assertTrue(MachineRecord.busy(1.2, 0.1, 2));
        assertTrue(MachineRecord.busy(0.1, 4.5, 2));
        assertFalse(MachineRecord.busy(0.1, 2.5, 2), "after the run the suite's own threads count in the load");
        assertFalse(MachineRecord.busy(0.1, 3.0, 2), "exactly one and a half per CPU after is not busy");
        assertTrue(MachineRecord.busy(0.1, 3.1, 2));
        assertFalse(MachineRecord.busy(Double.NaN, Double.NaN, 2), "unknown load: no warning");
    }

    @Test
    void theLinesNameCpuVectorWidthJdkKernelAndLoad() {
        MachineRecord r = MachineRecord.start();
        r.finish();
        List<String> lines = r.lines();
        assertTrue(lines.get(0).startsWith("- Machine: ") && lines.get(0).contains("logical CPUs"), lines.toString());
        assertTrue(lines.get(1).startsWith("- Vector width: preferred DoubleVector species "), lines.toString());
        assertTrue(lines.get(1).contains(MachineRecord.preferredLanes() + " lanes"), lines.toString());
        assertTrue(lines.get(2).startsWith("- JDK: ") && lines.get(2).contains(Runtime.version().toString()),
                lines.toString());
        assertTrue(lines.get(2).contains("matmul kernel: "), lines.toString());
        assertTrue(lines.get(3).startsWith("- Load average (1 min): "), lines.toString());
    }

    @Test
    void theKernelsLanesAreReadFromItsDescription() {
        assertEquals(4, MachineRecord.lanesOf("vector(4 lanes, 5x8 tile), 2 threads"));
        assertEquals(8, MachineRecord.lanesOf("vector(8 lanes, 5x16 tile), 1 thread"));
        assertEquals(1, MachineRecord.lanesOf("scalar fallback (jdk.incubator.vector not present), 1 thread"));
        assertTrue(MachineRecord.kernelLanes() >= 1);
    }

    @Test
    void theCpusVectorExtensionsAreNamedWidestFirst() {
        assertEquals("avx512f, avx2, fma", MachineRecord.extensionsIn("flags\t\t: fpu sse2 fma avx2 avx512f avx512dq"));
        assertEquals("avx2, fma", MachineRecord.extensionsIn("flags : fpu fma avx2 avx512_bf16"));
        assertEquals("none", MachineRecord.extensionsIn("flags : fpu sse2"));
    }
}
