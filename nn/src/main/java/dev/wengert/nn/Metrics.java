package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/** Turning network outputs into class predictions, and accuracy. */
public final class Metrics {
    private Metrics() {}

    /**
     * The index of the largest entry of each row of {@code [n, k]} outputs (the first on ties).
     *
     * @param outputs the outputs {@code [n, k]}
     * @return a new array of n class indices in {@code [0, k)}
     */
    public static int[] argmax(Tensor outputs) {
        check(outputs);
        int n = outputs.dim(0);
        int k = outputs.dim(1);
        double[] d = outputs.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (d[i * k + j] > d[i * k + best]) best = j;
            out[i] = best;
        }
        return out;
    }

    /**
     * The class whose codeword (a row of {@code codebook}) is nearest in Euclidean distance to each output
     * row: decoding for binary output codes, where it always names a valid class.
     *
     * @param outputs  the outputs {@code [n, k]}
     * @param codebook the codewords, one row of length k per class
     * @return a new array of n class indices into the codebook (the first on ties)
     */
    public static int[] nearestCode(Tensor outputs, double[][] codebook) {
        check(outputs);
        int n = outputs.dim(0);
        int k = outputs.dim(1);
        if (codebook[0].length != k) {
            throw new ShapeException("nearestCode: codewords of length " + codebook[0].length + " for outputs "
                    + Shapes.str(outputs.shape()));
        }
        double[] d = outputs.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < codebook.length; c++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    double e = d[i * k + j] - codebook[c][j];
                    s += e * e;
                }
                if (s < best) {
                    best = s;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    /**
     * Reads each output row as a binary numeral, most significant bit first, each bit 1 when its output
     * exceeds {@code threshold}: with 4 bits, codes 10–15 name no digit and so count as errors.
     *
     * @param outputs   the outputs {@code [n, k]}, k bits per row (at most 31)
     * @param threshold the value an output must exceed to read as 1, e.g. 0.5 after a sigmoid
     * @return a new array of n numerals in {@code [0, 2^k)}
     */
    public static int[] thresholdCode(Tensor outputs, double threshold) {
        check(outputs);
        int n = outputs.dim(0);
        int k = outputs.dim(1);
        double[] d = outputs.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int v = 0;
            for (int j = 0; j < k; j++) v = (v << 1) | (d[i * k + j] > threshold ? 1 : 0);
            out[i] = v;
        }
        return out;
    }

    /**
     * The fraction of positions where {@code predicted} equals {@code labels}.
     *
     * @param predicted the predicted classes
     * @param labels    the true classes, as many as predicted
     * @return the fraction in [0, 1]; NaN when there are none
     */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("accuracy: " + predicted.length + " predictions for " + labels.length + " labels");
        }
        if (labels.length == 0) return Double.NaN;
        return (double) correct(predicted, labels) / labels.length;
    }

    /**
     * The number of positions where {@code predicted} equals {@code labels}.
     *
     * @param predicted the predicted classes, at least as many as labels
     * @param labels    the true classes
     * @return the count
     */
    public static int correct(int[] predicted, int[] labels) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) c++;
        return c;
    }

    private static void check(Tensor outputs) {
        if (outputs.rank() != 2) {
            throw new ShapeException("metrics: outputs must be [n, k], got " + Shapes.str(outputs.shape()));
        }
    }
}
