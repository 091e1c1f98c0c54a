package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import static dev.wengert.ops.Ops.add;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import java.util.Locale;
import java.util.Random;

/**
 * What checkpointed BPTT keeps alive, measured: for a tanh RNN (m = 8, n = 32, batch 1, loss Σ‖h_t‖²) and
 * growing T, the peak number of step states retained and the peak tape length, against full BPTT's tape,
 * and the relative difference of the two gradients.
 *
 * <p>Options: {@code lengths} (16,64,256,1024,4096).
 */
public final class Checkpointing {
    private Checkpointing() {}

    /**
     * Prints, for each length, the memory of checkpointed BPTT against full BPTT and their agreement.
     *
     * @param args {@code key=value} options: {@code lengths=16,64,256,1024,4096} (the default)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        Random rng = new Random(1);
        RecurrentNet net = new RecurrentNet(new RnnCell(8, 32, rng));
        StepLoss loss = StepLoss.sumOfSquares();
        System.out.printf(Locale.ROOT, "%6s %8s %12s %14s %16s %16s %12s%n", "T", "segment", "checkpoints",
                "peak states", "peak tape (ckpt)", "tape (full BPTT)", "rel. error");
        for (String s : a.string("lengths", "16,64,256,1024,4096").split(",")) {
            int T = Integer.parseInt(s.trim());
            Tensor[] xs = new Tensor[T];
            for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, 1, 8);
            CheckpointedBptt.Result r = CheckpointedBptt.gradient(net, null, xs, loss);
            SequenceGradient full = Bptt.gradient(net, null, xs, loss);
            int fullTape;
            Tensor[] st = net.initialState(1);
            try (Tape tape = Tape.open()) {
                Tensor total = null;
                for (int t = 0; t < T; t++) {
                    st = net.step(st, xs[t]);
                    Tensor l = loss.at(t, st[0]);
                    total = total == null ? l : add(total, l);
                }
                fullTape = tape.size();
            }
            System.out.printf(Locale.ROOT, "%6d %8d %12d %14d %16d %16d %12.1e%n", T, r.segment(), r.checkpoints(),
                    r.peakRetainedStates(), r.peakTapeEntries(), fullTape, r.gradient().relativeError(full));
        }
    }
}
