package dev.wengert.examples.nn;

import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.History;
import dev.wengert.nn.Init;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Metrics;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.io.Mnist;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.Schedule;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.nn.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The notes' MNIST experiments (sheet 000, Q2) and a better setup, on the real data. Each trains on
 * 55,000 of the 60,000 training images, keeps 5,000 for validation (early stopping with patience, the
 * best epoch's parameters restored) and reports the accuracy on the 10,000 test images.
 *
 * <ol>
 *   <li>{@link #oneHot}: 784-100-10, tanh hidden units and sigmoid outputs, one-hot targets, squared
 *       loss {@code ||ŷ − y||²} (averaged over the batch of 64), SGD with η = 0.5 on a cosine schedule
 *       down to 0.01; the notes report ≈ 96%.</li>
 *   <li>The same with no hidden layer (≈ 90% in the notes), and with 4-bit binary output codes
 *       ({@link #binaryCode}: 0 is 0000, 9 is 1001) with a hidden layer of 100 (≈ 90%) and with none
 *       (≈ 75%). Binary outputs are decoded two ways: reading the thresholded bits as a number (codes
 *       10–15 count as wrong) and taking the nearest of the ten codewords.</li>
 *   <li>{@link #best}: 784-512-256-10 ReLU with batch norm and dropout, cross-entropy, Adam with a
 *       cosine learning-rate schedule, early stopping on the validation loss.</li>
 * </ol>
 *
 * <p>Run all: {@code java ... dev.wengert.examples.nn.MnistExperiments all} (see the README); or one of
 * {@code onehot}, {@code nohidden}, {@code binary}, {@code binary-nohidden}, {@code best}. Curves are
 * written to the reports folder.
 */
public final class MnistExperiments {
    private MnistExperiments() {}

    /** What one experiment measured. */
    public record Result(String name, double testAccuracy, double testAccuracyNearest, int epochs, int bestEpoch,
            double seconds) {}

    /** Training and validation parts of the training set and the test set. */
    public record Split(Dataset train, Dataset validation, Dataset test) {
        /**
         * 55,000 / 5,000 of the training images, split with a fixed seed, and the test set.
         *
         * @param d the MNIST training and test sets
         * @return the split: 55,000 training rows, 5,000 validation rows, the 10,000 test rows
         */
        public static Split of(Mnist.Data d) {
            Dataset[] parts = d.train().split(55_000, 20_161);
            return new Split(parts[0], parts[1], d.test());
        }
    }

    /**
     * Experiment 1 (hidden = 100) and the first half of 2 (hidden = 0): one-hot targets, squared loss.
     *
     * @param s        the data
     * @param hidden   the hidden layer's size, or 0 for none
     * @param epochs   the most epochs to run
     * @param progress where to print progress, or null
     * @param reports  the folder for the curves, or null for none
     * @return the test accuracies and the training figures
     */
    public static Result oneHot(Split s, int hidden, int epochs, PrintStream progress, Path reports) {
        double[][] code = Dataset.oneHot(10);
        String name = hidden > 0 ? "mnist-onehot-784-" + hidden + "-10" : "mnist-onehot-784-10";
        return squaredLossRun(s, name, hidden, code, Metrics::argmax, epochs, progress, reports);
    }

    /**
     * Experiment 2, binary codes: 4 sigmoid outputs, squared loss, with a hidden layer of {@code hidden} or
     * none.
     *
     * @param s        the data
     * @param hidden   the hidden layer's size, or 0 for none
     * @param epochs   the most epochs to run
     * @param progress where to print progress, or null
     * @param reports  the folder for the curves, or null for none
     * @return the test accuracies (thresholded and nearest codeword) and the training figures
     */
    public static Result binaryCode(Split s, int hidden, int epochs, PrintStream progress, Path reports) {
        double[][] code = Dataset.binaryCode(10, 4);
        String name = hidden > 0 ? "mnist-binary-784-" + hidden + "-4" : "mnist-binary-784-4";
        return squaredLossRun(s, name, hidden, code, out -> Metrics.thresholdCode(out, 0.5), epochs, progress, reports);
    }

    private static Result squaredLossRun(Split s, String name, int hidden, double[][] code, Trainer.Decoder decoder,
            int epochs, PrintStream progress, Path reports) {
        Random rng = new Random(1);
        Mlp b = Mlp.builder(Mnist.PIXELS);
        if (hidden > 0) b.hidden(hidden, Activation.tanh());
        Sequential net = b.output(code[0].length).outputActivation(Activation.sigmoid()).build(rng);
        Dataset train = s.train().withTargets(code);
        Dataset val = s.validation().withTargets(code);
        Dataset test = s.test().withTargets(code);
        Trainer.LossFunction loss = (out, batch) -> Loss.meanSquared(out, batch.targets());
        Optimizer opt = new Sgd(net.parameters(), 0.5);
        History h = Trainer.of(net, opt, loss).epochs(epochs).batchSize(64).seed(2).validation(val).patience(3)
                .monitor(Trainer.Monitor.VALIDATION_ACCURACY).decoder(decoder).name(name).progress(progress)
                .schedule(Schedule.cosine(0.5, 0.01, epochs)).fit(train);
        if (reports != null) h.plot(reports, name);
        double acc = Trainer.evaluate(net, test, loss, decoder).accuracy();
        double nearest = Trainer.evaluate(net, test, loss, out -> Metrics.nearestCode(out, code)).accuracy();
        return new Result(name, acc, nearest, h.epochs(), h.bestEpoch() + 1, h.seconds());
    }

    /**
     * Experiment 3: 784-512-256-10 ReLU (He initialisation) with batch norm before each activation and
     * dropout 0.2 after it, softmax cross-entropy, Adam (η = 1e-3, cosine schedule to 1e-5), batch 128.
     *
     * @param s        the data
     * @param epochs   the most epochs to run
     * @param progress where to print progress, or null
     * @param reports  the folder for the curves, or null for none
     * @return the test accuracy and the training figures
     */
    public static Result best(Split s, int epochs, PrintStream progress, Path reports) {
        Random rng = new Random(3);
        Sequential net = Mlp.builder(Mnist.PIXELS).hidden(512, Activation.relu()).hidden(256, Activation.relu())
                .batchNorm().dropout(0.2).init(Init.he()).output(10).build(rng);
        Trainer.LossFunction loss = (out, batch) -> Loss.crossEntropy(out, batch.labels());
        String name = "mnist-best-784-512-256-10";
        History h = Trainer.of(net, new Adam(net.parameters(), 1e-3), loss).epochs(epochs).batchSize(128).seed(4)
                .validation(s.validation()).patience(4).monitor(Trainer.Monitor.VALIDATION_LOSS).name(name)
                .progress(progress).schedule(Schedule.cosine(1e-3, 1e-5, epochs)).fit(s.train());
        if (reports != null) h.plot(reports, name);
        double acc = Trainer.evaluate(net, s.test(), loss, Metrics::argmax).accuracy();
        return new Result(name, acc, acc, h.epochs(), h.bestEpoch() + 1, h.seconds());
    }

    /** The default epochs of each experiment (early stopping may end a run sooner). */
    /** Epochs of the squared-loss runs (experiments 1 and 2). */
    public static final int EPOCHS_ONEHOT = 12;
    /** Epochs of experiment 3. */
    public static final int EPOCHS_BEST = 12;

    /**
     * Runs the experiments named by the first argument (default {@code all}) and prints a table of results.
     *
     * @param args the experiment: {@code all}, {@code onehot}, {@code nohidden}, {@code binary}, {@code
     *     binary-nohidden} or {@code best}
     */
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        boolean fetch = Boolean.getBoolean("wengert.fetch");
        Mnist.Data data = Mnist.load(fetch, System.out);
        Split s = Split.of(data);
        Path reports = Reports.dir();
        PrintStream out = System.out;
        List<Result> results = new ArrayList<>();
        if (which.equals("all") || which.equals("onehot")) results.add(oneHot(s, 100, EPOCHS_ONEHOT, out, reports));
        if (which.equals("all") || which.equals("nohidden")) results.add(oneHot(s, 0, EPOCHS_ONEHOT, out, reports));
        if (which.equals("all") || which.equals("binary")) results.add(binaryCode(s, 100, EPOCHS_ONEHOT, out, reports));
        if (which.equals("all") || which.equals("binary-nohidden")) results.add(binaryCode(s, 0, EPOCHS_ONEHOT, out, reports));
        if (which.equals("all") || which.equals("best")) results.add(best(s, EPOCHS_BEST, out, reports));
        if (results.isEmpty()) {
            throw new IllegalArgumentException("mnist: unknown experiment '" + which
                    + "' (all, onehot, nohidden, binary, binary-nohidden, best)");
        }
        out.println();
        out.println("| experiment | test accuracy | nearest-codeword decoding | epochs run (best) | seconds |");
        out.println("|---|---|---|---|---|");
        for (Result r : results) {
            out.printf("| %s | %.2f%% | %.2f%% | %d (%d) | %.0f |%n", r.name(), 100 * r.testAccuracy(),
                    100 * r.testAccuracyNearest(), r.epochs(), r.bestEpoch(), r.seconds());
        }
        out.println("curves: " + reports.toAbsolutePath());
    }
}
