/**
 * Online learning: an update after every step, with sensitivities carried on, and the online rules of
 * element-wise recurrent layers ({@link dev.wengert.rnn.elementwise}) at about the cost of the forward pass,
 * with memory flat in T.
 * <ul>
 *   <li>{@link dev.wengert.rnn.online.OnlineLearning}: the online training loop for any
 *       {@link dev.wengert.rnn.ForwardLearner} (exact RTRL of {@link dev.wengert.rnn.rtrl}, the approximations of
 *       {@link dev.wengert.rnn.approx}, the learners below).</li>
 *   <li>{@link dev.wengert.rnn.online.ElementwiseOnline}: a {@link dev.wengert.rnn.ForwardLearner}; for one
 *       layer, {@link dev.wengert.rnn.online.ElementwiseOnline#rtrl exact RTRL} (≡ BPTT to rounding) with
 *       O(n·m + n) traces per sequence; for a stack, {@link dev.wengert.rnn.online.ElementwiseOnline#zucchet
 *       Zucchet et al.'s rule} (exact traces in every layer, spatial backpropagation across layers), and for
 *       comparison the truncated {@link dev.wengert.rnn.online.TraceRule rules} (one step, none).</li>
 *   <li>{@link dev.wengert.rnn.online.StackQuality}: per-layer cosine and relative norm error of any learner
 *       against BPTT, averaged over sequences.</li>
 *   <li>{@link dev.wengert.rnn.online.ElementwiseInference}: the forward pass alone, in the same arithmetic.</li>
 * </ul>
 * SnAp-1 for any cell, a stack included, is {@link dev.wengert.rnn.approx.GenericSnap1}. The recursions, why
 * they are exact, and what the deep rule drops: {@code docs/elementwise-online.md}. The other gradient families
 * are {@link dev.wengert.rnn.bptt}, {@link dev.wengert.rnn.rtrl} and {@link dev.wengert.rnn.approx}.
 */
package dev.wengert.rnn.online;
