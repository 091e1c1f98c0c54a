package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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
                + "n × batch·p = 1024 × 1050624 \\(p = n² \\+ nm \\+ n = 1050624\\), stored twice needs 16\\.05 GiB \\(\\d+ bytes\\) but the "
                + "heap has \\d+\\.\\d\\d [KMG]iB available \\(max heap \\d+\\.\\d\\d [KMG]iB, -Xmx\\); use a smaller hidden "
                + "size or batch, SnAp-1 or UORO \\(memory O\\(p\\)\\), or BPTT, or raise -Xmx"), msg);
        assertTrue(e.bytesNeeded() > e.bytesAvailable());
        // The batch multiplies it, and the LSTM's two matrices double it.
        assertThrows(MemoryGuard.InsufficientMemoryException.class,
                () -> new LstmRtrl(new RecurrentNet(new LstmCell(1, 400, new Random(SEED))), 8));
    }

    @Test
    void genericRtrlRefusesParameterTangentsBeyondTheLargestArray() {
        // n = 256: p = 66,048, and W_hh's tangent block alone is p × 65,536 = 4.3e9 doubles.
        RecurrentNet net = new RecurrentNet(new RnnCell(1, 256, new Random(SEED)));
        var e = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> new GenericRtrl(net, 1));
        assertTrue(e.getMessage().startsWith("rtrl (generic, forward mode): RnnCell(1→256) with p = 66048 parameters, "
                + "batch 1: parameter tangents p × p = 4.362e+09 doubles"), e.getMessage());
        assertTrue(e.getMessage().contains("beyond the largest Java array"), e.getMessage());
    }

    @Test
    void smallProblemsPass() {
        new RnnRtrl(new RecurrentNet(new RnnCell(4, 8, new Random(SEED))), 2);
        new GenericRtrl(new RecurrentNet(new LstmCell(4, 3, new Random(SEED))), 2);
    }
}
