package dev.wengert.nn;

import dev.wengert.core.Tensor;

/** A function of one tensor, usually a {@link Module} with parameters: the unit {@link Sequential} chains. */
@FunctionalInterface
public interface Layer {
    /**
     * Applies the layer to a batch {@code x} (the first axis indexes examples).
     *
     * @param x the batch, {@code [batch, ...]}
     * @return the output, a new tensor (recorded when a tape records and x or a parameter is tracked)
     */
    Tensor forward(Tensor x);
}
