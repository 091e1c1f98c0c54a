package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every gradient algorithm against central finite differences through {@link GradCheck}: the sequence
 * loss becomes a primitive of the parameters whose VJP is the algorithm's gradient, so GradCheck compares
 * that gradient, element by element, with finite differences of the loss. Truncated gradients are the
 * exact gradients of a surrogate, the loss with the chunk-start states frozen at their current values,
 * and are checked against finite differences of that surrogate.
 */
class GradCheckTest {
    static final long SEED = 31;
    static final int T = 7;
    static final int BATCH = 2;

    /**
     * A primitive of the network's parameters: forward = {@code value(net)}; when recorded, it also runs
     * {@code algorithm} and its VJP returns {@code g · gradient}.
     */
    private static Primitive lossOf(RecurrentNet net, Function<RecurrentNet, Double> value,
            Function<RecurrentNet, List<Tensor>> algorithm) {
        List<Tensor> params = net.parameters();
        return new Primitive() {
            @Override
            public String name() {
                return "sequenceLoss";
            }

            @Override
            public int arity() {
                return params.size();
            }

            @Override
            public int[] shape(Tensor... x) {
                return new int[0];
            }

            @Override
            public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
                for (int i = 0; i < x.length; i++) params.get(i).assign(x[i]);
                if (Tape.isRecording()) saved.put(algorithm.apply(net));
                return Tensor.scalar(value.apply(net));
            }

            @Override
            public Tensor[] vjp(Tensor g, Node node) {
                List<Tensor> grads = node.get();
                Tensor[] out = new Tensor[grads.size()];
                for (int i = 0; i < out.length; i++) out[i] = Ops.mul(g, grads.get(i));
                return out;
            }

            @Override
            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
                throw new UnsupportedOperationException("sequenceLoss: reverse mode only");
            }
        };
    }

    /** The loss by a plain forward pass (no tape), from the zero state or from frozen chunk-start states. */
    private static double forwardLoss(RecurrentNet net, Tensor[] xs, StepLoss loss, int chunk, Tensor[][] frozen) {
        double total = 0;
        try (var p = Tape.pause()) {
            Tensor[] s = net.initialState(BATCH);
            for (int t = 0; t < xs.length; t++) {
                if (frozen != null && t % chunk == 0) s = frozen[t / chunk];
                s = net.step(s, xs[t]);
                Tensor l = loss.at(t, net.output(net.cell().output(s)));
                if (l != null) total += l.item();
            }
        }
        return total;
    }

    private static void check(String what, RecurrentNet net, Function<RecurrentNet, Double> value,
            Function<RecurrentNet, List<Tensor>> algorithm) {
        Tensor[] theta = net.parameters().stream().map(Tensor::copy).toArray(Tensor[]::new);
        Primitive op = lossOf(net, value, algorithm);
        GradCheck.Report r = GradCheck.of(x -> op.apply(x), theta).checkVjp();
        for (int i = 0; i < theta.length; i++) net.parameters().get(i).assign(theta[i]);
        assertTrue(r.passed(), what + ": " + r);
        assertTrue(r.checked() > 20, what + ": only " + r.checked() + " elements checked");
    }

    private static RecurrentNet net(Cell cell, Random rng) {
        RecurrentNet net = RecurrentNet.withReadout(cell, 2, rng);
        Fixtures.perturb(net, 1.2, rng);
        return net;
    }

    @Test
    void exactGradientsPassTheFiniteDifferenceCheck() {
        Random rng = new Random(SEED);
        Cell[] cells = {new RnnCell(2, 3, rng), new LstmCell(2, 2, rng), new GruCell(2, 2, rng),
                new StackedCell(new RnnCell(2, 2, rng), new LstmCell(2, 2, rng)), GruCell.torch(2, 2, rng),
                new StackedCell(GruCell.torch(2, 2, rng), GruCell.torch(2, 2, rng))};
        for (Cell cell : cells) {
            RecurrentNet net = net(cell, rng);
            Tensor[] xs = Fixtures.inputs(T, BATCH, 2, rng);
            StepLoss loss = Fixtures.crossEntropy(T, BATCH, 2, rng);
            Function<RecurrentNet, Double> value = n -> forwardLoss(n, xs, loss, 1, null);
            check(cell.name() + " BPTT", net, value, n -> Bptt.gradient(n, null, xs, loss).gradients());
            check(cell.name() + " checkpointed BPTT", net, value,
                    n -> CheckpointedBptt.gradient(n, null, xs, loss, 3).gradient().gradients());
            check(cell.name() + " generic RTRL", net, value,
                    n -> ForwardLearner.run(new GenericRtrl(n, BATCH), xs, loss).gradients());
            if (cell instanceof RnnCell) {
                check(cell.name() + " fast RTRL", net, value,
                        n -> ForwardLearner.run(new RnnRtrl(n, BATCH), xs, loss).gradients());
            }
            if (cell instanceof LstmCell) {
                check(cell.name() + " fast RTRL", net, value,
                        n -> ForwardLearner.run(new LstmRtrl(n, BATCH), xs, loss).gradients());
            }
        }
    }

    @Test
    void truncatedGradientsAreExactGradientsOfTheFrozenStateSurrogate() {
        Random rng = new Random(SEED + 1);
        for (Cell cell : new Cell[] {new RnnCell(2, 3, rng), new LstmCell(2, 2, rng)}) {
            RecurrentNet net = net(cell, rng);
            Tensor[] xs = Fixtures.inputs(T, BATCH, 2, rng);
            StepLoss loss = Fixtures.squaredError(T, BATCH, 2, rng);
            int k = 3;
            // The chunk-start states at the current parameters, frozen: the surrogate's constants.
            Tensor[][] frozen = new Tensor[(T + k - 1) / k][];
            try (var p = Tape.pause()) {
                Tensor[] s = net.initialState(BATCH);
                for (int t = 0; t < T; t++) {
                    if (t % k == 0) frozen[t / k] = s;
                    s = net.step(s, xs[t]);
                }
            }
            check(cell.name() + " chunked TBPTT(3)", net, n -> forwardLoss(n, xs, loss, k, frozen),
                    n -> Tbptt.chunked(n, null, xs, loss, k, null).gradients());
            // TBPTT(k1, k2): each update's window of losses from its own frozen start state.
            check(cell.name() + " TBPTT(2, 4)", net, n -> williamsPengSurrogate(n, xs, loss, 2, 4),
                    n -> Tbptt.williamsPeng(n, null, xs, loss, 2, 4, null).gradients());
        }
    }

    /**
     * The TBPTT(k1, k2) surrogate: for each update time τ, the losses of its window computed from the
     * state s_w (w = max(0, τ − k2)) frozen at the parameters the check started from.
     */
    private static final java.util.Map<RecurrentNet, Tensor[][]> FROZEN = new java.util.IdentityHashMap<>();

    private static double williamsPengSurrogate(RecurrentNet net, Tensor[] xs, StepLoss loss, int k1, int k2) {
        Tensor[][] states = FROZEN.computeIfAbsent(net, n -> {
            Tensor[][] all = new Tensor[xs.length + 1][];
            try (var p = Tape.pause()) {
                Tensor[] s = n.initialState(BATCH);
                all[0] = s;
                for (int t = 0; t < xs.length; t++) all[t + 1] = s = n.step(s, xs[t]);
            }
            return all;
        });
        double total = 0;
        int last = 0;
        try (var p = Tape.pause()) {
            for (int tau = 1; tau <= xs.length; tau++) {
                if (tau % k1 != 0 && tau != xs.length) continue;
                int w = Math.max(0, tau - k2);
                Tensor[] s = states[w];
                for (int t = w; t < tau; t++) {
                    s = net.step(s, xs[t]);
                    Tensor l = t >= last ? loss.at(t, net.output(net.cell().output(s))) : null;
                    if (l != null) total += l.item();
                }
                last = tau;
            }
        }
        return total;
    }
}
