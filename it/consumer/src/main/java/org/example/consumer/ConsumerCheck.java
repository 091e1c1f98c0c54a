package org.example.consumer;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.History;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Metrics;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.ops.kernel.MathKernels;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.Rtrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * What a user of the installed artifacts does first, checked: an MLP trained on a {@link Dataset} made from
 * its own arrays (the loss must fall), saved to a safetensors file and loaded into a fresh model (the outputs
 * must be equal), and a recurrent net's gradient by BPTT and by RTRL (equal) with one optimiser step (the loss
 * must fall); on the way, the optional parts: progress output, plotting without XChart (a clear error), and a
 * tensor large enough to be measured against the heap. Prints {@code consumer OK (classpath|modulepath) ...} and exits 0, or exits 1 saying what failed.
 *
 * <p>Compiled twice: as class-path code in {@code it/consumer}, and as the named module
 * {@code org.example.consumer} in {@code it/consumer-jpms}. Used by {@code it/run-consumer.sh}.
 */
public final class ConsumerCheck {
    private ConsumerCheck() {
    }

    /**
     * Runs the checks.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try {
            String mode = ConsumerCheck.class.getModule().isNamed() ? "modulepath" : "classpath";
            String mlp = mlp();
            String rnn = rnn();
            String big = largeTensor();
            // After the training: whatever picked the kernels, the fallback notice (if any) is out once by now.
            System.out.println("consumer OK (" + mode + ") module=" + ConsumerCheck.class.getModule().getName()
                    + " wengert-module=" + Tensor.class.getModule().getName() + "; " + mlp + "; " + rnn + "; " + big
                    + "; gemm=" + Gemm.implementation() + "; elementwise="
                    + (MathKernels.vectorized() ? "vector" : "scalar"));
        } catch (Throwable t) {
            System.out.println("consumer FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    /** Trains a 4-16-3 MLP on three Gaussian blobs, saves it, loads it into a fresh one. */
    private static String mlp() throws Exception {
        Random rng = new Random(7);
        int n = 240;
        double[][] rows = new double[n][4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = c;
            for (int j = 0; j < 4; j++) rows[i][j] = (j == c ? 2.0 : 0.0) - (j == 3 && c == 2 ? 1.0 : 0.0)
                    + 0.5 * rng.nextGaussian();
        }
        Dataset[] parts = Dataset.of(Tensor.matrix(rows), labels).split(n * 3 / 4, 1);
        Dataset train = parts[0];
        Dataset validation = parts[1];

        Sequential net = Mlp.builder(4).hidden(16, Activation.tanh()).output(3).build(new Random(1));
        Trainer.LossFunction loss = (out, batch) -> Loss.crossEntropy(out, batch.labels());
        Trainer.Evaluation before = Trainer.evaluate(net, validation, loss, Metrics::argmax);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        History history = Trainer.of(net, new Adam(net.parameters(), 1e-2), loss)
                .epochs(8).batchSize(16).seed(1)
                .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
                .fit(train);
        check(progress.size() > 0, "the trainer printed no progress");
        Trainer.Evaluation after = Trainer.evaluate(net, validation, loss, Metrics::argmax);
        double first = history.trainLoss().get(0);
        double last = history.trainLoss().get(history.trainLoss().size() - 1);
        check(history.epochs() == 8, "trained " + history.epochs() + " epochs, not 8");
        check(last < first, "training loss did not fall: " + first + " -> " + last);
        check(after.loss() < 0.5 * before.loss(),
                "validation loss did not halve: " + before.loss() + " -> " + after.loss());
        check(after.accuracy() > 0.9, "validation accuracy " + after.accuracy() + " <= 0.9");

        Path file = Files.createTempFile("wengert-consumer", ".safetensors");
        try {
            SafeTensors.save(file, net);
            Sequential fresh = Mlp.builder(4).hidden(16, Activation.tanh()).output(3).build(new Random(2));
            double[] expected = Trainer.predict(net, validation).toArray();
            check(!Arrays.equals(expected, Trainer.predict(fresh, validation).toArray()),
                    "a fresh model already gives the trained outputs");
            SafeTensors.load(file, fresh);
            check(Arrays.equals(expected, Trainer.predict(fresh, validation).toArray()),
                    "the model loaded from " + file + " gives other outputs");
            check(SafeTensors.load(file).containsKey("0.weight"), "no tensor 0.weight in " + file);
            plotWithoutXChart(history);
            return String.format(java.util.Locale.ROOT,
                    "mlp loss %.3f -> %.3f, accuracy %.2f, safetensors round trip equal (%d bytes)",
                    before.loss(), after.loss(), after.accuracy(), Files.size(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * XChart is an optional dependency of wengert-nn, so it must not have come along, and plotting without it
     * must say what to add (not die with a NoClassDefFoundError).
     */
    private static void plotWithoutXChart(History history) throws Exception {
        Path dir = Files.createTempDirectory("wengert-consumer-plots");
        try {
            history.plot(dir, "consumer");
            throw new AssertionError("History.plot drew without XChart: the optional dependency came along");
        } catch (IllegalStateException e) {
            check(String.valueOf(e.getMessage()).contains("XChart"), "plotting without XChart said: " + e);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A tensor past Allocation's unchecked size (2^20 doubles), which is measured against the heap through
     * java.management before it is allocated.
     */
    private static String largeTensor() {
        Tensor big = Tensor.ones(1024, 1025);
        check(big.toArray().length == 1024 * 1025 && big.get(1023, 1024) == 1.0, "a 1024 x 1025 tensor of ones is wrong");
        return "1024x1025 tensor allocated";
    }

    /** An LSTM(3 -> 8) with a readout: BPTT and RTRL agree, and one Adam step lowers the loss. */
    private static String rnn() {
        Random rng = new Random(3);
        int batch = 4;
        int steps = 6;
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(3, 8, rng), 2, rng);
        Tensor[] xs = new Tensor[steps];
        Tensor[] targets = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            xs[t] = Tensor.randn(rng, batch, 3);
            targets[t] = Tensor.randn(rng, batch, 2);
        }
        StepLoss loss = StepLoss.squaredError(targets);

        Tensor[] state = net.step(net.initialState(batch), xs[0]);
        check(state.length == 2 && Arrays.equals(state[0].shape(), new int[] {batch, 8}),
                "LSTM step gave " + state.length + " parts, the first of shape " + Arrays.toString(state[0].shape()));

        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        SequenceGradient rtrl = Rtrl.gradient(net, xs, loss);
        double error = bptt.relativeError(rtrl);
        check(error < 1e-9, "BPTT and RTRL gradients differ: relative error " + error);
        new Adam(net.parameters(), 1e-2).step(bptt.gradients());
        double next = Bptt.gradient(net, null, xs, loss).loss();
        check(next < bptt.loss(), "an Adam step did not lower the sequence loss: " + bptt.loss() + " -> " + next);
        return String.format(java.util.Locale.ROOT, "lstm bptt/rtrl relative error %.1e, loss %.4f -> %.4f",
                error, bptt.loss(), next);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }
}
