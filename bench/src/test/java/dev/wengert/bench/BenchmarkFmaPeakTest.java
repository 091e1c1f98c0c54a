package dev.wengert.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** The FMA-peak benchmark does the work its flop count says: CHAINS chains of `steps` FMAs per thread. */
class BenchmarkFmaPeakTest {

    @Test
    void everyCallIsTheSameFlopCountWhateverTheWidthAndThreads() {
        for (int lanes : new int[] {1, 2, 4, 8, 16}) {
            for (int threads : new int[] {1, 2, 4}) {
                long flops = 2L * lanes * BenchmarkFmaPeak.CHAINS * threads
                        * BenchmarkFmaPeak.stepsPerThread(lanes, threads);
                assertEquals(BenchmarkFmaPeak.FLOPS_PER_CALL, flops, lanes + " lanes, " + threads + " threads");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BenchmarkFmaPeak.stepsPerThread(4, 5));
    }

    @Test
    void theLoopRunsTwelveChainsOfStepsFmas() {
        // Chain k starts at k and gains a·b per step: the lanes' sum is lanes · (Σk + 12 · steps · a·b).
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        double a = 0.5;
        double b = 0.25;
        int steps = 1000;
        double expected = lanes * (66.0 + BenchmarkFmaPeak.CHAINS * steps * a * b);
        assertEquals(12, BenchmarkFmaPeak.CHAINS);
        assertEquals(expected, BenchmarkFmaPeak.chains(a, b, steps), 1e-9 * expected);
    }

    @Test
    void twoThreadsShareOneCallsWork() throws Exception {
        BenchmarkFmaPeak bench = new BenchmarkFmaPeak();
        bench.threads = 2;
        bench.setup();
        try {
            assertEquals(BenchmarkFmaPeak.stepsPerThread(DoubleVector.SPECIES_PREFERRED.length(), 2), bench.steps);
            int steps = 1000;
            bench.steps = steps; // a short call: the test checks the split, not the speed
            double one = BenchmarkFmaPeak.chains(bench.a, bench.b, steps);
            assertEquals(2 * one, bench.fma(), 1e-12 * one);
        } finally {
            bench.tearDown();
        }
    }
}
