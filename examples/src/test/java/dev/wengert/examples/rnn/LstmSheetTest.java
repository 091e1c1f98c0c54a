package dev.wengert.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wengert.examples.rnn.LstmSheet;
import org.junit.jupiter.api.Test;

/** Sheet 004, question 2: the h_t table of the scalar LSTM, rounded and exact, and the negated cell. */
class LstmSheetTest {
    static final double TANH1 = Math.tanh(1);
    /** Exact in float64: σ(±100) and tanh(±50) round to 0 or ±1, so these values come out exactly. */
    static final double EXACT = 0.0;
    /** h_3 of input 2: tanh(tanh(50 − 100·tanh(1)/2)) ≈ tanh(1 − 1e-10), not exactly tanh(1). */
    static final double NEAR = 1e-9;

    @Test
    void roundedTableAsTheSheetAsks() {
        assertArrayEquals(new double[] {0, 0, 1, -1, 1, 0}, LstmSheet.run(LstmSheet.sheetCell(), LstmSheet.INPUT_1, true));
        assertArrayEquals(new double[] {1, -1, 0, 1, -1}, LstmSheet.run(LstmSheet.sheetCell(), LstmSheet.INPUT_2, true));
    }

    @Test
    void unroundedTable() {
        assertArrayEquals(new double[] {0, 0, TANH1, -TANH1, TANH1, -TANH1 / 2},
                LstmSheet.run(LstmSheet.sheetCell(), LstmSheet.INPUT_1, false), EXACT);
        double[] h2 = LstmSheet.run(LstmSheet.sheetCell(), LstmSheet.INPUT_2, false);
        assertArrayEquals(new double[] {TANH1, -TANH1, TANH1 / 2, TANH1, -TANH1}, h2, NEAR);
        assertEquals(TANH1, h2[0], EXACT);
        assertEquals(-TANH1, h2[1], EXACT);
        assertEquals(TANH1 / 2, h2[2], EXACT);
        // c_3 = tanh(50 − 50·tanh(1)) = tanh(11.92...) is 1 − 9e-11, so h_3 falls just short of tanh(1).
        double c3 = Math.tanh(50 - 100 * TANH1 / 2);
        assertEquals(Math.tanh(c3), h2[3], 1e-16);
        assertEquals(true, h2[3] < TANH1);
    }

    @Test
    void negatedCellNegatesEveryHiddenState() {
        for (double[] xs : new double[][] {LstmSheet.INPUT_1, LstmSheet.INPUT_2}) {
            double[] h = LstmSheet.run(LstmSheet.sheetCell(), xs, false);
            double[] neg = LstmSheet.run(LstmSheet.negatedCell(), xs, false);
            for (int t = 0; t < h.length; t++) assertEquals(-h[t], neg[t], EXACT, "t = " + t);
            double[] hr = LstmSheet.run(LstmSheet.sheetCell(), xs, true);
            double[] negr = LstmSheet.run(LstmSheet.negatedCell(), xs, true);
            for (int t = 0; t < h.length; t++) assertEquals(-hr[t], negr[t], EXACT, "rounded, t = " + t);
        }
    }
}
