package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small models and data shared by the tests: the same examples as an nn Dataset and as Spark Examples. */
final class Fixtures {
    private Fixtures() {}

    static final int FEATURES = 4;
    static final int CLASSES = 3;

    /** A 4-8-3 tanh MLP, the same weights on every call. */
    static ModelFactory<Sequential> mlp() {
        return () -> Mlp.builder(FEATURES).hidden(8, Activation.tanh()).output(CLASSES).build(new Random(7));
    }

    /** A 4-6-3 MLP with batch norm after the hidden layer. */
    static ModelFactory<Sequential> batchNormMlp() {
        return () -> Mlp.builder(FEATURES).hidden(6, Activation.tanh()).batchNorm().output(CLASSES).build(new Random(5));
    }

    /** n examples of three Gaussian blobs, labels in example order 0, 1, 2, 0, ... unless sorted. */
    static Dataset blobs(int n, long seed, boolean sortedByClass) {
        Random rng = new Random(seed);
        double[] x = new double[n * FEATURES];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = sortedByClass ? (int) ((long) i * CLASSES / n) : i % CLASSES;
            labels[i] = c;
            for (int j = 0; j < FEATURES; j++) x[i * FEATURES + j] = rng.nextGaussian() + (j == c ? 2.0 : 0.0);
        }
        return Dataset.of(Tensor.of(x, n, FEATURES), labels);
    }

    /** The dataset's rows as labelled Examples, in row order. */
    static List<Example> examples(Dataset d) {
        Tensor x = d.inputs();
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            double[] f = new double[d.features()];
            System.arraycopy(x.data(), i * d.features(), f, 0, f.length);
            out.add(Example.labelled(f, d.label(i)));
        }
        return out;
    }

    /** Normwise relative difference max|a − b| / max|b| (0 when equal). */
    static double relativeError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return num == 0 ? 0 : num / den;
    }
}
