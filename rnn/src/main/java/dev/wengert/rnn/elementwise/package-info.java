/**
 * Element-wise recurrent cells: recurrences whose state Jacobian {@code ∂s_t/∂s_{t−1}} is diagonal, so each
 * state unit's sensitivity to the parameters depends only on that unit's own parameters and exact RTRL costs
 * about as much as the forward pass ({@code dev.wengert.rnn.online}).
 * <ul>
 *   <li>{@link dev.wengert.rnn.elementwise.LruCell}: the linear recurrent unit of Orvieto et al. 2023 (complex
 *       diagonal recurrence, complex numbers as real pairs);</li>
 *   <li>{@link dev.wengert.rnn.elementwise.DiagonalRnnCell}: a real diagonal linear RNN;</li>
 *   <li>{@link dev.wengert.rnn.elementwise.ElstmCell}: the element-wise (quasi-) LSTM of Irie et al. 2024.</li>
 * </ul>
 * Each is a {@link dev.wengert.rnn.Cell} written with ops, so BPTT, generic RTRL and the other algorithms of
 * {@code dev.wengert.rnn} differentiate it, and are the oracles of the fast online learners.
 */
package dev.wengert.rnn.elementwise;
