/**
 * Recurrent networks: the model every gradient algorithm works on, and the classic cells.
 *
 * <h2>Two axes</h2>
 * The rnn module is laid out along two independent choices:
 * <ul>
 *   <li><b>the cell</b>, what one step computes: the classic cells in this package, {@link dev.wengert.rnn.RnnCell}
 *       ({@code h_t = tanh(W_hh h_{t−1} + W_xh x_t + b)}), {@link dev.wengert.rnn.LstmCell} (separate W^{g,h},
 *       W^{g,x}, b_g per gate; state (h, c)) and {@link dev.wengert.rnn.GruCell}, and the element-wise cells of
 *       {@link dev.wengert.rnn.elementwise} (LRU, diagonal RNN, element-wise LSTM);</li>
 *   <li><b>the way the gradient is computed</b>, one family per package: {@link dev.wengert.rnn.bptt} (reverse mode
 *       over the sequence: full, truncated, checkpointed), {@link dev.wengert.rnn.rtrl} (exact forward mode, step
 *       by step), {@link dev.wengert.rnn.approx} (O(p)-memory approximations of RTRL and how good they are) and
 *       {@link dev.wengert.rnn.online} (training after every step, and the online rules for element-wise
 *       stacks).</li>
 * </ul>
 * Any cell made of ops works with BPTT, generic RTRL, generic SnAp-1 and UORO; the fast kernels ({@code RnnRtrl},
 * {@code LstmRtrl}, {@code Snap1}, {@code ElementwiseOnline}) each serve the cells they are written for.
 *
 * <h2>This package</h2>
 * What every user touches whatever the two choices: a {@link dev.wengert.rnn.Cell} maps
 * {@code (θ, s_{t−1}, x_t)} to {@code s_t} with ops, and {@link dev.wengert.rnn.StackedCell} stacks cells into
 * layers; a {@link dev.wengert.rnn.RecurrentNet} adds an optional readout ({@code nn.Linear}); a
 * {@link dev.wengert.rnn.StepLoss} gives the loss ℓ_t of each step (or none), and every algorithm works with
 * {@code L = Σ_t ℓ_t} over batches of sequences (inputs {@code [batch, m]} per step). Gradients come back as a
 * {@link dev.wengert.rnn.SequenceGradient} aligned with the network's {@code parameters()}, ready for an
 * {@code nn.Optimizer}. {@link dev.wengert.rnn.ForwardLearner} is the common base of everything that computes
 * gradients forwards in time (RTRL, its approximations, the online rules), and
 * {@link dev.wengert.rnn.MemoryGuard} refuses up front a learner whose buffers would not fit.
 *
 * <h2>Hooks</h2>
 * The cells keep a few package-private hooks for the algorithms (their parameter array, the fused sequence op
 * of the classic cells that BPTT records as one node, PyTorch's saved layout). The gradient algorithms in the
 * other packages reach them only through {@code dev.wengert.rnn.internal}, which is not API; the classic cells
 * stay here, beside {@link dev.wengert.rnn.Cell}, because those hooks are package-private.
 */
package dev.wengert.rnn;
