package dev.wengert.rnn.internal;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.RecurrentNet;
import java.util.List;

/**
 * The package-private hooks of {@link Cell} and {@link RecurrentNet} that the gradient algorithms in other
 * packages call: a cell's parameter array, its fused sequence op, the readout's parameters. They stay
 * package-private on the classes themselves (a user of a cell never sees them); {@code dev.wengert.rnn}
 * installs the one {@link Bridge} to them when {@link Cell} is initialised. Internal, not API.
 */
public final class Hooks {
    private Hooks() {}

    /** The hooks, implemented in {@code dev.wengert.rnn}. */
    public interface Bridge {
        /**
         * {@return the cell's parameter tensors in order} The live tensors, not copies; do not modify the array.
         *
         * @param cell the cell
         */
        Tensor[] params(Cell cell);

        /**
         * {@return whether the cell has a fused sequence op}
         *
         * @param cell the cell
         */
        boolean hasFusedSequence(Cell cell);

        /**
         * All steps of a sequence as one fused op, with the cell's own parameters.
         *
         * @param cell  the cell, one with a fused sequence op
         * @param state the state before the first step (detached)
         * @param xs    the inputs {@code [T, B, m]}
         * @return the states after each step, {@code [parts, T, B, n]} flattened part by part, or
         *     {@code [T, B, n]} for a one-part state
         */
        Tensor sequence(Cell cell, Tensor[] state, Tensor xs);

        /**
         * {@return the readout's parameters, in the order of the network's parameters after the cell's}
         *
         * @param net the network
         */
        List<Tensor> readoutParameters(RecurrentNet net);
    }

    private static volatile Bridge bridge;

    /**
     * Installs the bridge; called once, by {@link Cell}'s static initialiser.
     *
     * @param b the bridge
     * @throws IllegalStateException when a bridge is installed already
     */
    public static synchronized void install(Bridge b) {
        if (bridge != null) throw new IllegalStateException("rnn hooks installed twice");
        bridge = b;
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(Cell.class.getName(), true, Cell.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }

    /**
     * {@return the cell's parameter tensors in order} The live tensors, not copies; do not modify the array.
     *
     * @param cell the cell
     */
    public static Tensor[] params(Cell cell) {
        return bridge().params(cell);
    }

    /**
     * {@return whether the cell has a fused sequence op} BPTT then records a whole segment as one node.
     *
     * @param cell the cell
     */
    public static boolean hasFusedSequence(Cell cell) {
        return bridge().hasFusedSequence(cell);
    }

    /**
     * All steps of a sequence as one fused op, with the cell's own parameters.
     *
     * @param cell  the cell, one with {@link #hasFusedSequence(Cell)}
     * @param state the state before the first step (detached)
     * @param xs    the inputs {@code [T, B, m]}
     * @return the states after each step, {@code [parts, T, B, n]} flattened part by part, or {@code [T, B, n]}
     *     for a one-part state
     */
    public static Tensor sequence(Cell cell, Tensor[] state, Tensor xs) {
        return bridge().sequence(cell, state, xs);
    }

    /**
     * {@return the readout's parameters (none without a readout)}
     *
     * @param net the network
     */
    public static List<Tensor> readoutParameters(RecurrentNet net) {
        return bridge().readoutParameters(net);
    }
}
