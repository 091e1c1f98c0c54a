package dev.wengert.core;

/**
 * One entry of a {@link Tape}: a primitive applied to inputs, its output, and what its forward pass
 * saved. A VJP reads its inputs, output and saved values from here.
 *
 * <p>After a backward pass that does not retain the tape, the node is released: its inputs and saved
 * values are dropped, and a second backward through it throws.
 */
public final class Node extends Saved {
    private final Primitive op;
    private Tensor[] inputs;
    Tensor output;
    final Tape tape;
    /** Position in the tape's current segment, set when the node is added after its forward pass. */
    int index = -1;
    /** Bit i: input i is tracked on this tape, so it needs a cotangent (all bits set past 63 inputs). */
    private final long gradMask;
    /**
     * Sum of the inputs' and the output's storage versions when recorded: an in-place update since then,
     * through any tensor sharing their storage, changes it.
     */
    private long versionSum;
    /** {@link Tensor#mutations()} when recorded: while unchanged, no input can have been updated. */
    private final long mutations;
    /** Where user code created this node; only kept in anomaly mode. */
    StackTraceElement site;
    private boolean released;

    Node(Primitive op, Tensor[] inputs, Tape tape, long gradMask) {
        this.op = op;
        this.inputs = inputs;
        this.tape = tape;
        this.gradMask = gradMask;
        this.mutations = Tensor.mutations();
        this.versionSum = versionSum(inputs);
    }

    private static long versionSum(Tensor[] inputs) {
        long v = 0;
        for (Tensor x : inputs) v += x.version();
        return v;
    }

    /** {@return the primitive applied} */
    public Primitive op() {
        return op;
    }

    /** {@return the number of inputs} */
    public int arity() {
        return inputs.length;
    }

    /**
     * {@return input {@code i} as it was recorded}
     *
     * @param i the input's index, from 0 to {@link #arity()} − 1
     */
    public Tensor input(int i) {
        return inputs[i];
    }

    /** {@return all inputs} This is the array the op was applied to, not a copy: do not modify it. */
    public Tensor[] inputs() {
        return inputs;
    }

    /** {@return the output} */
    public Tensor output() {
        return output;
    }

    /**
     * Whether input {@code i} needs a cotangent: it is a variable or was computed from one on this
     * tape. A VJP may return null for inputs that do not, and skip computing them.
     *
     * @param i the input's index, from 0 to {@link #arity()} − 1
     * @return true when input i needs a cotangent (always, for i ≥ 64)
     */
    public boolean needsGrad(int i) {
        return i >= 64 || (gradMask & (1L << i)) != 0;
    }

    long gradMask() {
        return gradMask;
    }

    /**
     * A buffer a VJP may write its cotangent for input {@code i} into, instead of returning a new tensor; or
     * null. Non-null only while a {@link Tape#backward} pass (not a recorded one) runs, for an input that is
     * a variable whose gradient buffer was kept by {@link Tensor#recycleGrad()} and that has received no
     * cotangent yet in this pass. A VJP that takes it must overwrite every element of it with the cotangent
     * (its previous contents are stale, not zero) and return this very tensor for input {@code i}; the
     * engine then treats it exactly as a new tensor with those values, so the gradient's bits do not depend
     * on whether the buffer was used. Asking and not using it is allowed. For ops that produce a cotangent
     * as large as a weight matrix (a matrix product's {@code Gᵀ X}), this saves allocating it every step.
     *
     * @param i the input
     * @return the buffer, of input {@code i}'s shape, or null
     */
    public Tensor gradInto(int i) {
        return needsGrad(i) ? tape.gradInto(inputs[i]) : null;
    }

    /**
     * Whether the VJP now running may overwrite {@code g}, the cotangent it was given, and use its array as
     * scratch (for {@code G ⊙ φ'} in place, say): true only when {@code g} is that very tensor, the pass is not
     * recorded, and nothing but this node's entry refers to g's array (a new array that one VJP made for
     * this node alone, or the pass's own sum of several; never a seed, a gradient asked for, an input or an
     * output). A VJP may also return g for one of its inputs after overwriting it.
     *
     * @param g the cotangent the VJP was given
     * @return whether writing g changes nothing the caller or the rest of the pass can see
     */
    public boolean mayOverwrite(Tensor g) {
        return tape.mayOverwrite(g);
    }

    /**
     * Hands {@code g}, the cotangent the running VJP was given and has finished with, to this thread's
     * reuse pool ({@link Allocation#reusable}), when {@link #mayOverwrite} allows writing it. The VJP must
     * not keep it, nor return it or a view of it (if it does, the engine does not pool it). For a training
     * loop this turns one step's dead cotangent arrays into the next step's products.
     *
     * @param g the cotangent the VJP was given
     */
    public void recycle(Tensor g) {
        tape.recycle(g);
    }

    /**
     * Whether the backward pass now running is itself being recorded (for gradients of gradients).
     * When true, the VJP must not use raw saved data that depends smoothly on the inputs.
     *
     * @return true during a backward pass with {@code createGraph}
     */
    public boolean creatingGraph() {
        return tape.creatingGraph;
    }

    /**
     * {@return whether a backward pass has released this node} A released node has let go of its inputs and
     * saved values; differentiating through it again throws.
     */
    public boolean isReleased() {
        return released;
    }

    /** {@return the line of user code that created this node} Null unless anomaly mode was on. */
    public StackTraceElement site() {
        return site;
    }

    void checkUsable() {
        if (released) {
            throw new IllegalStateException("backward: reached op '" + op.name() + "' (output shape "
                    + Shapes.str(output.shapeRef()) + ") whose tape was released by an earlier backward pass. "
                    + "Open the tape with Tape.openRetained() to differentiate more than once, or detach() "
                    + "tensors carried from one backward pass to the next (such as an RNN state)");
        }
        if (mutations != Tensor.mutations() && versionSum(inputs) + output.version() != versionSum) {
            throw new IllegalStateException("backward: op '" + op.name() + "' was recorded before an in-place update "
                    + "of " + updated() + " (through the tensor itself or one sharing its storage: a view, a detached "
                    + "alias, a grad buffer); its gradient would use the new values. Update parameters only after "
                    + "backward, or copy() the tensor before using it");
        }
    }

    /** Adds the output's version once the output is known (the engine calls it when recording). */
    void recordOutputVersion() {
        versionSum += output.version();
    }

    /**
     * The inputs and output whose storage has had updates at all: the suspects (only the sum of the versions
     * at recording was kept, to spare every op an array).
     */
    private String updated() {
        StringBuilder which = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].version() != 0) which.append(which.length() == 0 ? "its " : " or ").append("input ").append(i);
        }
        if (output.version() != 0) which.append(which.length() == 0 ? "" : " or ").append("its output");
        return which.toString();
    }

    private static final Tensor[] NO_INPUTS = new Tensor[0];

    /** Drops the references to inputs and saved values: that is what frees the activations. */
    void release() {
        released = true;
        clearSaved();
        inputs = NO_INPUTS;
    }

    String describe() {
        return "op '" + op.name() + "'" + (site != null ? " created at " + site : "");
    }
}
