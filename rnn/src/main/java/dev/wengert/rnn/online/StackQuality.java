package dev.wengert.rnn.online;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.ApproximationQuality;
import dev.wengert.rnn.bptt.Bptt;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The quality of a gradient estimate on a stack, layer by layer, averaged over sequences: for each sequence
 * the estimate of a learner (run from the zero state with fixed parameters) is compared with BPTT's exact
 * gradient over each layer's parameters by the cosine similarity {@code <g̃, g> / (‖g̃‖ ‖g‖)} and the relative
 * norm error {@code ‖g̃ − g‖₂ / ‖g‖₂}, and over all the cell's parameters by {@link ApproximationQuality}
 * (its cosine and its normwise max-relative error); the figures are the means over the sequences.
 */
public final class StackQuality {
    private final double[] cosine;
    private final double[] normError;
    private final double cellCosine;
    private final double cellNormError;
    private final double cellMaxError;

    private StackQuality(double[] cosine, double[] normError, double cellCosine, double cellNormError,
            double cellMaxError) {
        this.cosine = cosine;
        this.normError = normError;
        this.cellCosine = cellCosine;
        this.cellNormError = cellNormError;
        this.cellMaxError = cellMaxError;
    }

    /**
     * Measures a learner against BPTT on the given sequences.
     *
     * @param net     the network (its parameters are not changed)
     * @param learner makes the learner to measure, for a batch of sequences
     * @param inputs  the sequences, each T tensors {@code [batch, m]}
     * @param losses  the step losses, one per sequence
     * @return the mean figures
     * @throws IllegalArgumentException when there are no sequences or inputs and losses differ in number
     * @throws NullPointerException     when an argument is null
     */
    public static StackQuality measure(RecurrentNet net, Function<Integer, ForwardLearner> learner,
            List<Tensor[]> inputs, List<StepLoss> losses) {
        if (net == null || learner == null || inputs == null || losses == null) {
            throw new NullPointerException("StackQuality.measure: an argument is null");
        }
        if (inputs.isEmpty() || inputs.size() != losses.size()) {
            throw new IllegalArgumentException("StackQuality.measure: " + inputs.size() + " sequences and "
                    + losses.size() + " losses; need as many of each, at least one");
        }
        List<Cell> layers = net.cell() instanceof StackedCell ? ((StackedCell) net.cell()).layers()
                : List.of(net.cell());
        int[] start = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) start[l + 1] = start[l] + (int) layers.get(l).parameterCount();
        double[] cos = new double[layers.size()];
        double[] err = new double[layers.size()];
        double cellCos = 0;
        double cellErr = 0;
        double cellMax = 0;
        int s = inputs.size();
        for (int i = 0; i < s; i++) {
            Tensor[] xs = inputs.get(i);
            SequenceGradient exact = Bptt.gradient(net, null, xs, losses.get(i));
            SequenceGradient estimate = ForwardLearner.run(learner.apply(xs[0].dim(0)), xs, losses.get(i));
            double[] a = estimate.flat();
            double[] b = exact.flat();
            for (int l = 0; l < layers.size(); l++) {
                double[] al = Arrays.copyOfRange(a, start[l], start[l + 1]);
                double[] bl = Arrays.copyOfRange(b, start[l], start[l + 1]);
                cos[l] += SequenceGradient.cosine(al, bl) / s;
                err[l] += normError(al, bl) / s;
            }
            ApproximationQuality q = ApproximationQuality.compare(estimate, exact, net);
            cellCos += q.cosine() / s;
            cellMax += q.relativeError() / s;
            int p = start[layers.size()];
            cellErr += normError(Arrays.copyOf(a, p), Arrays.copyOf(b, p)) / s;
        }
        return new StackQuality(cos, err, cellCos, cellErr, cellMax);
    }

    /** {@code ‖a − b‖₂ / ‖b‖₂} (0 when both are zero). */
    static double normError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return num == 0 ? 0 : Math.sqrt(num / den);
    }

    /** @return the number of layers */
    public int layers() {
        return cosine.length;
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return the mean cosine similarity over that layer's parameters
     * @throws IllegalArgumentException when there is no such layer
     */
    public double cosine(int layer) {
        return cosine[check(layer)];
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return the mean relative norm error over that layer's parameters
     * @throws IllegalArgumentException when there is no such layer
     */
    public double relativeNormError(int layer) {
        return normError[check(layer)];
    }

    /** @return the mean cosine similarity over all the cell's parameters ({@link ApproximationQuality#cosine()}) */
    public double cosine() {
        return cellCosine;
    }

    /** @return the mean relative norm error over all the cell's parameters */
    public double relativeNormError() {
        return cellNormError;
    }

    /** @return the mean normwise max-relative error over the cell's parameters ({@link ApproximationQuality#relativeError()}) */
    public double relativeError() {
        return cellMaxError;
    }

    private int check(int layer) {
        if (layer < 0 || layer >= cosine.length) {
            throw new IllegalArgumentException("StackQuality: layer " + layer + " of " + cosine.length);
        }
        return layer;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < cosine.length; l++) {
            sb.append(String.format(Locale.ROOT, "layer %d: cosine %.4f, norm error %.3g; ", l, cosine[l], normError[l]));
        }
        return sb.append(String.format(Locale.ROOT, "all: cosine %.4f, norm error %.3g", cellCosine, cellNormError))
                .toString();
    }
}
