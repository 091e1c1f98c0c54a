package dev.wengert.rnn.approx;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;

/**
 * How close an approximate gradient (SnAp-1, UORO, or any learner) is to the exact one, on one sequence
 * with fixed parameters: the cosine similarity {@code <g̃, g> / (‖g̃‖ ‖g‖)} and the normwise relative error,
 * over the recurrent (cell) parameters only (the readout's gradient is exact in every learner, so
 * including it would flatter the approximations) and over all parameters.
 */
public final class ApproximationQuality {
    private final double cosineRecurrent;
    private final double cosineAll;
    private final double relativeErrorRecurrent;

    private ApproximationQuality(double cosineRecurrent, double cosineAll, double relativeErrorRecurrent) {
        this.cosineRecurrent = cosineRecurrent;
        this.cosineAll = cosineAll;
        this.relativeErrorRecurrent = relativeErrorRecurrent;
    }

    /**
     * Runs {@code approx} over {@code xs} from the zero state and compares its summed gradient with the
     * exact gradient by BPTT.
     *
     * @param approx the learner, at its current parameters and batch size; it is run (its state advances)
     * @param xs     the inputs, one {@code [batch, m]} tensor per step
     * @param loss   the loss of each step
     * @return the comparison
     */
    public static ApproximationQuality measure(ForwardLearner approx, Tensor[] xs, StepLoss loss) {
        SequenceGradient exact = Bptt.gradient(approx.net(), approx.net().initialState(approx.batch()), xs, loss);
        return compare(ForwardLearner.run(approx, xs, loss), exact, approx.net());
    }

    /**
     * Compares an estimate with the exact gradient of the same network.
     *
     * @param estimate the approximate gradient
     * @param exact    the exact gradient, from BPTT on the same sequence
     * @param net      the network both gradients belong to, for the split between cell and readout
     * @return the comparison
     */
    public static ApproximationQuality compare(SequenceGradient estimate, SequenceGradient exact, RecurrentNet net) {
        int cellTensors = net.cellTensors();
        double[] a = SequenceGradient.flatten(estimate.gradients().subList(0, cellTensors));
        double[] b = SequenceGradient.flatten(exact.gradients().subList(0, cellTensors));
        return new ApproximationQuality(SequenceGradient.cosine(a, b), estimate.cosine(exact),
                SequenceGradient.relativeError(a, b));
    }

    /** {@return the cosine similarity over the cell's parameters} 1 for the exact direction. */
    public double cosine() {
        return cosineRecurrent;
    }

    /** {@return the cosine similarity over all parameters (readout included)} */
    public double cosineAll() {
        return cosineAll;
    }

    /** {@return the normwise relative error over the cell's parameters, {@code ‖g̃ − g‖ / ‖g‖}} */
    public double relativeError() {
        return relativeErrorRecurrent;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "cosine %.4f (all parameters %.4f), relative error %.3g",
                cosineRecurrent, cosineAll, relativeErrorRecurrent);
    }
}
