package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.elementwise.ElstmCell;
import dev.wengert.rnn.elementwise.Nets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Exact online learning of one element-wise layer equals BPTT to 1e-12 (normwise relative, float64) over
 * generated cells, widths, sequence lengths, batches, readouts and memories: moduli of λ (decays of the real
 * RNN) set to {@code 1 − 10^{−k}} for k up to 6, to 0, or drawn on the ring; the eLSTM with forget biases up
 * to 10 (f ≈ 1 − 5·10⁻⁵).
 */
class ElementwiseRtrlProperties {
    static final double EXACT = 1e-12;

    @Property(tries = 150, seed = "1302")
    void onlineEqualsBptt(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int kindIndex,
            @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 40) int T,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll boolean readout,
            @ForAll @IntRange(min = 0, max = 7) int memory) {
        Random rng = new Random(seed);
        Nets.Kind kind = Nets.Kind.values()[kindIndex];
        Cell cell = kind == Nets.Kind.ELSTM ? new ElstmCell(m, n, 1.5 * memory, rng)
                : Nets.cell(kind, m, n, h, 0, 1, rng);
        if (kind != Nets.Kind.ELSTM && memory > 0) {
            // memory 1..6: |λ| = 1 − 10^{−memory} for every unit; 7: λ = 0 (ν = 7 underflows exp(−e^ν) to 0)
            double[] nu = cell.parameters().get(0).mutableData();
            for (int j = 0; j < n; j++) {
                nu[j] = memory == 7 ? 7.0 : Math.log(-Math.log(1 - Math.pow(10, -memory)));
            }
        }
        RecurrentNet net = readout ? RecurrentNet.withReadout(cell, 2, rng) : new RecurrentNet(cell);
        int outputs = readout ? 2 : cell.hiddenSize();
        Tensor[] xs = Nets.inputs(T, batch, m, rng);
        StepLoss loss = Nets.squaredError(T, batch, outputs, rng);
        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        SequenceGradient online = ForwardLearner.run(ElementwiseOnline.rtrl(net, batch), xs, loss);
        double err = online.relativeError(bptt);
        assertTrue(err <= EXACT, cell.name() + " memory " + memory + ", T " + T + ": relative error " + err);
    }
}
