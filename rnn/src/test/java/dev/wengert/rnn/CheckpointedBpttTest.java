package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checkpointed BPTT gives BPTT's gradient while keeping about 2√T states alive instead of T. */
class CheckpointedBpttTest {
    static final long SEED = 1618;
    static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @EnumSource(Fixtures.Kind.class)
    void equalsFullBptt(Fixtures.Kind kind) {
        Random rng = new Random(SEED);
        RecurrentNet net = RecurrentNet.withReadout(Fixtures.cell(kind, 3, 4, rng), 2, rng);
        Fixtures.perturb(net, 1.3, rng);
        for (int T : new int[] {1, 7, 30}) {
            Tensor[] xs = Fixtures.inputs(T, 2, 3, rng);
            StepLoss loss = Fixtures.squaredError(T, 2, 2, rng);
            SequenceGradient full = Bptt.gradient(net, null, xs, loss);
            for (int segment : new int[] {1, 4, T, (int) Math.ceil(Math.sqrt(T))}) {
                CheckpointedBptt.Result r = CheckpointedBptt.gradient(net, null, xs, loss, segment);
                double err = r.gradient().relativeError(full);
                assertTrue(err <= TOLERANCE, kind + ", T = " + T + ", segment " + segment + ": relative error " + err);
                assertEquals(full.loss(), r.gradient().loss(), 1e-12 * Math.max(1, Math.abs(full.loss())));
                assertArrayEquals(full.finalState()[0].data(), r.gradient().finalState()[0].data());
            }
        }
    }

    @Test
    void peakRetainedStateGrowsLikeTheSquareRootOfT() {
        Random rng = new Random(SEED + 1);
        RecurrentNet net = new RecurrentNet(new RnnCell(2, 3, rng));
        int[] lengths = {16, 64, 256, 1024};
        double[] peak = new double[lengths.length];
        for (int k = 0; k < lengths.length; k++) {
            int T = lengths[k];
            Tensor[] xs = Fixtures.inputs(T, 1, 2, rng);
            CheckpointedBptt.Result r = CheckpointedBptt.gradient(net, null, xs, StepLoss.sumOfSquares());
            peak[k] = r.peakRetainedStates();
            double ratio = peak[k] / Math.sqrt(T);
            assertTrue(ratio >= 1.0 && ratio <= 2.0 + 2.0 / Math.sqrt(T), "T = " + T + ": peak " + peak[k] + " states");
            // The tape holds one segment's entries at a time; full BPTT's holds all T steps'.
            int fullTape = fullBpttTapeEntries(net, xs);
            assertTrue(r.peakTapeEntries() * (double) T <= fullTape * (double) r.segment() * 1.01,
                    "T = " + T + ": tape peak " + r.peakTapeEntries() + " vs full " + fullTape);
        }
        // Slope of log(peak) against log(T): 1/2.
        double slope = Math.log(peak[3] / peak[0]) / Math.log((double) lengths[3] / lengths[0]);
        assertEquals(0.5, slope, 0.05, "log-log slope of the peak retained states");
    }

    private static int fullBpttTapeEntries(RecurrentNet net, Tensor[] xs) {
        Tensor[] s = net.initialState(1);
        try (Tape tape = Tape.open()) {
            Tensor total = null;
            for (int t = 0; t < xs.length; t++) {
                s = net.step(s, xs[t]);
                Tensor l = StepLoss.sumOfSquares().at(t, net.output(s[0]));
                total = total == null ? l : dev.wengert.ops.Ops.add(total, l);
            }
            return tape.size();
        }
    }
}
