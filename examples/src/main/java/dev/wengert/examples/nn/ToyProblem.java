package dev.wengert.examples.nn;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Init;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import java.io.PrintStream;
import java.util.Random;

/**
 * Lecture 002, 1.2 and Fig. 2: two-dimensional data that no line separates. The points are uniform on
 * {@code [−1, 1]²}; class 1 is the diagonal band {@code |x₁ − x₂| < 2 − √2} (half of the square), class 0
 * the two corners on either side. Logistic regression (a single sigmoid unit) cannot do better than
 * about half; an MLP with one hidden layer of two tanh units and a sigmoid output (the lecture's
 * Fig. 3, eqs 2–6) puts one unit on each edge of the band and separates it.
 */
public final class ToyProblem {
    private ToyProblem() {}

    /** Test accuracies of the two models. */
    public record Result(double logisticRegression, double mlp) {}

    /** The band's half-width: {@code 2 − √2} makes the two classes equally likely. */
    public static final double HALF_WIDTH = 2 - Math.sqrt(2);

    /**
     * {@code n} points of the band problem drawn from {@code rng}, targets of shape {@code [n, 1]}.
     *
     * @param n   the number of points
     * @param rng the generator, advanced twice per point
     * @return a new dataset of n rows of 2 features, with labels and targets {@code [n, 1]}, 0 or 1
     */
    public static Dataset data(int n, Random rng) {
        double[][] x = new double[n][2];
        double[][] t = new double[n][1];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = 2 * rng.nextDouble() - 1;
            x[i][1] = 2 * rng.nextDouble() - 1;
            labels[i] = Math.abs(x[i][0] - x[i][1]) < HALF_WIDTH ? 1 : 0;
            t[i][0] = labels[i];
        }
        return Dataset.of(Tensor.matrix(x), labels).withTargets(Tensor.matrix(t));
    }

    /** Accuracy of a one-output network thresholding its logit at 0. */
    static int[] predict(Tensor logits) {
        double[] z = logits.data();
        int[] p = new int[z.length];
        for (int i = 0; i < z.length; i++) p[i] = z[i] > 0 ? 1 : 0;
        return p;
    }

    /**
     * Trains both models on 500 points and tests them on 2,000 others.
     *
     * @param seed the seed of the data, the initialisation and the shuffling
     * @return the two test accuracies
     */
    public static Result run(long seed) {
        Random rng = new Random(seed);
        Dataset train = data(500, rng);
        Dataset test = data(2000, rng);
        Sequential lr = Mlp.builder(2).output(1).init(Init.glorot()).build(rng);
        Sequential mlp = Mlp.builder(2).hidden(2, Activation.tanh()).output(1).init(Init.glorot()).build(rng);
        return new Result(fit(lr, train, test, seed), fit(mlp, train, test, seed));
    }

    private static double fit(Sequential net, Dataset train, Dataset test, long seed) {
        Trainer.LossFunction bce = (out, b) -> Loss.binaryCrossEntropyWithLogits(out, b.targets());
        Trainer.of(net, new Adam(net.parameters(), 0.05), bce).epochs(300).batchSize(500).seed(seed)
                .decoder(ToyProblem::predict).fit(train);
        return Trainer.evaluate(net, test, bce, ToyProblem::predict).accuracy();
    }

    /**
     * Prints the two test accuracies to {@code out}.
     *
     * @param r   the accuracies
     * @param out where to print
     */
    public static void print(Result r, PrintStream out) {
        out.println("Lecture 002's toy problem: a diagonal band in [-1,1]^2 that no line separates (500 training, "
                + "2,000 test points)");
        out.printf("  logistic regression (one sigmoid unit):          test accuracy %.1f%%%n", 100 * r.logisticRegression());
        out.printf("  MLP 2-2-1, two tanh hidden units, sigmoid output: test accuracy %.1f%%%n", 100 * r.mlp());
    }

    /**
     * Runs the comparison and prints it on standard output.
     *
     * @param args the seed (default 1)
     */
    public static void main(String[] args) {
        print(run(args.length > 0 ? Long.parseLong(args[0]) : 1), System.out);
    }
}
