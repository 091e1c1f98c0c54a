/**
 * Exact real-time recurrent learning: forward-mode gradients, step by step, through the influence matrix
 * {@code M_t = ∂s_t/∂θ}, with memory independent of T and every step's gradient available at once.
 * <ul>
 *   <li>{@link dev.wengert.rnn.rtrl.Rtrl}: the entry point ({@code Rtrl.exact} picks a hand-written kernel when the
 *       cell has one) and the recursion.</li>
 *   <li>{@link dev.wengert.rnn.rtrl.GenericRtrl}: any cell built from ops, by batched JVPs of the recorded step,
 *       with the step's structure exploited where the cell has it.</li>
 *   <li>{@link dev.wengert.rnn.rtrl.RnnRtrl}, {@link dev.wengert.rnn.rtrl.LstmRtrl}: fast kernels for the vanilla
 *       RNN and the LSTM.</li>
 * </ul>
 * The learners are {@link dev.wengert.rnn.ForwardLearner}s, guarded against influence matrices that do not fit
 * ({@link dev.wengert.rnn.MemoryGuard}); train online with {@link dev.wengert.rnn.online.OnlineLearning}. The
 * other gradient families: reverse mode ({@link dev.wengert.rnn.bptt}), approximations of RTRL in O(p) memory
 * ({@link dev.wengert.rnn.approx}), online rules for element-wise stacks ({@link dev.wengert.rnn.online}); the
 * cells are in {@link dev.wengert.rnn} and {@link dev.wengert.rnn.elementwise}.
 */
package dev.wengert.rnn.rtrl;
