package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.internal.Sequences;
import java.util.List;

/**
 * Brute-force references for the truncated gradients, written independently of the algorithms: a single
 * tape over the whole sequence with explicit detaches, or one fresh graph per loss.
 */
final class Reference {
    private Reference() {}

    /** Chunked TBPTT(k): one tape for the whole sequence, the state detached at every chunk boundary. */
    static double[] chunked(RecurrentNet net, Tensor[] xs, StepLoss loss, int k) {
        List<Tensor> params = net.parameters();
        Tensor[] s = net.initialState(xs[0].dim(0));
        try (Tape tape = Tape.open()) {
            Tensor total = null;
            for (int t = 0; t < xs.length; t++) {
                if (t % k == 0) s = Sequences.detach(s);
                s = net.step(s, xs[t]);
                Tensor l = loss.at(t, net.output(net.cell().output(s)));
                if (l != null) total = total == null ? l : add(total, l);
            }
            return SequenceGradient.flatten(List.of(tape.gradient(total, params.toArray(new Tensor[0]))));
        }
    }

    /**
     * TBPTT(k1, k2), loss by loss: ℓ_t belongs to the update at τ = min(T, k1·⌈(t+1)/k1⌉); its graph
     * starts at w = max(0, τ − k2), the state there detached; the gradients of all losses are summed.
     */
    static double[] williamsPeng(RecurrentNet net, Tensor[] xs, StepLoss loss, int k1, int k2) {
        int T = xs.length;
        List<Tensor> params = net.parameters();
        double[] sum = null;
        for (int t = 0; t < T; t++) {
            int tau = Math.min(T, k1 * ((t + 1 + k1 - 1) / k1));
            int w = Math.max(0, tau - k2);
            Tensor[] s = net.initialState(xs[0].dim(0));
            try (Tape tape = Tape.open()) {
                for (int u = 0; u <= t; u++) {
                    if (u == w) s = Sequences.detach(s);
                    s = net.step(s, xs[u]);
                }
                Tensor l = loss.at(t, net.output(net.cell().output(s)));
                if (l == null) continue;
                double[] g = SequenceGradient.flatten(List.of(tape.gradient(l, params.toArray(new Tensor[0]))));
                if (sum == null) sum = g;
                else for (int i = 0; i < g.length; i++) sum[i] += g[i];
            }
        }
        return sum;
    }
}
