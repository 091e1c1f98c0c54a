package dev.wengert.rnn.bptt;

import static dev.wengert.ops.Ops.add;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.internal.GradientSum;
import dev.wengert.rnn.internal.Sequences;
import java.util.Arrays;
import java.util.List;

/**
 * BPTT with checkpointing (Griewank's √T schedule in its simplest form): the forward pass records
 * nothing and keeps only every s-th state ({@code s ≈ √T}); the backward pass walks the segments from
 * last to first, recomputes each segment's steps on a tape from its checkpoint, and backpropagates into
 * it the segment's losses plus the cotangent {@code ∂L/∂s_end} carried back from the segment after it.
 * The gradient is exactly that of full BPTT (the same op rules on the same values; only the order of
 * the floating-point sums of the parameter gradients differs), at the cost of one extra forward pass,
 * with at most {@code ⌈T/s⌉} checkpoints plus one segment of s steps alive at a time: about
 * {@code 2√T} states instead of T.
 */
public final class CheckpointedBptt {
    private CheckpointedBptt() {}

    /** The gradient and what the run kept alive. */
    public static final class Result {
        private final SequenceGradient gradient;
        private final int segment;
        private final int checkpoints;
        private final int peakRetainedStates;
        private final int peakTapeEntries;

        Result(SequenceGradient gradient, int segment, int checkpoints, int peakRetainedStates, int peakTapeEntries) {
            this.gradient = gradient;
            this.segment = segment;
            this.checkpoints = checkpoints;
            this.peakRetainedStates = peakRetainedStates;
            this.peakTapeEntries = peakTapeEntries;
        }

        /**
         * {@return the gradient: the loss, the parameter gradients and the final state} It is exactly that of
         * full BPTT up to the order of the sums.
         */
        public SequenceGradient gradient() {
            return gradient;
        }

        /** {@return the segment length s} */
        public int segment() {
            return segment;
        }

        /** {@return the number of states stored by the forward pass} */
        public int checkpoints() {
            return checkpoints;
        }

        /**
         * The largest number of step states alive at once, measured during the run: the checkpoints plus
         * the states recorded on the tape of the segment being recomputed (full BPTT keeps T).
         *
         * @return the count, in states
         */
        public int peakRetainedStates() {
            return peakRetainedStates;
        }

        /**
         * The largest number of entries on the tape at once (full BPTT: all T steps' entries).
         *
         * @return the count, in entries
         */
        public int peakTapeEntries() {
            return peakTapeEntries;
        }
    }

    /**
     * Checkpointed BPTT with segments of {@code ⌈√T⌉} steps.
     *
     * @param net  the network
     * @param s0   the initial state, or null for zeros; treated as a constant
     * @param xs   the inputs, at least one step
     * @param loss the loss of each step
     * @return the gradient and the memory figures
     */
    public static Result gradient(RecurrentNet net, Tensor[] s0, Tensor[] xs, StepLoss loss) {
        Sequences.checkInputs("checkpointed bptt", net, xs, loss);
        return gradient(net, s0, xs, loss, (int) Math.ceil(Math.sqrt(xs.length)));
    }

    /**
     * Checkpointed BPTT with segments of {@code segment} steps.
     *
     * @param net     the network
     * @param s0      the initial state, or null for zeros; treated as a constant
     * @param xs      the inputs, at least one step
     * @param loss    the loss of each step
     * @param segment the number of steps per segment, ≥ 1
     * @return the gradient and the memory figures
     */
    public static Result gradient(RecurrentNet net, Tensor[] s0, Tensor[] xs, StepLoss loss, int segment) {
        Sequences.checkInputs("checkpointed bptt", net, xs, loss);
        if (segment < 1) throw new IllegalArgumentException("checkpointed bptt: segment must be at least 1, got " + segment);
        int T = xs.length;
        int nseg = (T + segment - 1) / segment;
        Tensor[][] checkpoint = new Tensor[nseg][];
        Tensor[] s = s0 == null ? net.initialState(xs[0].dim(0)) : Sequences.detach(s0);
        double lossValue = 0;
        try (var p = Tape.pause()) {
            for (int t = 0; t < T; t++) {
                if (t % segment == 0) checkpoint[t / segment] = s;
                s = net.step(s, xs[t]);
                Tensor l = Bptt.lossAt(net, s, t, loss);
                if (l != null) lossValue += l.item();
            }
        }
        Tensor[] finalState = s;

        List<Tensor> params = net.parameters();
        GradientSum sum = new GradientSum(params);
        sum.loss = lossValue;
        Tensor[] cot = null; // ∂L/∂s at the end of the segment being processed
        int peakStates = 0;
        int peakTape = 0;
        for (int j = nseg - 1; j >= 0; j--) {
            int from = j * segment;
            int to = Math.min(T, from + segment);
            Tensor[] start = new Tensor[checkpoint[j].length];
            for (int i = 0; i < start.length; i++) start[i] = checkpoint[j][i].detach().requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor[] st = start;
                Tensor total = null;
                for (int t = from; t < to; t++) {
                    st = net.step(st, xs[t]);
                    Tensor l = Bptt.lossAt(net, st, t, loss);
                    if (l != null) total = total == null ? l : add(total, l);
                }
                // Alive now: checkpoints 0..j and the segment's recorded states.
                peakStates = Math.max(peakStates, (j + 1) + (to - from));
                peakTape = Math.max(peakTape, tape.size());
                Tensor[] g = Bptt.gradients(tape, params, total, st, cot, start);
                sum.add(Arrays.asList(g).subList(0, params.size()));
                cot = Arrays.copyOfRange(g, params.size(), g.length);
            }
            checkpoint[j] = null; // no longer needed: the next segment back starts from its own checkpoint
        }
        return new Result(sum.result(Sequences.detach(finalState)), segment, nseg, peakStates, peakTape);
    }
}
