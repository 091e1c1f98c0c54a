package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.elementwise.Nets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The truncated trace rules against Williams and Peng's TBPTT(k1, k2) on the tape, an independent oracle:
 * with an update every step (k1 = 1), the loss of step t is backpropagated k2 steps. So spatial-only
 * ({@link TraceRule#NONE}) is TBPTT(1, 1), for one layer and for a stack (one step of a stack is one step
 * of every layer: backpropagating it is the spatial pass); one-step traces are TBPTT(1, 2) for one layer
 * (on a stack TBPTT(1, 2) also keeps the cross-layer paths through step t − 1, which the rule drops).
 */
class TruncatedRulesTest {
    static final long SEED = 1306;
    static final double EXACT = 1e-12;

    private static SequenceGradient rule(RecurrentNet net, TraceRule rule, Tensor[] xs, StepLoss loss) {
        return ForwardLearner.run(new ElementwiseOnline(net, xs[0].dim(0), rule), xs, loss);
    }

    @Test
    void oneLayer() {
        Random rng = new Random(SEED);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(Nets.cell(kind, 2, 3, 3, 0.5, 0.99, rng), 2, rng);
            Tensor[] xs = Nets.inputs(17, 2, 2, rng);
            StepLoss loss = Nets.squaredError(17, 2, 2, rng);
            double none = rule(net, TraceRule.NONE, xs, loss).relativeError(
                    Tbptt.williamsPeng(net, null, xs, loss, 1, 1, null));
            double one = rule(net, TraceRule.ONE_STEP, xs, loss).relativeError(
                    Tbptt.williamsPeng(net, null, xs, loss, 1, 2, null));
            assertTrue(none <= EXACT, kind + ": spatial-only vs TBPTT(1, 1), relative error " + none);
            assertTrue(one <= EXACT, kind + ": one-step vs TBPTT(1, 2), relative error " + one);
        }
    }

    @Test
    void stacks() {
        Random rng = new Random(SEED + 1);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(Nets.stack(kind, 3, 2, 3, 0.5, 0.99, rng), 2, rng);
            Tensor[] xs = Nets.inputs(17, 2, 2, rng);
            StepLoss loss = Nets.squaredError(17, 2, 2, rng);
            double none = rule(net, TraceRule.NONE, xs, loss).relativeError(
                    Tbptt.williamsPeng(net, null, xs, loss, 1, 1, null));
            assertTrue(none <= EXACT, kind + " stack: spatial-only vs TBPTT(1, 1), relative error " + none);
            double one = rule(net, TraceRule.ONE_STEP, xs, loss).relativeError(
                    Tbptt.williamsPeng(net, null, xs, loss, 1, 2, null));
            assertTrue(one > 1e-6, kind + " stack: one-step traces drop TBPTT(1, 2)'s cross-layer paths, error " + one);
        }
    }
}
