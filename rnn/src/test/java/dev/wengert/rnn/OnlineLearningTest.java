package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Sgd;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Online learning: an update after every step, the sensitivities carried on (stale). The fast and the
 * generic RTRL follow the same stale recursion, so their parameter trajectories agree; the first update
 * is plain gradient descent on ℓ_0.
 */
class OnlineLearningTest {
    static final long SEED = 8;

    private static double[] params(RecurrentNet net) {
        return SequenceGradient.flatten(net.parameters());
    }

    @Test
    void fastAndGenericRtrlFollowTheSameOnlineTrajectory() {
        for (boolean lstm : new boolean[] {false, true}) {
            Random rng = new Random(SEED);
            Cell c1 = lstm ? new LstmCell(2, 3, rng) : new RnnCell(2, 3, rng);
            RecurrentNet a = RecurrentNet.withReadout(c1, 2, rng);
            RecurrentNet b = RecurrentNet.withReadout(lstm ? new LstmCell(2, 3, rng) : new RnnCell(2, 3, rng), 2, rng);
            b.load(a.state());
            int T = 12;
            Tensor[] xs = Fixtures.inputs(T, 2, 2, rng);
            StepLoss loss = Fixtures.crossEntropy(T, 2, 2, rng);
            ForwardLearner fast = lstm ? new LstmRtrl(a, 2) : new RnnRtrl(a, 2);
            double[] la = OnlineLearning.run(fast, new Sgd(a.parameters(), 0.3), xs, 0, T, loss);
            double[] lb = OnlineLearning.run(new GenericRtrl(b, 2), new Sgd(b.parameters(), 0.3), xs, 0, T, loss);
            assertArrayEquals(la, lb, 1e-12);
            assertTrue(SequenceGradient.relativeError(params(a), params(b)) <= 1e-12);
        }
    }

    @Test
    void theFirstUpdateIsGradientDescentOnTheFirstLossAndLaterOnesUseStaleSensitivities() {
        Random rng = new Random(SEED + 1);
        RecurrentNet net = RecurrentNet.withReadout(new RnnCell(2, 3, rng), 2, rng);
        RecurrentNet frozen = RecurrentNet.withReadout(new RnnCell(2, 3, rng), 2, rng);
        frozen.load(net.state());
        int T = 6;
        Tensor[] xs = Fixtures.inputs(T, 1, 2, rng);
        StepLoss loss = Fixtures.squaredError(T, 1, 2, rng);
        double lr = 0.1;
        double[] before = params(net);
        StepLoss first = (t, y) -> t == 0 ? loss.at(t, y) : null;
        double[] g0 = Bptt.gradient(net, null, Arrays.copyOf(xs, 1), first).flat();
        ForwardLearner learner = new RnnRtrl(net, 1);
        OnlineLearning.run(learner, new Sgd(net.parameters(), lr), xs, 0, 1, loss);
        double[] after = params(net);
        for (int i = 0; i < before.length; i++) assertEquals(before[i] - lr * g0[i], after[i], 1e-15);
        // Carry on: the influence matrix was built under the old parameters, so the online gradient of the
        // remaining steps differs from the exact gradient at any single parameter value.
        OnlineLearning.run(learner, new Sgd(net.parameters(), lr), xs, 1, T, loss);
        SequenceGradient exactAtStart = Bptt.gradient(frozen, null, xs, loss);
        assertTrue(SequenceGradient.relativeError(params(net), params(frozen)) > 1e-3);
        assertTrue(exactAtStart.loss() > 0);
    }

    @Test
    void optimiserAndNetworkMustMatch() {
        Random rng = new Random(SEED);
        RecurrentNet net = new RecurrentNet(new RnnCell(2, 3, rng));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnlineLearning.run(new RnnRtrl(net, 1), new Sgd(List.of(net.parameters().get(0)), 0.1),
                        Fixtures.inputs(2, 1, 2, rng), 0, 2, StepLoss.sumOfSquares()));
        assertEquals("online: the optimiser updates 1 tensors but the network has 3; build it over net.parameters()",
                e.getMessage());
    }
}
