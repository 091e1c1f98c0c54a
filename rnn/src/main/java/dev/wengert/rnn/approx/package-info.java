/**
 * Approximations of RTRL that carry O(p) numbers instead of the influence matrix, and how close they come to
 * the exact gradient.
 * <ul>
 *   <li>{@link dev.wengert.rnn.approx.Snap1}: SnAp-1 (Menick et al. 2021) for the vanilla RNN and the LSTM, with
 *       the RTRL kernels' arithmetic; {@link dev.wengert.rnn.approx.GenericSnap1}: SnAp-1 for any cell made of
 *       ops, a whole stack included.</li>
 *   <li>{@link dev.wengert.rnn.approx.Uoro}: UORO (Tallec and Ollivier 2018), an unbiased rank-one estimate, for
 *       any cell.</li>
 *   <li>{@link dev.wengert.rnn.approx.ApproximationQuality}: the cosine similarity and relative error of any
 *       learner's gradient against the exact one.</li>
 * </ul>
 * They are {@link dev.wengert.rnn.ForwardLearner}s like exact RTRL ({@link dev.wengert.rnn.rtrl}) and train
 * online the same way ({@link dev.wengert.rnn.online.OnlineLearning}); the exact references are
 * {@link dev.wengert.rnn.bptt} and {@link dev.wengert.rnn.rtrl}. The cells are in {@link dev.wengert.rnn} and
 * {@link dev.wengert.rnn.elementwise}.
 */
package dev.wengert.rnn.approx;
