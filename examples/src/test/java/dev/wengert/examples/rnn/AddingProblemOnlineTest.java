package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The adding problem's generator, exactly, and a few deterministic online training steps (tiny sizes). */
class AddingProblemOnlineTest {
    @Test
    void twoMarkersOneInEachHalfAndTheTargetIsTheSumOfTheMarkedValues() {
        int T = 11;
        int batch = 5;
        Tensor[][] d = AddingProblem.data(T, batch, new Random(3));
        assertEquals(T, d[0].length);
        assertArrayEquals(new int[] {batch, 1}, d[1][0].shape());
        for (int b = 0; b < batch; b++) {
            int first = -1;
            int second = -1;
            double sum = 0;
            for (int t = 0; t < T; t++) {
                assertArrayEquals(new int[] {batch, 2}, d[0][t].shape());
                double u = d[0][t].data()[2 * b];
                double marker = d[0][t].data()[2 * b + 1];
                assertTrue(u >= 0 && u < 1, "u in [0, 1)");
                assertTrue(marker == 0 || marker == 1, "the marker is 0 or 1");
                if (marker == 1) {
                    if (first < 0) first = t;
                    else if (second < 0) second = t;
                    else throw new AssertionError("a third marker in sequence " + b);
                    sum += u;
                }
            }
            assertTrue(first >= 0 && first < T / 2, "first marker in the first half: " + first);
            assertTrue(second >= T / 2 && second < T, "second marker in the second half: " + second);
            assertEquals(sum, d[1][0].data()[b], 0.0, "the target is the sum of the marked values");
        }
        // The loss is at the last step only.
        var loss = AddingProblem.lastStep(T, d[1][0]);
        for (int t = 0; t < T - 1; t++) assertEquals(null, loss.at(t, Tensor.zeros(batch, 1)));
    }

    @Test
    void aFewOnlineTrainingStepsRunAndAreDeterministicForASeed() {
        String[] args = {"T=12", "n=5", "H=4", "batch=4", "sequences=12", "every=4", "test=16"};
        AddingProblemOnline.Config c = AddingProblemOnline.Config.of(new Args(args));
        Tensor[][] test = AddingProblem.data(c.T(), c.test(), new Random(9));
        for (String cell : new String[] {"lru", "elstm"}) {
            AddingProblemOnline.Curve a = AddingProblemOnline.train(cell, c, test, false);
            AddingProblemOnline.Curve b = AddingProblemOnline.train(cell, c, test, false);
            assertArrayEquals(new double[] {0, 4, 8, 12}, a.sequences(), cell);
            assertArrayEquals(a.mse(), b.mse(), 0.0, cell);
            assertArrayEquals(a.loss(), b.loss(), 0.0, cell);
            for (double m : a.mse()) assertTrue(Double.isFinite(m), cell);
        }
    }
}
