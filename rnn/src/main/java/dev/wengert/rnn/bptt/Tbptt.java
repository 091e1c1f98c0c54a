package dev.wengert.rnn.bptt;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.internal.GradientSum;
import dev.wengert.rnn.internal.Sequences;
import java.util.List;
import java.util.function.Consumer;

/**
 * Truncated backpropagation through time, in its two common forms. In both, the forward pass is exact:
 * the state is carried from step to step (and from chunk to chunk) with its true value, so the network
 * can use information older than the truncation; only the backward pass is cut, by treating a state as
 * a constant ({@link Tensor#detach() detach}), so no gradient flows into earlier steps.
 *
 * <h2>(a) Chunked, {@link #chunked}: TBPTT(k)</h2>
 * The steps {@code 0..T−1} are split into chunks {@code [0, k), [k, 2k), ...}. For chunk c starting at
 * step {@code a_c}, the state {@code s_{a_c}} (the true state carried from the previous chunk) is
 * detached, the chunk's steps are recorded, and
 * <pre>  g_c = ∇_θ Σ_{t ∈ chunk c} ℓ_t(θ; s_{a_c} held constant)</pre>
 * is computed; an optional update (an optimiser step) is applied after each chunk, before the next
 * chunk runs. The loss of step t is backpropagated {@code t − a_c + 1} steps: between 1 and k. Without
 * updates the result is {@code Σ_c g_c}. With {@code k ≥ T} there is one chunk and it is full BPTT.
 *
 * <h2>(b) Williams &amp; Peng, {@link #williamsPeng}: TBPTT(k1, k2)</h2>
 * Every k1 steps, backpropagate k2 steps (Williams and Peng 1990, BPTT(h; h') with h = k2, h' = k1;
 * Sutskever 2013, §3.2.3). At each update time {@code τ ∈ {k1, 2k1, ..., T}} (the last one may come after
 * fewer than k1 steps), with {@code w = max(0, τ − k2)}:
 * <pre>  g_τ = ∇_θ Σ_{t = τ−k1}^{τ−1} ℓ_t(θ; s_w held constant)</pre>
 * computed by recording steps {@code w..τ−1} again from the stored state {@code s_w}. The loss of step t is
 * backpropagated {@code t − w + 1} steps: between {@code k2 − k1 + 1} and k2. Requires {@code k2 ≥ k1}
 * (otherwise the oldest losses of a window would get no gradient at all). When k divides T,
 * {@code TBPTT(k, k)} is the chunked form (a final partial window still looks back k2 steps); with {@code k2 ≥ T} every loss is backpropagated to the start, so the sum of the
 * {@code g_τ} is the full BPTT gradient. When updates are made, the window is recomputed with the current
 * parameters from the stored state (computed with older ones), and the forward state carried on is the
 * one computed step by step.
 */
public final class Tbptt {
    private Tbptt() {}

    /**
     * Chunked TBPTT(k) over {@code xs} from state {@code s0} (null: zero). After each chunk, {@code update}
     * (may be null) receives the chunk's gradient, e.g. {@code optimizer::step}. Returns the sum of the
     * chunk gradients and losses, and the final state.
     *
     * @param net    the network
     * @param s0     the initial state, or null for zeros
     * @param xs     the inputs, one {@code [batch, m]} tensor per step
     * @param loss   the loss of each step
     * @param k      the chunk length, ≥ 1
     * @param update the consumer of each chunk's gradient (aligned with the network's parameters), or null
     * @return the summed gradient and loss, and the final state (detached)
     */
    public static SequenceGradient chunked(RecurrentNet net, Tensor[] s0, Tensor[] xs, StepLoss loss, int k,
            Consumer<List<Tensor>> update) {
        Sequences.checkInputs("tbptt", net, xs, loss);
        if (k < 1) throw new IllegalArgumentException("tbptt: truncation k must be at least 1, got " + k);
        Tensor[] s = s0 == null ? net.initialState(xs[0].dim(0)) : s0;
        GradientSum sum = new GradientSum(net.parameters());
        for (int a = 0; a < xs.length; a += k) {
            SequenceGradient g = Bptt.segment(net, s, xs, a, Math.min(xs.length, a + k), loss, null);
            sum.add(g.gradients());
            sum.loss += g.loss();
            s = g.finalState();
            if (update != null) update.accept(g.gradients());
        }
        return sum.result(s);
    }

    /**
     * TBPTT(k1, k2) of Williams and Peng over {@code xs} from {@code s0} (null: zero): every k1 steps,
     * backpropagate k2 steps ({@code k2 ≥ k1 ≥ 1}). {@code update} (may be null) receives each
     * {@code g_τ}. Returns their sum, the summed losses and the final state.
     *
     * @param net    the network
     * @param s0     the initial state, or null for zeros
     * @param xs     the inputs, one {@code [batch, m]} tensor per step
     * @param loss   the loss of each step
     * @param k1     the number of steps between backward passes, ≥ 1
     * @param k2     the number of steps each backward pass covers, ≥ k1
     * @param update the consumer of each {@code g_τ} (aligned with the network's parameters), or null
     * @return the summed gradient and loss, and the final state (detached)
     */
    public static SequenceGradient williamsPeng(RecurrentNet net, Tensor[] s0, Tensor[] xs, StepLoss loss, int k1,
            int k2, Consumer<List<Tensor>> update) {
        Sequences.checkInputs("tbptt", net, xs, loss);
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("tbptt: TBPTT(k1, k2) needs k2 >= k1 >= 1, got k1 = " + k1 + ", k2 = " + k2);
        }
        int T = xs.length;
        Tensor[] s = s0 == null ? net.initialState(xs[0].dim(0)) : Sequences.detach(s0);
        // states[t % (k2 + 1)] = s_t: the last k2 + 1 states are enough to restart any window.
        Tensor[][] ring = new Tensor[k2 + 1][];
        ring[0] = s;
        GradientSum sum = new GradientSum(net.parameters());
        int last = 0;
        for (int t = 0; t < T; t++) {
            try (var p = Tape.pause()) {
                s = net.step(s, xs[t]);
            }
            ring[(t + 1) % (k2 + 1)] = s;
            int tau = t + 1;
            if (tau % k1 != 0 && tau != T) continue;
            int w = Math.max(0, tau - k2);
            int lossFrom = last;
            StepLoss window = (step, y) -> step >= lossFrom ? loss.at(step, y) : null;
            SequenceGradient g = Bptt.segment(net, ring[w % (k2 + 1)], xs, w, tau, window, null);
            sum.add(g.gradients());
            sum.loss += g.loss();
            last = tau;
            if (update != null) update.accept(g.gradients());
        }
        return sum.result(Sequences.detach(s));
    }
}
