package dev.wengert.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.examples.rnn.AddingProblem;
import dev.wengert.examples.rnn.LagTask;
import org.junit.jupiter.api.Test;

/**
 * Small versions of the experiments' claims (the full runs are main classes; see the README): the
 * truncation bias of the lag task and the adding problem.
 */
class ExperimentsSmallTest {
    static final long SEED = 1;
    /** Cross-entropies of the best predictors of the lag task: nothing, lag 3, both lags. */
    static final double NOTHING = 0.6616;
    static final double ONE_LAG = 0.5192;

    @Test
    void lagTaskTruncationBelowTheLagLearnsNothingWhileRtrlLearnsBothLags() {
        int steps = 10000;
        double k2 = LagTask.heldOutCrossEntropy(2, 16, steps, SEED);
        double k5 = LagTask.heldOutCrossEntropy(5, 16, steps, SEED);
        double rtrl = LagTask.heldOutCrossEntropy(0, 16, steps, SEED);
        // TBPTT(2) cannot credit x_{t−3} (that takes a 4-step backward pass): it ends near "nothing".
        assertTrue(k2 > NOTHING - 0.04, "TBPTT(2): " + k2);
        // TBPTT(5) and exact RTRL get well below the one-lag predictor: they use x_{t−8} too.
        assertTrue(k5 < ONE_LAG - 0.03, "TBPTT(5): " + k5);
        assertTrue(rtrl < ONE_LAG - 0.03, "RTRL: " + rtrl);
    }

    @Test
    void addingProblemIsLearnedWellBelowTheBaseline() {
        double mse = AddingProblem.trainedMse(20, 12, 300, SEED);
        assertTrue(mse < 0.167 / 4, "adding problem, T = 20: MSE " + mse + " (baseline 0.167)");
    }
}
