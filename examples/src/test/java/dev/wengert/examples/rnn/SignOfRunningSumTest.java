package dev.wengert.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The sign-of-the-running-sum task is learned to zero error by online RTRL, and it generalises to longer sequences. */
class SignOfRunningSumTest {
    @Test
    void signOfRunningSumIsLearnedToZeroErrorByOnlineRtrl() {
        double[] r = SignOfRunningSum.errorRatesAfterTraining(1, 300);
        assertEquals(0.0, r[0], "error rate on sequences of the training length");
        assertEquals(0.0, r[1], "error rate on sequences five times longer");
    }
}
