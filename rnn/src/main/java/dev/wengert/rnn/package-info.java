/**
 * Recurrent networks and their training: cells built from ops, full BPTT, truncated BPTT (chunked and
 * Williams–Peng TBPTT(k1, k2)), BPTT with √T checkpointing, exact RTRL in forward mode (generic, through
 * batched JVPs, and fast kernels for the vanilla RNN and the LSTM), online learning, and the approximations
 * SnAp-1 and UORO with a measure of their gradient quality.
 *
 * <h2>Model</h2>
 * A {@link dev.wengert.rnn.Cell} maps {@code (θ, s_{t−1}, x_t)} to {@code s_t} with ops:
 * {@link dev.wengert.rnn.RnnCell} ({@code h_t = tanh(W_hh h_{t−1} + W_xh x_t + b)}),
 * {@link dev.wengert.rnn.LstmCell} (separate W^{g,h}, W^{g,x}, b_g per gate; state (h, c)),
 * {@link dev.wengert.rnn.GruCell}, and {@link dev.wengert.rnn.StackedCell} for layers. A
 * {@link dev.wengert.rnn.RecurrentNet} adds an optional readout ({@code nn.Linear}); a
 * {@link dev.wengert.rnn.StepLoss} gives the loss ℓ_t of each step (or none), and every algorithm works
 * with {@code L = Σ_t ℓ_t} over batches of sequences (inputs {@code [batch, m]} per step).
 *
 * <h2>Algorithms</h2>
 * <ul>
 *   <li>{@link dev.wengert.rnn.Bptt}: the exact gradient by one reverse pass over the recorded sequence.</li>
 *   <li>{@link dev.wengert.rnn.Tbptt}: both truncated forms, defined precisely there.</li>
 *   <li>{@link dev.wengert.rnn.CheckpointedBptt}: BPTT's gradient keeping ~2√T states.</li>
 *   <li>{@link dev.wengert.rnn.Rtrl}: exact forward-mode gradients, step by step
 *       ({@link dev.wengert.rnn.GenericRtrl}, {@link dev.wengert.rnn.RnnRtrl}, {@link dev.wengert.rnn.LstmRtrl}),
 *       guarded against influence matrices that do not fit ({@link dev.wengert.rnn.MemoryGuard}).</li>
 *   <li>{@link dev.wengert.rnn.OnlineLearning}: an update after every step, sensitivities carried on.</li>
 *   <li>{@link dev.wengert.rnn.Snap1}, {@link dev.wengert.rnn.Uoro}: O(p)-memory approximations;
 *       {@link dev.wengert.rnn.ApproximationQuality}: their cosine similarity to the exact gradient.</li>
 * </ul>
 * Gradients come back as a {@link dev.wengert.rnn.SequenceGradient} aligned with the network's
 * {@code parameters()}, ready for an {@code nn.Optimizer}.
 */
package dev.wengert.rnn;
