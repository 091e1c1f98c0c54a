package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.elementwise.Nets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exact online learning of one element-wise layer: its gradient against BPTT (the tape) and against
 * finite differences, the gradient of every single step against BPTT of that step's loss, the memory
 * that does not grow with T, and bad input.
 */
class ElementwiseRtrlTest {
    static final long SEED = 1302;
    static final double EXACT = 1e-12;

    private static RecurrentNet net(Nets.Kind kind, int m, int n, boolean readout, Random rng) {
        Cell cell = Nets.cell(kind, m, n, 3, 0.5, 0.99, rng);
        return readout ? RecurrentNet.withReadout(cell, 2, rng) : new RecurrentNet(cell);
    }

    @Test
    void equalsBpttForEveryCell() {
        Random rng = new Random(SEED);
        for (Nets.Kind kind : Nets.Kind.values()) {
            for (boolean readout : new boolean[] {false, true}) {
                RecurrentNet net = net(kind, 3, 4, readout, rng);
                int outputs = readout ? 2 : Nets.outputs(kind, 4, 3);
                Tensor[] xs = Nets.inputs(25, 3, 3, rng);
                StepLoss loss = Nets.squaredError(25, 3, outputs, rng);
                SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
                SequenceGradient online = ForwardLearner.run(ElementwiseOnline.rtrl(net, 3), xs, loss);
                double err = online.relativeError(bptt);
                assertTrue(err <= EXACT, kind + " (readout " + readout + "): relative error " + err);
                assertEquals(bptt.loss(), online.loss(), 1e-12 * Math.abs(bptt.loss()));
            }
        }
    }

    @Test
    void matchesFiniteDifferences() {
        Random rng = new Random(SEED + 1);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = net(kind, 2, 3, true, rng);
            Tensor[] xs = Nets.inputs(8, 2, 2, rng);
            StepLoss loss = Nets.squaredError(8, 2, 2, rng);
            double[] g = ForwardLearner.run(ElementwiseOnline.rtrl(net, 2), xs, loss).flat();
            double err = Nets.finiteDifferenceError(net, xs, loss, g, 1e-5);
            assertTrue(err < 1e-6, kind + ": online vs finite differences, error " + err);
        }
    }

    @Test
    void everyStepsGradientIsAvailableAtThatStep() {
        Random rng = new Random(SEED + 2);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = net(kind, 2, 3, true, rng);
            int T = 12;
            Tensor[] xs = Nets.inputs(T, 2, 2, rng);
            Tensor[] targets = Nets.inputs(T, 2, 2, rng);
            StepLoss loss = StepLoss.squaredError(targets);
            ElementwiseOnline learner = ElementwiseOnline.rtrl(net, 2);
            learner.reset(null);
            for (int t = 0; t < T; t++) {
                learner.step(t, xs[t], loss);
                int only = t;
                SequenceGradient ofStep = Bptt.gradient(net, null, java.util.Arrays.copyOf(xs, t + 1),
                        (s, y) -> s == only ? loss.at(s, y) : null);
                double[] step = SequenceGradient.flatten(learner.stepGradient());
                double err = SequenceGradient.relativeError(step, ofStep.flat());
                assertTrue(err <= EXACT, kind + ": the gradient of ℓ_" + t + " at step " + t + ", error " + err);
            }
        }
    }

    @Test
    void memoryIsFlatInTAndLinearInTheParameters() {
        Random rng = new Random(SEED + 3);
        RecurrentNet net = net(Nets.Kind.LRU, 5, 7, false, rng);
        ElementwiseOnline learner = ElementwiseOnline.rtrl(net, 2);
        long before = learner.stateBytes();
        StepLoss loss = StepLoss.sumOfSquares();
        for (Tensor x : Nets.inputs(200, 2, 5, rng)) learner.step(0, x, loss);
        assertEquals(before, learner.stateBytes(), "the traces do not grow with T");
        // Three complex traces: e^λ and e^γ per unit, E^B per unit and input: 2(Nm + 2N) doubles per sequence.
        assertEquals(8L * 2 * 2 * (7 * 5 + 2 * 7), before);
    }

    @Test
    void nothingHandedOutAliasesTheLearnerAndInputsAreNotWritten() {
        Random rng = new Random(SEED + 4);
        RecurrentNet net = net(Nets.Kind.ELSTM, 2, 3, true, rng);
        Tensor[] xs = Nets.inputs(5, 1, 2, rng);
        double[][] copies = new double[xs.length][];
        for (int t = 0; t < xs.length; t++) copies[t] = xs[t].toArray();
        ElementwiseOnline learner = ElementwiseOnline.rtrl(net, 1);
        StepLoss loss = Nets.squaredError(5, 1, 2, rng);
        SequenceGradient g = ForwardLearner.run(learner, xs, loss);
        for (int t = 0; t < xs.length; t++) assertArrayEquals(copies[t], xs[t].data(), "x_" + t + " unchanged");
        Tensor[] s1 = learner.state();
        Tensor[] s2 = learner.state();
        assertNotSame(s1, s2);
        List<Tensor> grads = g.gradients();
        for (int i = 0; i < grads.size(); i++) {
            for (Tensor p : net.parameters()) assertNotSame(p.data(), grads.get(i).data());
        }
        SequenceGradient again = ForwardLearner.run(ElementwiseOnline.rtrl(net, 1), xs, loss);
        assertArrayEquals(g.flat(), again.flat(), "same inputs, same bits");
    }

    @Test
    void learnsOnlineWithAnUpdateAfterEveryStep() {
        // A one-layer LRU learns to output its input of 3 steps ago, updated after every step.
        Random rng = new Random(SEED + 5);
        RecurrentNet net = RecurrentNet.withReadout(dev.wengert.rnn.elementwise.LruCell.ring(1, 16, 8, 0.5, 0.95,
                Math.PI, rng), 1, rng);
        int T = 3000;
        Tensor[] xs = Nets.inputs(T, 1, 1, rng);
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) targets[t] = t >= 3 ? xs[t - 3].copy() : null;
        ElementwiseOnline learner = ElementwiseOnline.rtrl(net, 1);
        double[] losses = OnlineLearning.run(learner, new dev.wengert.nn.Adam(net.parameters(), 0.01), xs, 0, T,
                StepLoss.squaredError(targets));
        double first = 0;
        double last = 0;
        for (int t = 3; t < 303; t++) first += losses[t];
        for (int t = T - 300; t < T; t++) last += losses[t];
        assertTrue(last < 0.2 * first, "online loss over the first 300 steps " + first + ", last 300 " + last);
    }

    @Test
    void aStackLearnsOnlineByTheLayerwiseRule() {
        // Two LRUs (the lower one's memory is what the task needs), the target the input of 2 steps ago.
        Random rng = new Random(SEED + 7);
        RecurrentNet net = RecurrentNet.withReadout(new StackedCell(dev.wengert.rnn.elementwise.LruCell.ring(1, 8, 8,
                0.5, 0.95, Math.PI, rng), dev.wengert.rnn.elementwise.LruCell.ring(8, 8, 8, 0.0, 0.5, Math.PI, rng)), 1,
                rng);
        int T = 3000;
        Tensor[] xs = Nets.inputs(T, 1, 1, rng);
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) targets[t] = t >= 2 ? xs[t - 2].copy() : null;
        double[] losses = OnlineLearning.run(ElementwiseOnline.zucchet(net, 1), new dev.wengert.nn.Adam(
                net.parameters(), 0.005), xs, 0, T, StepLoss.squaredError(targets));
        double first = 0;
        double last = 0;
        for (int t = 2; t < 302; t++) first += losses[t];
        for (int t = T - 300; t < T; t++) last += losses[t];
        assertTrue(last < 0.3 * first, "online loss over the first 300 steps " + first + ", last 300 " + last);
    }

    @Test
    void rejectsWhatItCannotDo() {
        Random rng = new Random(SEED + 6);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseOnline.rtrl(new RecurrentNet(new RnnCell(2, 3, rng)), 1));
        assertTrue(e.getMessage().contains("RnnCell") && e.getMessage().contains("element-wise"), e.getMessage());
        RecurrentNet stack = new RecurrentNet(Nets.stack(Nets.Kind.LRU, 2, 2, 3, 0.5, 0.9, rng));
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseOnline.rtrl(stack, 1));
        assertTrue(e.getMessage().contains("stack") && e.getMessage().contains("zucchet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ElementwiseOnline(new RecurrentNet(
                new StackedCell(Nets.cell(Nets.Kind.LRU, 2, 3, 3, 0, 1, rng), new RnnCell(3, 2, rng))), 1,
                TraceRule.EXACT));
        assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseOnline.zucchet(stack, 0));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        var npe = assertThrows(NullPointerException.class, () -> new ElementwiseOnline(stack, 1, null));
        assertTrue(npe.getMessage().contains("rule"), npe.getMessage());
        ElementwiseOnline ok = ElementwiseOnline.zucchet(stack, 2);
        e = assertThrows(IllegalArgumentException.class, () -> ok.step(0, Tensor.zeros(1, 2), StepLoss.sumOfSquares()));
        assertTrue(e.getMessage().contains("[1,2]") && e.getMessage().contains("[2,2]"), e.getMessage());
    }
}
