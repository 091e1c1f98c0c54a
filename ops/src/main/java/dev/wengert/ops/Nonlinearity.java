package dev.wengert.ops;

/**
 * The element-wise activations {@link Ops#linear(dev.wengert.core.Tensor, dev.wengert.core.Tensor,
 * dev.wengert.core.Tensor, Nonlinearity)} fuses into a fully connected layer; each gives the bits of the
 * op of the same name ({@link Ops#tanh}, {@link Ops#relu}, {@link Ops#sigmoid}) applied to {@code x Wᵀ + b}.
 */
public enum Nonlinearity {
    /** φ(z) = z. */
    IDENTITY,
    /** φ(z) = tanh z, φ' = 1 − φ². */
    TANH,
    /** φ(z) = max(z, 0), φ' = [z &gt; 0] (0 at the kink, as {@link Ops#relu}). */
    RELU,
    /** φ(z) = 1 / (1 + e^(−z)), φ' = φ(1 − φ). */
    SIGMOID
}
