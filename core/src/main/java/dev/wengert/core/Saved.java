package dev.wengert.core;

/**
 * Where a primitive's forward pass leaves what its VJP or JVP will need beyond the inputs and the
 * output (an argmax, a mask, a softmax). A recorded application saves into its {@link Node}; an
 * application that nothing will differentiate gets {@link #DISCARD}, so forward passes never pay for
 * saving in plain evaluation.
 *
 * <p>Save only what cannot be had cheaply from the inputs and the output ({@code exp} reuses its
 * output, {@code g * y}). A saved value that is raw data rather than a recorded tensor is a constant
 * to the engine: a VJP may use it when {@link Node#creatingGraph()} is false, and must recompute it
 * with primitives otherwise, so that gradients of gradients stay exact.
 */
public class Saved {
    /** The sink for applications that are neither recorded nor in forward mode: saving is a no-op. */
    public static final Saved DISCARD = new Saved() {
        @Override
        public void put(Object value) {}
    };

    private Object value;

    /** A fresh holder (the engine makes these; primitives only {@link #put} and {@link #get}). */
    protected Saved() {}

    static Saved fresh() {
        return new Saved();
    }

    /**
     * Keeps {@code value} for the backward or tangent pass of this application.
     *
     * @param value anything the rules need (an array, a tensor, a mask); kept by reference, not copied
     */
    public void put(Object value) {
        this.value = value;
    }

    /**
     * What forward saved, or null.
     *
     * @param <T> the type forward saved; the cast is unchecked, so the primitive must ask for what it put
     * @return the value of the last {@link #put}, or null when nothing was saved (or it was discarded)
     */
    @SuppressWarnings("unchecked")
    public <T> T get() {
        return (T) value;
    }

    void clearSaved() {
        value = null;
    }
}
