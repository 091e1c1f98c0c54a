package dev.wengert.rnn.rtrl;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.MemoryGuard;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.internal.Sequences;
import dev.wengert.rnn.online.OnlineLearning;

/**
 * Exact real-time recurrent learning (RTRL): forward-mode differentiation of the recurrence
 * <pre>  ∇_θ L = Σ_t (∂ℓ_t/∂h_t) M_t,    M_t = ∂h_t/∂θ = ∂h_t/∂θ_t + (∂h_t/∂h_{t−1}) M_{t−1}</pre>
 * Memory is the influence matrix, {@code stateSize × p} per sequence, independent of T; time per step is
 * O(n²p) = O(n⁴) for the vanilla RNN, against O(n²) for BPTT. The gradient of every step's loss is
 * available as soon as the step is taken, so parameters can be updated online ({@link OnlineLearning}).
 *
 * <p>Two implementations: {@link GenericRtrl} for any cell built from ops (forward mode over the recorded
 * step, with one tangent direction per unit rather than per parameter wherever the parameters enter through
 * products and elementwise terms, so that its step costs the same product as the fast kernels'), and the
 * hand-written kernels {@link RnnRtrl} and {@link LstmRtrl}. {@link #exact} picks a hand-written one when there
 * is one. All refuse, before allocating, to run when the influence matrix would not fit in the heap
 * ({@link MemoryGuard}).
 */
public final class Rtrl {
    private Rtrl() {}

    /**
     * The fastest exact RTRL learner for the network's cell: a fast kernel when one exists, else the generic one.
     *
     * @param net   the network
     * @param batch the number of sequences per step
     * @return an {@link RnnRtrl} for an {@link RnnCell}, an {@link LstmRtrl} for an {@link LstmCell}, else a
     *         {@link GenericRtrl}
     * @throws NullPointerException     when net is null
     * @throws IllegalArgumentException when batch is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices would not fit in the heap
     */
    public static ForwardLearner exact(RecurrentNet net, int batch) {
        if (net == null) throw new NullPointerException("rtrl: the network is null");
        if (net.cell() instanceof RnnCell) return new RnnRtrl(net, batch);
        if (net.cell() instanceof LstmCell) return new LstmRtrl(net, batch);
        return new GenericRtrl(net, batch);
    }

    /**
     * Exact RTRL through forward mode on the cell's ops, for any cell.
     *
     * @param net   the network
     * @param batch the number of sequences per step
     * @return a {@link GenericRtrl}
     * @throws NullPointerException     when net is null
     * @throws IllegalArgumentException when batch is not positive
     * @throws MemoryGuard.InsufficientMemoryException when the influence matrices or a step's tangents would not
     *                                  fit in the heap
     */
    public static ForwardLearner generic(RecurrentNet net, int batch) {
        return new GenericRtrl(net, batch);
    }

    /**
     * The exact gradient of {@code L = Σ_t ℓ_t} over {@code xs} from the zero state, by {@link #exact} RTRL.
     *
     * @param net  the network
     * @param xs   the inputs, one {@code [batch, m]} tensor per step
     * @param loss the loss of each step
     * @return the summed gradient, aligned with the network's parameters, with the summed loss and final state
     * @throws NullPointerException     when net or loss is null
     * @throws IllegalArgumentException when xs is empty
     * @throws dev.wengert.core.ShapeException naming the step and the shapes, when an input is not
     *                                  {@code [batch, m]} with the batch of {@code xs[0]}
     */
    public static SequenceGradient gradient(RecurrentNet net, Tensor[] xs, StepLoss loss) {
        Sequences.checkInputs("rtrl", net, xs, loss);
        return ForwardLearner.run(exact(net, xs[0].dim(0)), xs, loss);
    }

    /** Checks a sequence index of a learner's batch: {@code "RnnRtrl.influence: sequence 3 of a batch of 2"}. */
    static void checkSequence(String op, int b, int batch) {
        if (b < 0 || b >= batch) {
            throw new IndexOutOfBoundsException(op + ": sequence " + b + " of a batch of " + batch);
        }
    }
}
