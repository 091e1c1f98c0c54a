package dev.wengert.nn;

import dev.wengert.core.Tensor;
import dev.wengert.ops.Nonlinearity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after another. Layers that are {@link Module}s are registered as sub-modules named
 * by their position ({@code 0.weight}, {@code 2.bias}), so their parameters are the sequence's.
 *
 * <p>A {@link Linear} layer followed by an element-wise {@link Activation} (identity, tanh, ReLU, sigmoid)
 * runs as one fused op ({@code Ops.linear}): the same values and gradients, bit for bit, with one array
 * where the two layers make three, and the weight gradient written into the weight's recycled buffer.
 */
public final class Sequential extends Module implements Layer {
    private final List<Layer> layers = new ArrayList<>();

    /**
     * The layers in order (more can be {@link #add added}).
     *
     * @param layers the layers, none null
     */
    public Sequential(Layer... layers) {
        if (layers == null) throw new NullPointerException("sequential: the layers array is null");
        for (Layer l : layers) add(l);
    }

    /**
     * Appends a layer; returns this.
     *
     * @param layer the layer, not null; a {@link Module} becomes the sub-module named by its position
     * @return this sequence
     */
    public Sequential add(Layer layer) {
        if (layer == null) throw new NullPointerException("sequential: layer " + layers.size() + " is null");
        if (layer instanceof Module) addModule(Integer.toString(layers.size()), (Module) layer);
        layers.add(layer);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Nonlinearity next = i + 1 < layers.size() && layers.get(i + 1) instanceof Activation
                    ? ((Activation) layers.get(i + 1)).fusable() : null;
            if (l instanceof Linear && next != null) {
                // A layer and its element-wise activation as one op: the same bits, fewer arrays.
                x = ((Linear) l).forward(x, next);
                i++;
            } else {
                x = l.forward(x);
            }
        }
        return x;
    }

    /** {@return the layers, in order} An unmodifiable view. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }
}
