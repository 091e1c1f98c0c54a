package dev.wengert.examples.nn;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Linear;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Metrics;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.io.Mnist;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import dev.wengert.ops.Ops;
import java.io.PrintStream;
import java.util.Random;

/**
 * Sheet 000, Q3: with identity activations a 784-4-10 network computes
 * {@code z³ = W³(W²x + b²) + b³ = (W³W²) x + (W³b² + b³)}, one linear map whose matrix has rank at most 4,
 * whereas multiclass logistic regression's 10 × 784 matrix may have rank 10. Here (rows are examples, so
 * the product is {@code W₁W₂}, 784 × 10) the network is trained briefly with Adam on the data given (or on
 * random data), the product's singular values are computed, and the network's outputs are compared with
 * the single linear map's.
 */
public final class LinearCollapse {
    private LinearCollapse() {}

    /** The singular values of the collapsed matrix, its numerical rank, and the network-vs-map difference. */
    public record Result(double[] singularValues, int rank, int logisticRank, double maxDifference,
            double bottleneckAccuracy, double logisticAccuracy) {}

    /**
     * Trains a 784-4-10 identity network and a 784-10 logistic regression (1 epoch each) on {@code train}
     * and measures the collapse; the test accuracies of both when {@code test} is given (else NaN).
     *
     * @param train the training set, 784 features and labels 0–9
     * @param test  the test set, or null
     * @param seed  the seed of the initialisation and the shuffling
     * @return the figures
     */
    public static Result run(Dataset train, Dataset test, long seed) {
        Random rng = new Random(seed);
        Sequential net = Mlp.builder(train.features()).hidden(4, Activation.identity()).output(10).build(rng);
        Sequential logistic = Mlp.builder(train.features()).output(10).build(rng);
        Trainer.LossFunction ce = (out, b) -> Loss.crossEntropy(out, b.labels());
        Trainer.of(net, new Adam(net.parameters(), 1e-3), ce).epochs(1).batchSize(128).seed(seed).fit(train);
        Trainer.of(logistic, new Adam(logistic.parameters(), 1e-3), ce).epochs(1).batchSize(128).seed(seed).fit(train);
        Linear l1 = (Linear) net.layers().get(0);
        Linear l2 = (Linear) net.layers().get(2);
        // Weights are [out, in]: the collapsed map x -> x M + c has M = W1ᵀ W2ᵀ and c = b1 W2ᵀ + b2.
        Tensor m = Ops.matmul(l1.weight(), l2.weight(), true, true);
        Tensor c = Ops.add(Ops.matmul(l1.bias(), l2.weight(), false, true), l2.bias());
        Tensor x = train.head(Math.min(500, train.size())).inputs();
        double diff = Ops.max(Ops.abs(Ops.sub(net.forward(x), Ops.add(Ops.matmul(x, m), c)))).item();
        double[][] rows = rows(m);
        double accNet = test == null ? Double.NaN : Trainer.evaluate(net, test, ce, Metrics::argmax).accuracy();
        double accLog = test == null ? Double.NaN : Trainer.evaluate(logistic, test, ce, Metrics::argmax).accuracy();
        return new Result(Linalg.singularValues(rows), Linalg.rank(rows), Linalg.rank(rows(((Linear) logistic.layers()
                .get(0)).weight())), diff, accNet, accLog);
    }

    static double[][] rows(Tensor m) {
        double[][] r = new double[m.dim(0)][m.dim(1)];
        for (int i = 0; i < r.length; i++) System.arraycopy(m.data(), i * m.dim(1), r[i], 0, m.dim(1));
        return r;
    }

    /**
     * 5,000 random "images" (uniform pixels) with random labels, when MNIST is not at hand.
     *
     * @param seed the seed of the pixels and labels
     * @return a new dataset of 5,000 rows of 784 features, labels 0–9
     */
    public static Dataset randomData(long seed) {
        Random rng = new Random(seed);
        int n = 5000;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        return Dataset.of(Tensor.uniform(rng, 0, 1, n, 784), y);
    }

    /**
     * Prints the figures of {@code r}, measured on the data described by {@code data}, to {@code out}.
     *
     * @param r    the figures
     * @param data what the network was trained on, for the heading
     * @param out  where to print
     */
    public static void print(Result r, String data, PrintStream out) {
        out.println("Linear activations collapse (sheet 000, Q3): a 784-4-10 identity-activation network, trained 1 epoch on "
                + data);
        StringBuilder s = new StringBuilder();
        for (double v : r.singularValues()) s.append(String.format(" %.3e", v));
        out.println("  singular values of W1 W2 (784 x 10):" + s);
        out.printf("  numerical rank %d (tolerance max(m,n) eps sigma_max); logistic regression's 784 x 10 matrix: rank %d%n",
                r.rank(), r.logisticRank());
        out.printf("  network output vs x (W1 W2) + (b1 W2 + b2): max difference %.2e%n", r.maxDifference());
        if (!Double.isNaN(r.bottleneckAccuracy())) {
            out.printf("  test accuracy: 784-4-10 linear network %.2f%%, logistic regression 784-10 %.2f%%%n",
                    100 * r.bottleneckAccuracy(), 100 * r.logisticAccuracy());
        }
    }

    /**
     * Runs the measurement on MNIST when it is in the cache, else on random data, and prints it.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Dataset train;
        Dataset test = null;
        String what;
        if (Mnist.isCached(Mnist.cacheDir())) {
            Mnist.Data d = Mnist.load(Mnist.cacheDir());
            train = d.train();
            test = d.test();
            what = "MNIST (60,000 images)";
        } else {
            train = randomData(1);
            what = "5,000 random images (MNIST not in the cache)";
        }
        print(run(train, test, 1), what, System.out);
    }
}
