/**
 * The recurrent-learning experiments, each a main class (run them with the {@code experiment} Maven
 * profile; see the README): the LSTM of sheet 004 ({@link dev.wengert.examples.rnn.LstmSheet}), the
 * sign of the running sum ({@link dev.wengert.examples.rnn.SignOfRunningSum}), the adding problem
 * ({@link dev.wengert.examples.rnn.AddingProblem}), the lag task that shows the truncation bias
 * ({@link dev.wengert.examples.rnn.LagTask}), a character-level language model
 * ({@link dev.wengert.examples.rnn.CharLm}), and the demo's BPTT-versus-RTRL comparison
 * ({@link dev.wengert.examples.rnn.RtrlDemo}); the long-range tasks learned online with element-wise
 * layers: the copy task ({@link dev.wengert.examples.rnn.CopyTask}) and the adding problem at T = 1000
 * ({@link dev.wengert.examples.rnn.AddingProblemOnline}); results in docs/elementwise-online.md.
 */
package dev.wengert.examples.rnn;
