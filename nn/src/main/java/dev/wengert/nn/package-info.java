/**
 * Neural-network building blocks on top of the ops, every one a composition of differentiable
 * primitives (so gradients, forward-mode tangents and second derivatives all come for free):
 *
 * <ul>
 *   <li>{@link dev.wengert.nn.Module}: named parameters and buffers, hierarchical names
 *       ({@code 0.weight}), train/eval mode, {@code state()}/{@code load()};
 *       {@link dev.wengert.nn.Linear}, {@link dev.wengert.nn.Activation} (identity, sigmoid, tanh,
 *       ReLU, softmax with inverse temperature β), {@link dev.wengert.nn.BatchNorm},
 *       {@link dev.wengert.nn.Dropout}, {@link dev.wengert.nn.Sequential} and the
 *       {@link dev.wengert.nn.Mlp} builder;</li>
 *   <li>{@link dev.wengert.nn.Loss}: cross-entropy from logits (labels or distributions), binary
 *       cross-entropy from logits and from probabilities, the squared loss, L1 and L2 penalties;</li>
 *   <li>{@link dev.wengert.nn.Init}: N(0, 1/fan_in), Glorot, He, constant biases;</li>
 *   <li>{@link dev.wengert.nn.Optimizer}: {@link dev.wengert.nn.Sgd} (momentum, Nesterov, weight
 *       decay), {@link dev.wengert.nn.Adam} (and AdamW), clipping by value and by global norm
 *       ({@link dev.wengert.nn.Clip}), learning-rate {@link dev.wengert.nn.Schedule}s;</li>
 *   <li>data and training: {@link dev.wengert.nn.Dataset} and {@link dev.wengert.nn.Batch}
 *       (seeded reshuffling every epoch, splits), {@link dev.wengert.nn.Trainer} (validation, early
 *       stopping restoring the best parameters, a progress bar), {@link dev.wengert.nn.History}
 *       (curves as PNG through {@link dev.wengert.nn.plot.Plot}), {@link dev.wengert.nn.Metrics}.</li>
 * </ul>
 * Files and data sets are in {@link dev.wengert.nn.io} (safetensors checkpoints, MNIST), plots in
 * {@link dev.wengert.nn.plot}.
 *
 * <p>Conventions: a batch's first axis indexes the examples, so a linear layer computes
 * {@code y = x Wᵀ + b} with W of shape {@code [out, in]}, PyTorch's layout (row i holds output unit i's
 * weights, as in {@code z = W x + b} for one example as a column). All randomness comes from generators
 * the caller seeds; a seeded run is bit-for-bit reproducible. Small experiments, as runnable programs,
 * are in the separate {@code wengert-examples} module.
 */
package dev.wengert.nn;

import dev.wengert.nn.io.Mnist;
import dev.wengert.nn.io.SafeTensors;
