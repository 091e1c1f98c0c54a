package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.approx.ApproximationQuality;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SnAp-1 is exact when the recurrence is diagonal; UORO is unbiased: its mean converges to the gradient. */
class ApproximationTest {
    static final long SEED = 2718;
    static final double TOLERANCE = 1e-12;

    /** Zeroes the off-diagonal entries of every square recurrent matrix of the cell. */
    private static void diagonalise(Cell cell) {
        for (var e : cell.namedParameters().entrySet()) {
            Tensor w = e.getValue();
            if (w.rank() == 2 && e.getKey().endsWith("h") && w.dim(0) == w.dim(1)) {
                double[] d = w.mutableData();
                int n = w.dim(0);
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) d[i * n + j] = 0;
            }
        }
    }

    @Test
    void snap1EqualsExactRtrlWhenTheRecurrentMatricesAreDiagonal() {
        Random rng = new Random(SEED);
        for (Cell cell : new Cell[] {new RnnCell(3, 5, rng), new LstmCell(3, 4, rng)}) {
            RecurrentNet net = RecurrentNet.withReadout(cell, 2, rng);
            Fixtures.perturb(net, 1.5, rng);
            Tensor[] xs = Fixtures.inputs(12, 2, 3, rng);
            StepLoss loss = Fixtures.squaredError(12, 2, 2, rng);
            // With full matrices SnAp-1 is an approximation...
            SequenceGradient exact = Bptt.gradient(net, null, xs, loss);
            SequenceGradient snap = ForwardLearner.run(new Snap1(net, 2), xs, loss);
            assertTrue(snap.relativeError(exact) > 1e-3, cell.name() + ": SnAp-1 should differ from exact RTRL");
            // ...with diagonal ones it keeps every non-zero entry of the influence matrix.
            diagonalise(cell);
            exact = Bptt.gradient(net, null, xs, loss);
            snap = ForwardLearner.run(new Snap1(net, 2), xs, loss);
            double err = snap.relativeError(exact);
            assertTrue(err <= TOLERANCE, cell.name() + ", diagonal: SnAp-1 vs BPTT relative error " + err);
            assertEquals(1.0, ApproximationQuality.measure(new Snap1(net, 2), xs, loss).cosine(), 1e-12);
        }
    }

    @Test
    void uoroIsUnbiasedItsMeanOverSeedsApproachesTheExactGradient() {
        Random rng = new Random(SEED + 1);
        RecurrentNet net = RecurrentNet.withReadout(new RnnCell(2, 3, rng), 2, rng);
        Fixtures.perturb(net, 1.2, rng);
        int T = 6;
        Tensor[] xs = Fixtures.inputs(T, 1, 2, rng);
        StepLoss loss = Fixtures.squaredError(T, 1, 2, rng);
        SequenceGradient exact = Bptt.gradient(net, null, xs, loss);
        int cell = net.cellTensors();
        double[] g = SequenceGradient.flatten(exact.gradients().subList(0, cell));
        double[] sum = new double[g.length];
        int[] checkpoints = {1, 10, 100, 1000};
        double[] cosines = new double[checkpoints.length];
        double[] errors = new double[checkpoints.length];
        int c = 0;
        for (int k = 1; k <= 1000; k++) {
            SequenceGradient est = ForwardLearner.run(new Uoro(net, 1, k), xs, loss);
            double[] e = SequenceGradient.flatten(est.gradients().subList(0, cell));
            for (int i = 0; i < g.length; i++) sum[i] += e[i];
            if (k == checkpoints[c]) {
                double[] mean = sum.clone();
                for (int i = 0; i < mean.length; i++) mean[i] /= k;
                cosines[c] = SequenceGradient.cosine(mean, g);
                errors[c] = SequenceGradient.relativeError(mean, g);
                c++;
            }
        }
        for (int i = 1; i < checkpoints.length; i++) {
            assertTrue(cosines[i] > cosines[i - 1], "cosine should rise with the number of seeds: "
                    + java.util.Arrays.toString(cosines));
            assertTrue(errors[i] < errors[i - 1], "error should fall: " + java.util.Arrays.toString(errors));
        }
        assertTrue(cosines[3] > 0.98, "mean of 1000 UORO estimates: cosine " + cosines[3]);
        assertTrue(errors[3] < 0.3, "mean of 1000 UORO estimates: relative error " + errors[3]);
    }

    @Test
    void uoroWorksForAnyCellAndExactRtrlHasCosineOne() {
        Random rng = new Random(SEED + 2);
        RecurrentNet net = RecurrentNet.withReadout(Fixtures.cell(Fixtures.Kind.STACKED, 2, 3, rng), 2, rng);
        Tensor[] xs = Fixtures.inputs(5, 2, 2, rng);
        StepLoss loss = Fixtures.squaredError(5, 2, 2, rng);
        ApproximationQuality q = ApproximationQuality.measure(new Uoro(net, 2, 1), xs, loss);
        assertTrue(Double.isFinite(q.cosine()) && q.cosine() > -1 && q.cosine() < 1, q.toString());
        assertEquals(1.0, ApproximationQuality.measure(new GenericRtrl(net, 2), xs, loss).cosine(), 1e-12);
    }

    @Test
    void snap1RefusesCellsItDoesNotImplement() {
        Random rng = new Random(SEED);
        RecurrentNet net = new RecurrentNet(new GruCell(2, 3, rng));
        var e = assertThrows(IllegalArgumentException.class, () -> new Snap1(net, 1));
        assertEquals("Snap1: implemented for RnnCell and LstmCell, got GruCell(2→3)", e.getMessage());
    }
}
