package dev.wengert.nn;

import dev.wengert.core.Tensor;

/**
 * A mini-batch: inputs {@code x} of shape {@code [n, features]}, the class labels (or null), the
 * targets of shape {@code [n, width]} (or null), and the rows of the dataset they came from.
 */
public record Batch(Tensor x, int[] labels, Tensor targets, int[] indices) {
    /** {@return the number of examples} The first size of {@code x}. */
    public int size() {
        return x.dim(0);
    }
}
