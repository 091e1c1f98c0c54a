package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import dev.wengert.rnn.rtrl.Rtrl;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RTRL at a hidden size whose influence matrix cannot fit refuses before allocating, and says why. */
class MemoryGuardTest {
    static final long SEED = 5;

    @Test
    void fastRtrlRefusesAnInfluenceMatrixLargerThanTheHeap() {
        // n = 1024, m = 1: p = n² + 2n = 1,050,624; two buffers of (n + 1)·p doubles = 16.05 GiB.
        RecurrentNet net = new RecurrentNet(new RnnCell(1, 1024, new Random(SEED)));
        long max = Runtime.getRuntime().maxMemory();
        org.junit.jupiter.api.Assumptions.assumeTrue(max < 8L << 30, "the test needs a heap below 8 GiB");
        var e = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> new RnnRtrl(net, 1));
        String msg = e.getMessage();
        assertTrue(msg.matches("rtrl \\(fast, vanilla RNN\\): RnnCell\\(1→1024\\), batch 1: the influence matrix "
                + "n × batch·p = 1024 × 1050624 \\(p = n² \\+ nm \\+ n = 1050624\\), stored twice \\(working set: 16\\.05 "
                + "GiB of buffers, \\d+\\.\\d\\d MiB of one step's temporaries, \\d+\\.\\d\\d MiB kept by every learner\\) "
                + "needs 16\\.\\d\\d GiB \\(\\d+ bytes\\) but the "
                + "heap has \\d+\\.\\d\\d [KMG]iB available \\(max heap \\d+\\.\\d\\d [KMG]iB, -Xmx\\); use a smaller hidden "
                + "size or batch, SnAp-1 or UORO \\(memory O\\(p\\)\\), or BPTT, or raise -Xmx"), msg);
        assertTrue(e.bytesNeeded() > e.bytesAvailable());
        // The batch multiplies it, and the LSTM's two matrices double it.
        assertThrows(MemoryGuard.InsufficientMemoryException.class,
                () -> new LstmRtrl(new RecurrentNet(new LstmCell(1, 400, new Random(SEED))), 8));
    }

    @Test
    void genericRtrlRefusesParameterTangentsBeyondTheLargestArray() {
        // A cell that mixes the sequences of a batch is differentiated with one direction per parameter: at
        // n = 256, p = 66,048, and W's tangent block alone is p × 65,536 = 4.3e9 doubles.
        RecurrentNet net = new RecurrentNet(new CustomCells.Mixing(1, 256, new Random(SEED)));
        var e = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> new GenericRtrl(net, 2));
        assertTrue(e.getMessage().startsWith("rtrl (generic, forward mode): Mixing(1→256) with p = 66048 parameters, "
                + "batch 2: parameter tangents p × p = 4.362e+09 doubles"), e.getMessage());
        assertTrue(e.getMessage().contains("beyond the largest Java array"), e.getMessage());
        // So is a cell whose parameters have no structure (dense directions), at any batch.
        RecurrentNet dense = new RecurrentNet(new CustomCells.Dense(1, 256, new Random(SEED)));
        var d = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> new GenericRtrl(dense, 1));
        assertTrue(d.getMessage().startsWith("rtrl (generic, forward mode): Dense(1→256) with p = 66048 parameters "
                + "(65792 of them dense), batch 1: K = 66304 tangent directions (state 256, structured 256, dense "
                + "65792)"), d.getMessage());
        assertTrue(d.getMessage().contains("beyond the largest Java array"), d.getMessage());
    }

    @Test
    void genericRtrlOfAStructuredCellNeedsNoParameterTangents() {
        // The vanilla RNN's parameters enter through W h + U x + b: 256 directions for all 66,048 of them, and
        // the influence matrix, 257 × 66,048 doubles twice (271 MB), is what it keeps.
        RecurrentNet net = new RecurrentNet(new RnnCell(1, 256, new Random(SEED)));
        GenericRtrl g = new GenericRtrl(net, 1);
        assertTrue(g.structured());
        assertTrue(g.stateBytes() < 300_000_000L, g.stateBytes() + " bytes");
    }

    @Test
    void exactRtrlAtHugeBatchesIsRefusedByTheGuardNotAnIntegerOverflow() {
        // batch · p = 60,000 · 40,400 overflowed an int: an ArithmeticException before the guard.
        RecurrentNet rnn = new RecurrentNet(new RnnCell(1, 200, new Random(SEED)));
        var e = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> Rtrl.exact(rnn, 60_000));
        assertTrue(e.getMessage().startsWith("rtrl (fast, vanilla RNN): RnnCell(1→200), batch 60000: the influence "
                + "matrix n × batch·p = 200 × 2424000000"), e.getMessage());
        RecurrentNet lstm = new RecurrentNet(new LstmCell(1, 100, new Random(SEED)));
        var l = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> Rtrl.exact(lstm, 60_000));
        assertTrue(l.getMessage().startsWith("rtrl (fast, LSTM): LstmCell(1→100), batch 60000"), l.getMessage());
        // A batch whose state alone has no array: refused by the learner, not by the zeros of its first state.
        for (var make : List.<java.util.function.Supplier<ForwardLearner>>of(() -> Rtrl.exact(rnn, Integer.MAX_VALUE),
                () -> new Snap1(rnn, Integer.MAX_VALUE), () -> new Uoro(rnn, Integer.MAX_VALUE, 1),
                () -> Rtrl.generic(rnn, Integer.MAX_VALUE))) {
            var s = assertThrows(MemoryGuard.InsufficientMemoryException.class, make::get);
            assertTrue(s.getMessage().contains("batch 2147483647"), s.getMessage());
        }
    }

    /** Bytes allocated so far by all live threads (the products' worker threads included). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) sum += Math.max(0, b);
        return sum;
    }

    @Test
    void theGuardCountsEveryTemporaryOfAStep() {
        // Everything a step allocates (live or not: an upper bound on its working set) and every buffer kept
        // must be within what the guard counted, for every forward learner and cell.
        int m = 3;
        int n = 12;
        int batch = 3;
        Random rng = new Random(SEED);
        java.util.Map<String, java.util.function.Supplier<ForwardLearner>> learners = new java.util.LinkedHashMap<>();
        RecurrentNet rnn = RecurrentNet.withReadout(new RnnCell(m, n, rng), 2, rng);
        RecurrentNet lstm = RecurrentNet.withReadout(new LstmCell(m, n, rng), 2, rng);
        learners.put("fast rnn", () -> new RnnRtrl(rnn, batch, 2));
        learners.put("fast lstm", () -> new LstmRtrl(lstm, batch, 2));
        learners.put("snap-1 rnn", () -> new Snap1(rnn, batch));
        learners.put("snap-1 lstm", () -> new Snap1(lstm, batch));
        for (Fixtures.Kind kind : Fixtures.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(Fixtures.cell(kind, m, n, rng), 2, rng);
            learners.put("generic " + kind, () -> new GenericRtrl(net, batch));
            learners.put("uoro " + kind, () -> new Uoro(net, batch, 1));
        }
        StepLoss loss = StepLoss.sumOfSquares();
        for (var entry : learners.entrySet()) {
            ForwardLearner l = entry.getValue().get();
            Random data = new Random(SEED);
            long worst = 0;
            for (int t = 0; t < 40; t++) {
                Tensor x = Tensor.randn(data, batch, m);
                long before = allocatedBytes();
                l.step(t, x, loss);
                l.stepGradient();
                long step = allocatedBytes() - before;
                if (t >= 36) worst = Math.max(worst, step); // after warm-up: the interpreter's and a slow JIT's garbage is gone (10 steps were too few on a loaded machine)
            }
            long used = l.stateBytes() + worst;
            String what = entry.getKey() + ": buffers " + l.stateBytes() + " B + a step's allocations " + worst
                    + " B = " + used + " B, the guard counted " + l.workingSetBytes() + " B";
            assertTrue(used <= l.workingSetBytes(), what);
        }
    }

    /** Exact RTRL whose influence matrices take 82% of a 256 MiB heap, one step: prints how it went. */
    static final class NearTheGuard {
        public static void main(String[] args) {
            try {
                ForwardLearner l = Rtrl.exact(RecurrentNet.withReadout(new RnnCell(10, 160, new Random(SEED)), 2,
                        new Random(SEED)), 3);
                l.step(0, Tensor.randn(new Random(SEED), 3, 10), StepLoss.sumOfSquares());
                System.out.println("ran");
            } catch (MemoryGuard.InsufficientMemoryException e) {
                System.out.println("refused: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                System.out.println("ran out of heap: " + e);
            }
        }
    }

    @Test
    void justUnderTheGuardAStepNeverRunsOutOfHeapWhateverTheCollector() throws Exception {
        // The influence matrices fit the heap as a whole, so the guard passed; but the Serial and Parallel
        // collectors put large arrays in an old generation of two thirds of the heap, where the two of them
        // did not fit: an OutOfMemoryError. The guard now measures the roomiest pool and refuses up front.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String gc : List.of("-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC")) {
            Process p = new ProcessBuilder(java, "-Xmx256m", gc, "--add-modules", "jdk.incubator.vector", "-cp",
                    System.getProperty("java.class.path"), NearTheGuard.class.getName()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), gc + ": timed out");
            assertTrue(out.contains("ran") || out.contains("refused: rtrl (fast, vanilla RNN)"), gc + ": " + out);
            assertTrue(!out.contains("ran out of heap"), gc + ": " + out);
            if (gc.contains("G1")) assertTrue(out.contains("ran"), gc + ": " + out);
        }
    }

    @Test
    void smallProblemsPass() {
        new RnnRtrl(new RecurrentNet(new RnnCell(4, 8, new Random(SEED))), 2);
        new GenericRtrl(new RecurrentNet(new LstmCell(4, 3, new Random(SEED))), 2);
    }
}
