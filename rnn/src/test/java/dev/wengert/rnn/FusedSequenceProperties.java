package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Linear;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import dev.wengert.rnn.bptt.Tbptt;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * BPTT of the vanilla RNN, the LSTM and the GRU through their fused sequence ops against the step-by-step graph of the same cell
 * (the cell wrapped in a one-layer {@link StackedCell}, which the fused path does not recognise, so it records
 * one matmul/add/tanh per step): losses, gradients and final states agree to 1e-12 relative, for full BPTT,
 * both TBPTT forms and checkpointed BPTT, with and without a readout, with steps that have no loss, and with a
 * given initial state; final states are the same bits.
 */
class FusedSequenceProperties {
    private static final double TOL = 1e-12;

    @Property(tries = 40)
    void everyBpttFormEqualsTheStepByStepGraph(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 6) int m,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll boolean readout,
            @ForAll @IntRange(min = 1, max = 7) int k1, @ForAll @IntRange(min = 0, max = 2) int kind) {
        boolean lstm = kind == 1;
        Random rng = new Random(seed);
        Cell cell = lstm ? new LstmCell(m, n, rng) : kind == 2 ? new GruCell(m, n, rng) : new RnnCell(m, n, rng);
        Linear out = readout ? new Linear(n, 3, rng) : null;
        RecurrentNet fused = new RecurrentNet(cell, out);
        RecurrentNet stepwise = new RecurrentNet(new StackedCell(cell), out);
        int outputs = readout ? 3 : n;
        Tensor[] xs = Fixtures.inputs(steps, batch, m, rng);
        Tensor[] targets = new Tensor[steps];
        for (int t = 0; t < steps; t++) targets[t] = rng.nextInt(3) == 0 ? null : Tensor.randn(rng, batch, outputs);
        StepLoss loss = (t, y) -> targets[t] == null ? null
                : dev.wengert.ops.Ops.sum(dev.wengert.ops.Ops.square(dev.wengert.ops.Ops.sub(y, targets[t])));
        Tensor[] s0 = rng.nextBoolean() ? null
                : lstm ? new Tensor[] {Tensor.randn(rng, batch, n), Tensor.randn(rng, batch, n)}
                : new Tensor[] {Tensor.randn(rng, batch, n)};

        same("bptt", Bptt.gradient(stepwise, s0, xs, loss), Bptt.gradient(fused, s0, xs, loss));
        same("tbptt(" + k1 + ")", Tbptt.chunked(stepwise, s0, xs, loss, k1, null),
                Tbptt.chunked(fused, s0, xs, loss, k1, null));
        same("tbptt(" + k1 + ", " + (k1 + 2) + ")", Tbptt.williamsPeng(stepwise, s0, xs, loss, k1, k1 + 2, null),
                Tbptt.williamsPeng(fused, s0, xs, loss, k1, k1 + 2, null));
        same("checkpointed", CheckpointedBptt.gradient(stepwise, s0, xs, loss, k1).gradient(),
                CheckpointedBptt.gradient(fused, s0, xs, loss, k1).gradient());
    }

    private static void same(String what, SequenceGradient expected, SequenceGradient actual) {
        assertEquals(expected.loss(), actual.loss(), TOL * Math.max(1, Math.abs(expected.loss())), what + ": loss");
        List<Tensor> e = expected.gradients();
        List<Tensor> a = actual.gradients();
        assertEquals(e.size(), a.size(), what + ": number of gradients");
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i).shape(), a.get(i).shape(), what + ": shape of gradient " + i);
            close(what + ": gradient " + i, e.get(i).data(), a.get(i).data());
        }
        assertEquals(expected.finalState().length, actual.finalState().length, what + ": state parts");
        for (int p = 0; p < expected.finalState().length; p++) {
            assertArrayEquals(expected.finalState()[p].data(), actual.finalState()[p].data(),
                    what + ": final state part " + p + " (the same bits)");
        }
    }

    private static void close(String what, double[] e, double[] a) {
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]);
            assertTrue(err <= TOL * Math.max(1, scale), what + " at " + i + ": " + a[i] + " vs step by step " + e[i]);
        }
    }
}
