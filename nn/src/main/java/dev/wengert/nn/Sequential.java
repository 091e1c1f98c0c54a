package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after another. Layers that are {@link Module}s are registered as sub-modules named
 * by their position ({@code 0.weight}, {@code 2.bias}), so their parameters are the sequence's.
 */
public final class Sequential extends Module implements Layer {
    private final List<Layer> layers = new ArrayList<>();

    /** The layers in order (more can be {@link #add added}). */
    public Sequential(Layer... layers) {
        if (layers == null) throw new NullPointerException("sequential: the layers array is null");
        for (Layer l : layers) add(l);
    }

    /** Appends a layer; returns this. */
    public Sequential add(Layer layer) {
        if (layer == null) throw new NullPointerException("sequential: layer " + layers.size() + " is null");
        if (layer instanceof Module) addModule(Integer.toString(layers.size()), (Module) layer);
        layers.add(layer);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Layer l : layers) x = l.forward(x);
        return x;
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }
}
