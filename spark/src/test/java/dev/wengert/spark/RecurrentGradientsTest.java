package dev.wengert.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Loss;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recurrent gradients over partitions against rnn's algorithms on the whole batch on one machine. */
class RecurrentGradientsTest {
    private static final double TOLERANCE = 1e-12;
    private static final int M = 3;
    private static final int N = 5;
    private static final int OUT = 2;
    private static final int T = 7;
    private static final int SEQUENCES = 10;

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]", "RecurrentGradientsTest");
        sc = SparkTestSession.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static ModelFactory<RecurrentNet> rnn() {
        return () -> {
            Random rng = new Random(17);
            return RecurrentNet.withReadout(new RnnCell(M, N, rng), OUT, rng);
        };
    }

    private static ModelFactory<RecurrentNet> lstm() {
        return () -> {
            Random rng = new Random(19);
            return RecurrentNet.withReadout(new LstmCell(M, N, rng), OUT, rng);
        };
    }

    /** Sequences with a loss at every other step; one-hot targets when {@code oneHot}, else Gaussian ones. */
    private static List<SequenceExample> sequences(long seed, boolean oneHot) {
        Random rng = new Random(seed);
        List<SequenceExample> out = new ArrayList<>();
        for (int s = 0; s < SEQUENCES; s++) {
            double[][] x = new double[T][M];
            double[][] y = new double[T][];
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < M; j++) x[t][j] = rng.nextGaussian();
                if (t % 2 == 1) {
                    y[t] = new double[OUT];
                    if (oneHot) y[t][rng.nextInt(OUT)] = 1;
                    else for (int j = 0; j < OUT; j++) y[t][j] = rng.nextGaussian();
                }
            }
            out.add(new SequenceExample(x, y));
        }
        return out;
    }

    /** The whole batch as rnn takes it: inputs and targets per step, and nn's summed loss. */
    private static Tensor[] inputs(List<SequenceExample> seqs) {
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) {
            double[] d = new double[SEQUENCES * M];
            for (int i = 0; i < SEQUENCES; i++) System.arraycopy(seqs.get(i).inputs()[t], 0, d, i * M, M);
            xs[t] = Tensor.of(d, SEQUENCES, M);
        }
        return xs;
    }

    private static StepLoss loss(List<SequenceExample> seqs, boolean crossEntropy) {
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) {
            if (seqs.get(0).targets()[t] == null) continue;
            double[] d = new double[SEQUENCES * OUT];
            for (int i = 0; i < SEQUENCES; i++) System.arraycopy(seqs.get(i).targets()[t], 0, d, i * OUT, OUT);
            targets[t] = Tensor.of(d, SEQUENCES, OUT);
        }
        return (t, y) -> targets[t] == null ? null : crossEntropy ? Loss.crossEntropy(y, targets[t], Loss.Reduction.SUM)
                : Loss.squared(y, targets[t], Loss.Reduction.SUM);
    }

    private static void assertClose(SequenceGradient reference, SequenceGradient got) {
        double err = got.relativeError(reference);
        assertTrue(err <= TOLERANCE, "relative error " + err);
        assertEquals(reference.loss(), got.loss(), TOLERANCE * Math.abs(reference.loss()));
        assertTrue(reference.relativeError(new SequenceGradient(0, zeros(reference), null)) > 0, "a zero gradient");
    }

    private static List<Tensor> zeros(SequenceGradient g) {
        List<Tensor> z = new ArrayList<>();
        for (Tensor t : g.gradients()) z.add(Tensor.zeros(t.shape()));
        return z;
    }

    private static SequenceGradient spark(ModelFactory<RecurrentNet> f, List<SequenceExample> seqs, int partitions,
            RecurrentMethod method, SequenceLoss loss) {
        return RecurrentGradients.compute(sc, f.create(), f, sc.parallelize(seqs, partitions), method, loss, Aggregation.TREE);
    }

    @Test
    void bpttOverPartitionsIsTheWholeBatchsBptt() {
        List<SequenceExample> seqs = sequences(1, false);
        SequenceGradient reference = Bptt.gradient(rnn().create(), null, inputs(seqs), loss(seqs, false));
        assertClose(reference, spark(rnn(), seqs, 3, RecurrentMethod.bptt(), SequenceLoss.SQUARED_ERROR));
    }

    @Test
    void tbpttOverPartitionsIsTheWholeBatchsTbptt() {
        List<SequenceExample> seqs = sequences(2, false);
        SequenceGradient reference = Tbptt.chunked(rnn().create(), null, inputs(seqs), loss(seqs, false), 3, null);
        assertClose(reference, spark(rnn(), seqs, 4, RecurrentMethod.tbptt(3), SequenceLoss.SQUARED_ERROR));
        SequenceGradient full = Bptt.gradient(rnn().create(), null, inputs(seqs), loss(seqs, false));
        assertTrue(reference.relativeError(full) > 1e-6, "the truncation made no difference: a weak test");
    }

    @Test
    void exactRtrlOverPartitionsIsTheWholeBatchsRtrl() {
        List<SequenceExample> seqs = sequences(3, true);
        SequenceGradient reference = Rtrl.gradient(lstm().create(), inputs(seqs), loss(seqs, true));
        assertClose(reference, spark(lstm(), seqs, 3, RecurrentMethod.rtrl(), SequenceLoss.CROSS_ENTROPY));
        SequenceGradient vanilla = Rtrl.gradient(rnn().create(), inputs(seqs), loss(seqs, true));
        assertClose(vanilla, spark(rnn(), seqs, 2, RecurrentMethod.rtrl(), SequenceLoss.CROSS_ENTROPY));
    }

    @Test
    void sequencesOfDifferentLengthsAreNamed() {
        List<SequenceExample> seqs = new ArrayList<>(sequences(4, false));
        seqs.set(1, new SequenceExample(new double[][] {{1, 2, 3}}, new double[][] {{1, 0}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spark(rnn(), seqs, 1, RecurrentMethod.bptt(), SequenceLoss.SQUARED_ERROR));
        assertTrue(e.getMessage().startsWith("recurrentGradients: a sequence of 1 steps of width 3 among sequences of 7 steps"),
                e.getMessage());
    }
}
