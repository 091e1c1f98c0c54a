package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the forward-mode learners report keeping alive: the influence matrix's size, flat in T. */
class StateBytesTest {
    private static final int M = 5;

    private static Tensor[] inputs(Random rng, int steps, int batch) {
        Tensor[] xs = new Tensor[steps];
        for (int t = 0; t < steps; t++) xs[t] = Tensor.randn(rng, batch, M);
        return xs;
    }

    @Test
    void exactRtrlHoldsTheInfluenceMatrixTwiceAndItDoesNotGrowWithT() {
        Random rng = new Random(1);
        int n = 6;
        RecurrentNet net = new RecurrentNet(new RnnCell(M, n, rng));
        long p = (long) n * n + (long) n * M + n;
        RnnRtrl rtrl = new RnnRtrl(net, 2, 1);
        long before = rtrl.stateBytes();
        // At least the influence matrix n × batch·p, double buffered.
        assertTrue(before >= 2 * 8 * n * 2 * p, "state " + before + " bytes");
        ForwardLearner.run(rtrl, inputs(rng, 30, 2), StepLoss.sumOfSquares());
        assertEquals(before, rtrl.stateBytes());
    }

    @Test
    void approximationsKeepFarLessThanExactRtrl() {
        Random rng = new Random(2);
        int n = 16;
        RecurrentNet net = new RecurrentNet(new LstmCell(M, n, rng));
        long exact = new LstmRtrl(net, 1, 1).stateBytes();
        long snap = new Snap1(net, 1).stateBytes();
        long uoro = new Uoro(net, 1, 3).stateBytes();
        long p = net.cellParameterCount();
        // Exact: n × p per state part (h and c); SnAp-1: each unit's own parameters; UORO: about p.
        assertTrue(exact >= 2 * 8 * n * p, "exact " + exact);
        assertTrue(snap < exact / 4, "snap-1 " + snap + " vs exact " + exact);
        assertTrue(uoro < exact / 4, "uoro " + uoro + " vs exact " + exact);
        assertTrue(uoro >= 8 * p, "uoro " + uoro + " keeps θ̃ of p = " + p);
    }
}
