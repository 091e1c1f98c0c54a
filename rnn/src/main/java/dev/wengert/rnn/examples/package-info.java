/**
 * The recurrent-learning experiments, each a main class (run them with the {@code experiment} Maven
 * profile; see the README): the LSTM of sheet 004 ({@link dev.wengert.rnn.examples.LstmSheet}), the
 * sign of the running sum ({@link dev.wengert.rnn.examples.SignOfRunningSum}), the adding problem
 * ({@link dev.wengert.rnn.examples.AddingProblem}), the lag task that shows the truncation bias
 * ({@link dev.wengert.rnn.examples.LagTask}), a character-level language model
 * ({@link dev.wengert.rnn.examples.CharLm}), and the demo's BPTT-versus-RTRL comparison
 * ({@link dev.wengert.rnn.examples.RtrlDemo}).
 */
package dev.wengert.rnn.examples;
