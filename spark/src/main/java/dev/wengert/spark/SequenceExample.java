package dev.wengert.spark;

import java.io.Serializable;

/**
 * One sequence of a recurrent task: inputs {@code x_t} of width m for steps {@code t < T}, and a target row per step
 * (null where the step has no loss). The arrays are not copied.
 *
 * @param inputs  {@code [T][m]}
 * @param targets {@code [T][k]}, a row null for a step without loss
 * @serial exclude
 */
public record SequenceExample(double[][] inputs, double[][] targets) implements Serializable {
    /**
     * Checks the shapes.
     *
     * @param inputs  {@code [T][m]}
     * @param targets {@code [T][k]}, rows null where there is no loss
     * @throws NullPointerException     when an array or an input row is null
     * @throws IllegalArgumentException naming the step whose row has another width, or a sequence without steps
     */
    public SequenceExample {
        if (inputs == null) throw new NullPointerException("sequenceExample: the inputs are null");
        if (targets == null) throw new NullPointerException("sequenceExample: the targets are null");
        if (inputs.length == 0) throw new IllegalArgumentException("sequenceExample: a sequence needs at least one step");
        if (targets.length != inputs.length) {
            throw new IllegalArgumentException("sequenceExample: " + inputs.length + " input steps but " + targets.length
                    + " target steps");
        }
        int m = -1;
        int k = -1;
        for (int t = 0; t < inputs.length; t++) {
            if (inputs[t] == null) throw new NullPointerException("sequenceExample: input step " + t + " is null");
            if (m < 0) m = inputs[t].length;
            if (inputs[t].length != m) {
                throw new IllegalArgumentException("sequenceExample: input step " + t + " has " + inputs[t].length
                        + " values, step 0 has " + m);
            }
            if (targets[t] == null) continue;
            if (k < 0) k = targets[t].length;
            if (targets[t].length != k) {
                throw new IllegalArgumentException("sequenceExample: target step " + t + " has " + targets[t].length
                        + " values, an earlier one has " + k);
            }
        }
    }

    /**
     * The number of steps T.
     *
     * @return T
     */
    public int length() {
        return inputs.length;
    }
}
