package dev.wengert.nn;

import dev.wengert.core.Tensor;
import dev.wengert.ops.Nonlinearity;
import dev.wengert.ops.Ops;
import java.util.function.UnaryOperator;

/**
 * An activation function as a layer, applied to every unit ({@code a = f(z)}) or, for
 * softmax, to each example's vector of units along the last axis. Activations have no parameters, so
 * they are not {@link Module}s: in a {@link Sequential} they take a position but add no names.
 *
 * <ul>
 *   <li>{@link #identity()}: {@code f(z) = z};</li>
 *   <li>{@link #sigmoid()}: {@code σ(z) = 1 / (1 + e^{-z})}, {@code σ' = σ (1 - σ) ≤ 1/4};</li>
 *   <li>{@link #tanh()}: {@code tanh z}, {@code tanh' = 1 - tanh²};</li>
 *   <li>{@link #relu()}: {@code max(z, 0)}, derivative 1 for z &gt; 0 and 0 otherwise (0 at the kink);</li>
 *   <li>{@link #softmax(double)}: {@code o_i = e^{β z_i} / Σ_j e^{β z_j}} with inverse temperature β:
 *       β → 0 flattens the output to uniform, β → ∞ makes it the one-hot argmax.</li>
 * </ul>
 */
public final class Activation implements Layer {
    private final String name;
    private final UnaryOperator<Tensor> f;
    /** The same function as one of the element-wise activations a {@link Linear} layer can fuse; or null. */
    private final Nonlinearity fusable;

    private Activation(String name, UnaryOperator<Tensor> f, Nonlinearity fusable) {
        this.name = name;
        this.f = f;
        this.fusable = fusable;
    }

    private static final Activation IDENTITY = new Activation("identity", z -> z, Nonlinearity.IDENTITY);
    private static final Activation SIGMOID = new Activation("sigmoid", Ops::sigmoid, Nonlinearity.SIGMOID);
    private static final Activation TANH = new Activation("tanh", Ops::tanh, Nonlinearity.TANH);
    private static final Activation RELU = new Activation("relu", Ops::relu, Nonlinearity.RELU);

    /**
     * {@code f(z) = z}: a network of such units collapses to one linear map.
     *
     * @return the identity activation, named {@code identity}
     */
    public static Activation identity() {
        return IDENTITY;
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e^{-z})}.
     *
     * @return the sigmoid activation, named {@code sigmoid}
     */
    public static Activation sigmoid() {
        return SIGMOID;
    }

    /**
     * The hyperbolic tangent.
     *
     * @return the tanh activation, named {@code tanh}
     */
    public static Activation tanh() {
        return TANH;
    }

    /**
     * The rectifier {@code max(z, 0)} (subgradient 0 at 0).
     *
     * @return the ReLU activation, named {@code relu}
     */
    public static Activation relu() {
        return RELU;
    }

    /**
     * Softmax over the last axis, {@code e^{z_i} / Σ_j e^{z_j}} (β = 1).
     *
     * @return the softmax activation, named {@code softmax}
     */
    public static Activation softmax() {
        return softmax(1.0);
    }

    /**
     * Softmax over the last axis with inverse temperature β: {@code o_i = e^{β z_i} / Σ_j e^{β z_j}}. Its
     * Jacobian is {@code β (diag(o) - o oᵀ)}.
     *
     * @param beta the inverse temperature β; 1 gives {@link #softmax()}
     * @return the activation, named {@code softmax(β=...)} unless β = 1
     * @throws IllegalArgumentException when β is not finite and positive
     */
    public static Activation softmax(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("softmax: the inverse temperature β must be finite and positive, got " + beta);
        }
        if (beta == 1.0) return new Activation("softmax", z -> Ops.softmax(z, -1), null);
        return new Activation("softmax(β=" + beta + ")", z -> Ops.softmax(Ops.mul(z, beta), -1), null);
    }

    /**
     * The activation named {@code identity}, {@code sigmoid}, {@code tanh}, {@code relu} or {@code softmax}.
     *
     * @param name one of the five names
     * @return the activation
     * @throws IllegalArgumentException for any other name
     */
    public static Activation named(String name) {
        if (name == null) throw new NullPointerException("activation: the name is null");
        switch (name) {
            case "identity":
                return identity();
            case "sigmoid":
                return sigmoid();
            case "tanh":
                return tanh();
            case "relu":
                return relu();
            case "softmax":
                return softmax();
            default:
                throw new IllegalArgumentException("activation: unknown name '" + name
                        + "' (known: identity, sigmoid, tanh, relu, softmax)");
        }
    }

    @Override
    public Tensor forward(Tensor z) {
        return f.apply(z);
    }

    /** The element-wise function this is, for {@link Sequential} to fuse it into the layer before; null for softmax. */
    Nonlinearity fusable() {
        return fusable;
    }

    /** {@return the activation's name, such as {@code tanh}} */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
