package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The copy task's generator, exactly, and a few deterministic training steps of each learner (tiny sizes). */
class CopyTaskTest {
    @Test
    void sequencesHaveThePatternThenBlanksThenTheMarkerWithThePatternAsLabels() {
        int S = 4;
        int D = 7;
        int K = 5;
        int batch = 3;
        CopyTask.Batch d = CopyTask.data(S, D, K, batch, new Random(11));
        assertEquals(2 * S + D, d.xs().length);
        assertEquals(CopyTask.length(S, D), d.xs().length);
        for (int t = 0; t < d.xs().length; t++) {
            Tensor x = d.xs()[t];
            assertArrayEquals(new int[] {batch, K + 1}, x.shape(), "step " + t);
            double[] v = x.data();
            for (int b = 0; b < batch; b++) {
                double[] expected = new double[K + 1];
                if (t < S) expected[d.patterns()[b][t]] = 1; // the pattern, one-hot
                else if (t >= S + D) expected[K] = 1; // the recall marker
                double[] row = java.util.Arrays.copyOfRange(v, b * (K + 1), (b + 1) * (K + 1));
                assertArrayEquals(expected, row, 0.0, "step " + t + ", sequence " + b);
            }
            if (t < S + D) {
                assertNull(d.labels()[t], "no loss at step " + t);
            } else {
                for (int b = 0; b < batch; b++) assertEquals(d.patterns()[b][t - S - D], d.labels()[t][b]);
            }
        }
        for (int[] p : d.patterns()) for (int s : p) assertTrue(s >= 0 && s < K);
        // Same seed, same sequences.
        CopyTask.Batch again = CopyTask.data(S, D, K, batch, new Random(11));
        for (int b = 0; b < batch; b++) assertArrayEquals(d.patterns()[b], again.patterns()[b]);
    }

    @Test
    void aFewTrainingStepsRunAndAreDeterministicForASeed() {
        String[] args = {"S=3", "D=5", "K=4", "n=6", "H=5", "batch=4", "sequences=8", "every=4", "test=8",
            "rnnHidden=5", "rtrlHidden=4", "tbpttK=3"};
        CopyTask.Config c = CopyTask.Config.of(new Args(args));
        CopyTask.Batch test = CopyTask.data(c.S(), c.D(), c.K(), c.test(), new Random(5));
        for (String learner : new String[] {"lru", "tbptt", "bptt", "rtrl", "snap1", "uoro"}) {
            CopyTask.Curve a = CopyTask.train(learner, c, test, false);
            CopyTask.Curve b = CopyTask.train(learner, c, test, false);
            assertArrayEquals(new double[] {0, 4, 8}, a.sequences(), learner);
            assertArrayEquals(a.recall(), b.recall(), 0.0, learner);
            assertArrayEquals(a.loss(), b.loss(), 0.0, learner);
            for (int i = 1; i < a.loss().length; i++) assertTrue(Double.isFinite(a.loss()[i]), learner);
        }
        // A two-layer stack runs Zucchet et al.'s rule, also deterministically.
        CopyTask.Config two = CopyTask.Config.of(new Args(concat(args, "layers=2")));
        assertArrayEquals(CopyTask.train("lru", two, test, false).loss(), CopyTask.train("lru", two, test, false).loss(),
                0.0);
        // Updating once per sequence runs too.
        CopyTask.Config perSequence = CopyTask.Config.of(new Args(concat(args, "update=sequence")));
        assertArrayEquals(CopyTask.train("lru", perSequence, test, false).recall(),
                CopyTask.train("lru", perSequence, test, false).recall(), 0.0);
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
