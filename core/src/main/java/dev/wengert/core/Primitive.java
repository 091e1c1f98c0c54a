package dev.wengert.core;

/**
 * A primitive operation: the only thing the engine knows about any computation. Every built-in op
 * (in the {@code ops} module) and every user-defined op extends this class, in one class that holds
 * its shape rule, forward pass, vector-Jacobian product (VJP) and Jacobian-vector product (JVP).
 *
 * <p>An abstract class rather than a Java interface, for speed alone: every application makes four calls
 * through this type at call sites that see dozens of primitives, and virtual dispatch is cheaper than
 * interface dispatch there (the 10,000-op scalar chain measured 137 → 115 ns per op, JMH, 2 forks). It has
 * no state and an empty constructor, so it stands for an interface in every other way.
 *
 * <p>For an op {@code y = f(x_0, ..., x_{n-1})}:
 * <ul>
 *   <li>{@link #shape}: the output shape from the input shapes, or a {@link ShapeException} naming
 *       the op, the argument and the shapes.</li>
 *   <li>{@link #forward}: the value {@code y}. It never changes its inputs.</li>
 *   <li>{@link #vjp}: given the cotangent {@code g = dL/dy} (shape of y), the cotangents
 *       {@code dL/dx_i = (dy/dx_i)^T g}, one per input (shape of that input), {@code null} for "no
 *       gradient" (a constant input, or one whose {@link Node#needsGrad} is false). The VJP must be
 *       written with primitives applied through {@link #apply}, so that when the backward pass is
 *       recorded ({@link Node#creatingGraph()}), gradients of gradients come out right. It returns new
 *       tensors, g itself, or views of g, of an input or of the output: the engine recognises those by
 *       their storage and may keep any other returned array as a gradient buffer, adding into it later.
 *       So never return a tensor kept elsewhere (a cached constant): return a copy of it.</li>
 *   <li>{@link #jvp}: given tangents {@code t_i} for the inputs, the output tangent
 *       {@code t_y = sum_i (dy/dx_i) t_i}. Tangents come in batches: a tangent of an input of shape
 *       {@code s} has shape {@code [k, s...]} for k directions at once, and the result must have
 *       shape {@code [k, shape(y)...]}. A null tangent is zero; return null for a zero result.</li>
 *   <li>{@link #branch}: ops with kinks (ReLU at 0, ties in max, |x| at 0) report which side of each
 *       kink their inputs are on, so that gradient checking can skip finite differences that
 *       straddle one.</li>
 * </ul>
 *
 * <p>A primitive instance holds the op's parameters (axes, a permutation), not per-application
 * state: per-application state goes through {@link Saved}. Parameterless ops are singletons.
 */
public abstract class Primitive {
    /** For subclasses: a primitive has no state of its own, so there is nothing to initialise. */
    protected Primitive() {}

    /** {@return the op's name as error messages print it, e.g. {@code "matmul"}} */
    public abstract String name();

    /** {@return the number of inputs, or -1 when it varies (concat)} The engine checks it. */
    public abstract int arity();

    /**
     * The shape rule: validates the inputs' shapes and returns the output's shape.
     *
     * @param x the inputs, their count already checked against {@link #arity()}
     * @return the output's shape, a new array or a shared constant; the engine does not modify it
     * @throws ShapeException naming this op, the argument and the shapes at fault
     */
    public abstract int[] shape(Tensor... x);

    /**
     * The output value. Must return a new tensor of shape {@code shape} and must not modify any input.
     * A view op returns {@link Tensor#viewOf} an input, which shares the input's storage and version
     * counter; never wrap another tensor's {@link Tensor#data()} array in a new tensor.
     *
     * @param x     the inputs, already checked by {@link #shape}
     * @param shape the output shape, as {@link #shape} returned it
     * @param saved where to keep what the VJP or JVP needs beyond x and y
     * @return a new tensor of shape {@code shape}, or a view of an input
     */
    public abstract Tensor forward(Tensor[] x, int[] shape, Saved saved);

    /**
     * The vector-Jacobian product: one cotangent per input, each of that input's shape, or null.
     *
     * @param g    the cotangent of the output, of the output's shape
     * @param node the recorded application: its inputs, output, saved values, and which inputs need
     *             a gradient
     * @return an array with one entry per input: a cotangent of that input's shape, or null for an input that
     *     needs none (see {@link Node#needsGrad})
     */
    public abstract Tensor[] vjp(Tensor g, Node node);

    /**
     * The Jacobian-vector product for a batch of k tangent directions.
     *
     * @param t     per input, a tangent of shape {@code [k, shape(x_i)...]}, or null for zero
     * @param x     the inputs
     * @param y     the output
     * @param saved what forward saved
     * @return the output tangent of shape {@code [k, shape(y)...]}, or null if it is zero
     */
    public abstract Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved);

    /**
     * Whether this op has kinks, points where it is not differentiable; see {@link #branch}.
     *
     * @return true when {@link #branch} is overridden to fingerprint the kinks; false by default
     */
    public boolean hasKinks() {
        return false;
    }

    /**
     * A fingerprint of which side of each kink the inputs lie on (e.g. a hash of the signs of a
     * ReLU's inputs, of a max's argmax). Two evaluations with different fingerprints straddle a kink,
     * and a gradient check skips that finite difference. Called only while a check is recording.
     *
     * @param x     the inputs
     * @param y     the output
     * @param saved what forward saved
     * @return the fingerprint; equal values mean the same side of every kink (0 for an op without kinks)
     */
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        return 0L;
    }

    /**
     * Applies this op: computes the output and, when a {@link Tape} is recording and an input is
     * tracked, records the application; in forward mode, also computes the output's tangent.
     *
     * @param x the inputs, as many as {@link #arity()} asks for, none null
     * @return the output, a new tensor (or a view of an input, for a view op)
     */
    public Tensor apply(Tensor... x) {
        Engine.checkInputs(this, arity(), x);
        int[] shape = shape(x);
        Saved saved = Engine.begin(this, x);
        return Engine.end(this, x, shape, saved, forward(x, shape, saved));
    }
}
