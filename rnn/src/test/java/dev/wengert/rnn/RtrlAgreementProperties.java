package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * BPTT (reverse mode) and exact RTRL (forward mode: the generic batched-JVP form and the fast kernels)
 * compute the same gradient, for random cells, sizes, sequence lengths, batches, weight scales and
 * losses, to a normwise relative error of 1e-12 in float64.
 */
class RtrlAgreementProperties {
    static final double TOLERANCE = 1e-12;

    @Property(tries = 200, seed = "20240607")
    void bpttAndExactRtrlAgree(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int kindIndex,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 5) int m,
            @ForAll @IntRange(min = 1, max = 20) int T, @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll boolean readout, @ForAll @IntRange(min = 0, max = 2) int scaleIndex) {
        Random rng = new Random(seed);
        Fixtures.Kind kind = Fixtures.Kind.values()[kindIndex];
        Cell cell = Fixtures.cell(kind, m, n, rng);
        RecurrentNet net = readout ? RecurrentNet.withReadout(cell, 3, rng) : new RecurrentNet(cell);
        Fixtures.perturb(net, new double[] {0.5, 1.0, 2.0}[scaleIndex], rng);
        Tensor[] xs = Fixtures.inputs(T, batch, m, rng);
        int outputs = readout ? 3 : cell.hiddenSize();
        StepLoss loss = readout && seed % 2 == 0 ? Fixtures.crossEntropy(T, batch, outputs, rng)
                : Fixtures.squaredError(T, batch, outputs, rng);

        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        SequenceGradient generic = ForwardLearner.run(new GenericRtrl(net, batch), xs, loss);
        assertEquals(bptt.loss(), generic.loss(), 1e-12 * Math.max(1, Math.abs(bptt.loss())));
        double errGeneric = generic.relativeError(bptt);
        assertTrue(errGeneric <= TOLERANCE, kind + ": generic RTRL vs BPTT, relative error " + errGeneric);
        if (kind == Fixtures.Kind.RNN || kind == Fixtures.Kind.LSTM) {
            for (int threads : new int[] {1, 2}) {
                ForwardLearner fast = kind == Fixtures.Kind.RNN ? new RnnRtrl(net, batch, threads)
                        : new LstmRtrl(net, batch, threads);
                SequenceGradient f = ForwardLearner.run(fast, xs, loss);
                double err = f.relativeError(bptt);
                assertTrue(err <= TOLERANCE, kind + ": fast RTRL (" + threads + " threads) vs BPTT, relative error " + err);
                assertEquals(bptt.loss(), f.loss(), 1e-12 * Math.max(1, Math.abs(bptt.loss())));
            }
        }
    }
}
