package dev.wengert.rnn.rtrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.CustomCells;
import dev.wengert.rnn.Fixtures;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Generic RTRL's structured form (Kronecker-structured directions for parameters that enter through products
 * and elementwise terms, dense directions for the rest) and its plain form (for steps that mix the sequences
 * of a batch) against BPTT, over cells, shapes, sequence lengths and batches: the same gradient to 1e-12
 * (normwise relative), and the form each cell gets is the one expected.
 */
class StructuredRtrlProperties {
    static final double TOLERANCE = 1e-12;

    enum Kind { RNN, LSTM, GRU, STACKED, KRONECKER, DENSE, MIXING }

    static Cell cell(Kind kind, int m, int n, Random rng) {
        switch (kind) {
            case RNN: return Fixtures.cell(Fixtures.Kind.RNN, m, n, rng);
            case LSTM: return Fixtures.cell(Fixtures.Kind.LSTM, m, n, rng);
            case GRU: return Fixtures.cell(Fixtures.Kind.GRU, m, n, rng);
            case STACKED: return Fixtures.cell(Fixtures.Kind.STACKED, m, n, rng);
            case KRONECKER: return new CustomCells.Kronecker(m, n, rng);
            case DENSE: return new CustomCells.Dense(m, n, rng);
            default: return new CustomCells.Mixing(m, n, rng);
        }
    }

    @Property(tries = 150, seed = "20261202")
    void genericRtrlEqualsBptt(@ForAll long seed, @ForAll Kind kind, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 16) int T,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll boolean readout) {
        Random rng = new Random(seed);
        Cell c = cell(kind, m, n, rng);
        RecurrentNet net = readout ? RecurrentNet.withReadout(c, 2, rng) : new RecurrentNet(c);
        Fixtures.perturb(net, 1.0, rng);
        Tensor[] xs = Fixtures.inputs(T, batch, m, rng);
        int outputs = readout ? 2 : c.hiddenSize();
        StepLoss loss = Fixtures.squaredError(T, batch, outputs, rng);

        GenericRtrl generic = new GenericRtrl(net, batch);
        boolean expectStructured = kind != Kind.MIXING || batch == 1;
        assertEquals(expectStructured, generic.structured(), kind + ", batch " + batch);
        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        SequenceGradient g = ForwardLearner.run(generic, xs, loss);
        assertEquals(expectStructured ? T : 0, generic.structuredSteps, kind + ": structured steps");
        assertEquals(expectStructured ? 0 : T, generic.plainSteps, kind + ": plain steps");
        assertEquals(bptt.loss(), g.loss(), 1e-12 * Math.max(1, Math.abs(bptt.loss())));
        double err = g.relativeError(bptt);
        assertTrue(err <= TOLERANCE, kind + " n=" + n + " m=" + m + " T=" + T + " batch=" + batch
                + ": generic RTRL vs BPTT, relative error " + err);
    }

    /** The influence matrices themselves agree with the fast kernels', sequence by sequence. */
    @Property(tries = 40, seed = "20261203")
    void influenceMatchesTheFastKernels(@ForAll long seed, @ForAll boolean lstm,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 8) int T, @ForAll @IntRange(min = 1, max = 3) int batch) {
        Random rng = new Random(seed);
        Cell c = lstm ? new LstmCell(m, n, rng) : new RnnCell(m, n, rng);
        RecurrentNet net = new RecurrentNet(c);
        Fixtures.perturb(net, 1.0, rng);
        Tensor[] xs = Fixtures.inputs(T, batch, m, rng);
        StepLoss loss = Fixtures.squaredError(T, batch, n, rng);
        GenericRtrl generic = new GenericRtrl(net, batch);
        ForwardLearner fast = lstm ? new LstmRtrl(net, batch, 1) : new RnnRtrl(net, batch, 1);
        ForwardLearner.run(generic, xs, loss);
        ForwardLearner.run(fast, xs, loss);
        int p = (int) net.cellParameterCount();
        for (int part = 0; part < c.stateParts(); part++) {
            double[] gi = generic.influence(part).data(); // [p, batch, n]
            for (int b = 0; b < batch; b++) {
                double[] fi = (lstm ? (part == 0 ? ((LstmRtrl) fast).hInfluence(b) : ((LstmRtrl) fast).cInfluence(b))
                        : ((RnnRtrl) fast).influence(b)).data(); // [n, p]
                double worst = 0;
                double scale = 0;
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < p; j++) {
                        double a = gi[(j * batch + b) * n + k];
                        worst = Math.max(worst, Math.abs(a - fi[k * p + j]));
                        scale = Math.max(scale, Math.abs(fi[k * p + j]));
                    }
                }
                assertTrue(worst <= 1e-12 * Math.max(1, scale), "part " + part + ", sequence " + b + ": " + worst);
            }
        }
    }
}
