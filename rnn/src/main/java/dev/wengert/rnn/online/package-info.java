/**
 * Online learning of element-wise recurrent layers ({@code dev.wengert.rnn.elementwise}) at about the cost of
 * the forward pass, with memory flat in T.
 * <ul>
 *   <li>{@link dev.wengert.rnn.online.ElementwiseOnline}: a {@link dev.wengert.rnn.ForwardLearner}; for one
 *       layer, {@link dev.wengert.rnn.online.ElementwiseOnline#rtrl exact RTRL} (≡ BPTT to rounding) with
 *       O(n·m + n) traces per sequence; for a stack, {@link dev.wengert.rnn.online.ElementwiseOnline#zucchet
 *       Zucchet et al.'s rule} (exact traces in every layer, spatial backpropagation across layers), and for
 *       comparison the truncated {@link dev.wengert.rnn.online.TraceRule rules} (one step, none).</li>
 *   <li>{@link dev.wengert.rnn.online.GenericSnap1}: SnAp-1 for any cell made of ops, a whole stack included.</li>
 *   <li>{@link dev.wengert.rnn.online.StackQuality}: per-layer cosine and relative norm error of any learner
 *       against BPTT, averaged over sequences.</li>
 *   <li>{@link dev.wengert.rnn.online.ElementwiseInference}: the forward pass alone, in the same arithmetic.</li>
 * </ul>
 * The recursions, why they are exact, and what the deep rule drops: {@code docs/elementwise-online.md}.
 */
package dev.wengert.rnn.online;
