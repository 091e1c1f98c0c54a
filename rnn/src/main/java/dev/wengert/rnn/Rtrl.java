package dev.wengert.rnn;

import dev.wengert.core.Tensor;

/**
 * Exact real-time recurrent learning (RTRL): forward-mode differentiation of the recurrence, sheet 000,
 * eq. 5.1,
 * <pre>  ∇_θ L = Σ_t (∂ℓ_t/∂h_t) M_t,    M_t = ∂h_t/∂θ = ∂h_t/∂θ_t + (∂h_t/∂h_{t−1}) M_{t−1}</pre>
 * Memory is the influence matrix, {@code stateSize × p} per sequence, independent of T; time per step is
 * O(n²p) = O(n⁴) for the vanilla RNN, against O(n²) for BPTT. The gradient of every step's loss is
 * available as soon as the step is taken, so parameters can be updated online ({@link OnlineLearning}).
 *
 * <p>Two implementations: {@link GenericRtrl} for any cell built from ops (batched JVPs), and the fast
 * kernels {@link RnnRtrl} and {@link LstmRtrl}. {@link #exact} picks the fast one when there is one.
 * Both refuse, before allocating, to run when the influence matrix would not fit in the heap
 * ({@link MemoryGuard}).
 */
public final class Rtrl {
    private Rtrl() {}

    /** The fastest exact RTRL learner for the network's cell: a fast kernel when one exists, else the generic one. */
    public static ForwardLearner exact(RecurrentNet net, int batch) {
        if (net == null) throw new NullPointerException("rtrl: the network is null");
        if (net.cell() instanceof RnnCell) return new RnnRtrl(net, batch);
        if (net.cell() instanceof LstmCell) return new LstmRtrl(net, batch);
        return new GenericRtrl(net, batch);
    }

    /** Exact RTRL through batched forward-mode JVPs, for any cell. */
    public static ForwardLearner generic(RecurrentNet net, int batch) {
        return new GenericRtrl(net, batch);
    }

    /** The exact gradient of {@code L = Σ_t ℓ_t} over {@code xs} from the zero state, by {@link #exact} RTRL. */
    public static SequenceGradient gradient(RecurrentNet net, Tensor[] xs, StepLoss loss) {
        Bptt.checkInputs("rtrl", net, xs, loss);
        return ForwardLearner.run(exact(net, xs[0].dim(0)), xs, loss);
    }
}
