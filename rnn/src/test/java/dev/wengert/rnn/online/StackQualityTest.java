package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.elementwise.Nets;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-layer quality report, and inference in the online learner's arithmetic against the cell's ops. */
class StackQualityTest {
    static final long SEED = 1304;

    @Test
    void exactLearnersScoreOneAndTheRuleIsExactAtTheTop() {
        Random rng = new Random(SEED);
        StackedCell stack = Nets.stack(Nets.Kind.LRU, 3, 2, 3, 0.8, 0.99, rng);
        RecurrentNet net = RecurrentNet.withReadout(stack, 2, rng);
        List<Tensor[]> xs = List.of(Nets.inputs(15, 1, 2, rng), Nets.inputs(15, 1, 2, rng));
        List<StepLoss> losses = List.of(Nets.squaredError(15, 1, 2, rng), Nets.squaredError(15, 1, 2, rng));
        StackQuality exact = StackQuality.measure(net, b -> Rtrl.generic(net, b), xs, losses);
        StackQuality rule = StackQuality.measure(net, b -> ElementwiseOnline.zucchet(net, b), xs, losses);
        assertEquals(3, exact.layers());
        for (int l = 0; l < 3; l++) {
            assertEquals(1.0, exact.cosine(l), 1e-12);
            assertEquals(0.0, exact.relativeNormError(l), 1e-12);
        }
        assertEquals(1.0, rule.cosine(2), 1e-12);
        assertEquals(0.0, rule.relativeNormError(2), 1e-12);
        assertTrue(rule.cosine(0) < 0.999 && rule.relativeNormError(0) > 1e-3, rule.toString());
        assertTrue(rule.cosine() < 1 && rule.relativeNormError() > 0 && rule.relativeError() > 0, rule.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> rule.cosine(3));
        assertTrue(e.getMessage().contains("layer 3 of 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StackQuality.measure(net, b -> Rtrl.generic(net, b), xs, List.of(losses.get(0))));
        assertTrue(e.getMessage().contains("2 sequences and 1 losses"), e.getMessage());
    }

    @Test
    void relativeNormErrorIsTheRatioOfEuclideanNorms() {
        assertEquals(Math.sqrt(2), StackQuality.normError(new double[] {1, 0}, new double[] {0, 1}), 1e-15);
        assertEquals(0.5, StackQuality.normError(new double[] {3, 0}, new double[] {2, 0}), 1e-15);
        assertEquals(0.0, StackQuality.normError(new double[] {0, 0}, new double[] {0, 0}));
    }

    @Test
    void inferenceMatchesTheCellsOps() {
        Random rng = new Random(SEED + 1);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(Nets.stack(kind, 2, 3, 4, 0.5, 0.99, rng), 2, rng);
            ElementwiseInference inference = new ElementwiseInference(net, 2);
            Tensor[] s = net.initialState(2);
            for (Tensor x : Nets.inputs(30, 2, 3, rng)) {
                double[] before = x.toArray();
                Tensor y = inference.step(x);
                assertArrayEquals(before, x.data(), "x is not written");
                Tensor expected;
                try (var p = Tape.pause()) {
                    s = net.step(s, x);
                    expected = net.output(net.cell().output(s));
                }
                assertArrayEquals(expected.data(), y.data(), 1e-12, kind.toString());
            }
        }
        ElementwiseInference inference = new ElementwiseInference(
                RecurrentNet.withReadout(Nets.cell(Nets.Kind.LRU, 3, 2, 2, 0, 1, rng), 1, rng), 1);
        var e = assertThrows(ShapeException.class, () -> inference.step(Tensor.zeros(1, 2)));
        assertTrue(e.getMessage().contains("[1,2]") && e.getMessage().contains("[1,3]"), e.getMessage());
    }
}
