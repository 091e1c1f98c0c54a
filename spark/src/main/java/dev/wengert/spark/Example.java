package dev.wengert.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training example: input features, a class label (or {@link #NO_LABEL}) and a target row (or null). The arrays
 * are not copied; do not change them after handing them to Spark.
 *
 * @param features the inputs x, one per feature
 * @param label    the class, {@code >= 0}, or {@link #NO_LABEL}
 * @param target   the regression or code target, or null
 * @serial exclude
 */
public record Example(double[] features, int label, double[] target) implements Serializable {
    /** The label of an example without one. */
    public static final int NO_LABEL = -1;

    /**
     * Checks the arguments.
     *
     * @param features the inputs x
     * @param label    the class or {@link #NO_LABEL}
     * @param target   the target or null
     * @throws NullPointerException     when the features are null
     * @throws IllegalArgumentException when neither a label nor a target is given, or the label is negative
     */
    public Example {
        if (features == null) throw new NullPointerException("example: the features are null");
        if (label < NO_LABEL) throw new IllegalArgumentException("example: label " + label + " is negative");
        if (label == NO_LABEL && target == null) {
            throw new IllegalArgumentException("example: needs a label or a target, got neither");
        }
    }

    /**
     * An example with a class label.
     *
     * @param features the inputs
     * @param label    the class, {@code >= 0}
     * @return the example
     */
    public static Example labelled(double[] features, int label) {
        if (label < 0) throw new IllegalArgumentException("example.labelled: label " + label + " is negative");
        return new Example(features, label, null);
    }

    /**
     * An example with a target row.
     *
     * @param features the inputs
     * @param target   the target
     * @return the example
     */
    public static Example withTarget(double[] features, double[] target) {
        if (target == null) throw new NullPointerException("example.withTarget: the target is null");
        return new Example(features, NO_LABEL, target);
    }

    /**
     * Whether it has a class label.
     *
     * @return {@code label != NO_LABEL}
     */
    public boolean hasLabel() {
        return label != NO_LABEL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && label == e.label && Arrays.equals(features, e.features)
                && Arrays.equals(target, e.target);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(features) + label) + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "Example[" + features.length + " features" + (hasLabel() ? ", label " + label : "")
                + (target == null ? "" : ", target of " + target.length) + "]";
    }
}
