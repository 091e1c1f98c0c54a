/**
 * Internal: not API, may change in any release. What the gradient algorithms of {@link dev.wengert.rnn.bptt},
 * {@link dev.wengert.rnn.rtrl}, {@link dev.wengert.rnn.approx} and {@link dev.wengert.rnn.online} share across
 * their packages: {@link dev.wengert.rnn.internal.Hooks}, the bridge to the package-private hooks of
 * {@link dev.wengert.rnn.Cell} and {@link dev.wengert.rnn.RecurrentNet} (so those stay off the cells' public
 * API); {@link dev.wengert.rnn.internal.GradientSum}, the sum of step or chunk gradients;
 * {@link dev.wengert.rnn.internal.Sequences}, the input checks; {@link dev.wengert.rnn.internal.StepKernels},
 * the vanilla RNN's and the LSTM's step on raw arrays for the RTRL kernels and SnAp-1.
 *
 * <p>The jar has no module descriptor (only an Automatic-Module-Name), so nothing stops code from calling these
 * classes; nothing outside the rnn module should.
 */
package dev.wengert.rnn.internal;
