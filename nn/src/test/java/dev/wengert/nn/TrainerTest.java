package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final long SEED = 17;

    @TempDir
    Path dir;

    /** Three Gaussian blobs in 2-D, labelled by blob (or by the next blob when {@code shifted}). */
    static Dataset blobs(int n, long seed, boolean shifted) {
        Random rng = new Random(seed);
        double[][] centres = {{0, 2}, {2, -1}, {-2, -1}};
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            x[i][0] = centres[c][0] + 0.7 * rng.nextGaussian();
            x[i][1] = centres[c][1] + 0.7 * rng.nextGaussian();
            y[i] = shifted ? (c + 1) % 3 : c;
        }
        return Dataset.of(Tensor.matrix(x), y);
    }

    private static Sequential net(long seed) {
        return Mlp.builder(2).hidden(16, Activation.relu()).dropout(0.2).hidden(16, Activation.tanh()).output(3)
                .init(Init.he(0.01)).build(new Random(seed));
    }

    private static final Trainer.LossFunction CE = (out, b) -> Loss.crossEntropy(out, b.labels());

    private static double[] flat(Module m) {
        return m.state().values().stream().flatMapToDouble(t -> Arrays.stream(t.data())).toArray();
    }

    @Test
    void seededRunsAreBitForBitReproducible() {
        Dataset data = blobs(300, SEED, false);
        double[][] params = new double[3][];
        long[] seeds = {SEED, SEED, SEED + 1};
        for (int k = 0; k < 3; k++) {
            Sequential m = net(seeds[k]);
            Trainer.of(m, new Adam(m.parameters(), 0.01), CE).epochs(3).batchSize(32).seed(seeds[k]).fit(data);
            params[k] = flat(m);
        }
        assertEquals(params[0].length, params[1].length);
        for (int i = 0; i < params[0].length; i++) {
            assertEquals(Double.doubleToRawLongBits(params[0][i]), Double.doubleToRawLongBits(params[1][i]), "element " + i);
        }
        assertFalse(Arrays.equals(params[0], params[2]), "another seed gives another run");
    }

    @Test
    void trainingLearnsTheBlobs() {
        Dataset train = blobs(600, SEED, false);
        Dataset test = blobs(600, SEED + 100, false);
        Sequential m = net(SEED);
        History h = Trainer.of(m, new Adam(m.parameters(), 0.01), CE).epochs(10).batchSize(32).seed(SEED).fit(train);
        assertTrue(h.trainLoss().get(9) < h.trainLoss().get(0) / 2, h.trainLoss().toString());
        assertTrue(Trainer.evaluate(m, test, CE, Metrics::argmax).accuracy() > 0.9);
        assertTrue(m.isTraining(), "training mode is restored");
    }

    /**
     * A validation set whose labels are the training labels shifted: the better the model fits the training
     * set, the worse it does on validation, so the first epoch is the best; training stops after the
     * patience and the first epoch's parameters come back (the same as a one-epoch run).
     */
    @Test
    void earlyStoppingStopsAfterThePatienceAndRestoresTheBestParameters() {
        Dataset train = blobs(300, SEED, false);
        Dataset val = blobs(200, SEED + 1, true);
        Sequential m = net(SEED);
        History h = Trainer.of(m, new Sgd(m.parameters(), 0.05), CE).epochs(30).batchSize(32).seed(SEED).validation(val)
                .patience(2).fit(train);
        assertTrue(h.stoppedEarly());
        assertEquals(h.bestEpoch() + 3, h.epochs(), "stops after 2 epochs without improvement");
        assertTrue(h.restoredBest());
        Sequential ref = net(SEED);
        Trainer.of(ref, new Sgd(ref.parameters(), 0.05), CE).epochs(h.bestEpoch() + 1).batchSize(32).seed(SEED).fit(train);
        assertArrayEquals(flat(ref), flat(m), 0, "the best epoch's parameters");
        double best = h.validationLoss().get(h.bestEpoch());
        assertEquals(best, Trainer.evaluate(m, val, CE, Metrics::argmax).loss(), 1e-12);
        for (double l : h.validationLoss()) assertTrue(l >= best);
    }

    @Test
    void scheduleProgressAndPlots() throws IOException {
        Dataset train = blobs(100, SEED, false);
        Sequential m = net(SEED);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Schedule s = Schedule.step(0.1, 0.5, 1);
        History h = Trainer.of(m, new Sgd(m.parameters(), 0.1), CE).epochs(3).batchSize(50).seed(SEED)
                .validation(blobs(50, SEED + 2, false)).schedule(s).name("blobs")
                .progress(new PrintStream(buf, true, StandardCharsets.UTF_8)).fit(train);
        assertEquals(List.of(0.1, 0.05, 0.025), h.learningRate());
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("blobs epoch 3/3: train loss"), text);
        assertTrue(text.contains("validation loss"), text);
        List<Path> files = h.plot(dir, "blobs");
        assertEquals(List.of(dir.resolve("blobs-loss.png"), dir.resolve("blobs-accuracy.png")), files);
        for (Path f : files) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(f), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, head, f.toString());
        }
    }

    @Test
    void aDivergingLossStopsWithAMessage() {
        Dataset train = blobs(100, SEED, false);
        Sequential m = net(SEED);
        Trainer.LossFunction explode = (out, b) -> dev.wengert.ops.Ops.mul(Loss.crossEntropy(out, b.labels()),
                Double.POSITIVE_INFINITY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.of(m, new Sgd(m.parameters(), 0.1), explode).epochs(1).fit(train));
        assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
        assertTrue(m.state() instanceof Map);
    }
}
