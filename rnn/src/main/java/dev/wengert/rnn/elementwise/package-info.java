/**
 * Element-wise recurrent cells: recurrences whose state Jacobian {@code ∂s_t/∂s_{t−1}} is diagonal, so each
 * state unit's sensitivity to the parameters depends only on that unit's own parameters and exact RTRL costs
 * about as much as the forward pass ({@link dev.wengert.rnn.online}).
 * <ul>
 *   <li>{@link dev.wengert.rnn.elementwise.LruCell}: the linear recurrent unit of Orvieto et al. 2023 (complex
 *       diagonal recurrence, complex numbers as real pairs);</li>
 *   <li>{@link dev.wengert.rnn.elementwise.DiagonalRnnCell}: a real diagonal linear RNN;</li>
 *   <li>{@link dev.wengert.rnn.elementwise.ElstmCell}: the element-wise (quasi-) LSTM of Irie et al. 2024.</li>
 * </ul>
 * This package and {@link dev.wengert.rnn} (the classic cells) are the cell axis of the module. Each cell here
 * is a {@link dev.wengert.rnn.Cell} written with ops, so the gradient algorithms for any cell
 * ({@link dev.wengert.rnn.bptt}, {@link dev.wengert.rnn.rtrl}, {@link dev.wengert.rnn.approx}) differentiate
 * it, and are the oracles of the fast online learners of {@link dev.wengert.rnn.online}.
 */
package dev.wengert.rnn.elementwise;
