/**
 * Gradients by backpropagation through time: the sequence is run forwards, recorded on a tape, and the
 * gradient of {@code L = Σ_t ℓ_t} is one reverse pass. Memory grows with the steps recorded; time is a few
 * forward passes.
 * <ul>
 *   <li>{@link dev.wengert.rnn.bptt.Bptt}: the exact gradient by one reverse pass over the whole sequence (the
 *       oracle of every other algorithm).</li>
 *   <li>{@link dev.wengert.rnn.bptt.Tbptt}: both truncated forms (chunked TBPTT(k) and Williams–Peng
 *       TBPTT(k1, k2)), defined precisely there.</li>
 *   <li>{@link dev.wengert.rnn.bptt.CheckpointedBptt}: BPTT's exact gradient keeping ~2√T states.</li>
 * </ul>
 * This is one of the gradient families; the others compute forwards in time: exact RTRL
 * ({@link dev.wengert.rnn.rtrl}), its approximations ({@link dev.wengert.rnn.approx}) and online learning
 * ({@link dev.wengert.rnn.online}). All of them take any {@link dev.wengert.rnn.Cell} (the model is in
 * {@link dev.wengert.rnn}) and return a {@link dev.wengert.rnn.SequenceGradient}.
 */
package dev.wengert.rnn.bptt;
