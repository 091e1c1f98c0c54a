package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.rtrl.Rtrl;
import java.io.Serializable;

/**
 * The rnn algorithm a task runs over its batch of sequences: full BPTT, chunked truncated BPTT(k) or exact RTRL
 * (forward mode, the fast kernel for the vanilla RNN and the LSTM, else the generic one). All start from the zero
 * state; each returns the gradient of {@code L = Σ_t ℓ_t} for the batch (truncated, for TBPTT).
 *
 * @serial exclude
 */
public final class RecurrentMethod implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { BPTT, TBPTT, RTRL }

    private final Kind kind;
    private final int k;

    private RecurrentMethod(Kind kind, int k) {
        this.kind = kind;
        this.k = k;
    }

    /**
     * Full backpropagation through time ({@link Bptt#gradient}).
     *
     * @return the method
     */
    public static RecurrentMethod bptt() {
        return new RecurrentMethod(Kind.BPTT, 0);
    }

    /**
     * Chunked truncated BPTT(k) without updates between chunks ({@link Tbptt#chunked}).
     *
     * @param k the chunk length, &gt;= 1
     * @return the method
     */
    public static RecurrentMethod tbptt(int k) {
        if (k < 1) throw new IllegalArgumentException("recurrentMethod.tbptt: truncation k must be at least 1, got " + k);
        return new RecurrentMethod(Kind.TBPTT, k);
    }

    /**
     * Exact real-time recurrent learning ({@link Rtrl#gradient}).
     *
     * @return the method
     */
    public static RecurrentMethod rtrl() {
        return new RecurrentMethod(Kind.RTRL, 0);
    }

    /**
     * Runs the algorithm.
     *
     * @param net  the network
     * @param xs   the inputs per step, each {@code [batch, m]}
     * @param loss the step losses
     * @return the gradient and the loss
     */
    public SequenceGradient gradient(RecurrentNet net, Tensor[] xs, StepLoss loss) {
        switch (kind) {
            case BPTT:
                return Bptt.gradient(net, null, xs, loss);
            case TBPTT:
                return Tbptt.chunked(net, null, xs, loss, k, null);
            default:
                return Rtrl.gradient(net, xs, loss);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.TBPTT ? "tbptt(" + k + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
