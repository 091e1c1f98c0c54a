package dev.wengert.nn;

import dev.wengert.nn.plot.Plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link Trainer#fit} run recorded, one entry per epoch: the training loss and accuracy (averaged
 * over the epoch's mini-batches, in training mode, while the parameters moved), the validation loss and
 * accuracy (after the epoch, in evaluation mode), and the learning rate used.
 */
public final class History {
    final List<Double> trainLoss = new ArrayList<>();
    final List<Double> trainAccuracy = new ArrayList<>();
    final List<Double> validationLoss = new ArrayList<>();
    final List<Double> validationAccuracy = new ArrayList<>();
    final List<Double> learningRate = new ArrayList<>();
    int bestEpoch = -1;
    boolean stoppedEarly;
    boolean restored;
    double seconds;

    History() {}

    /** {@return the training loss per epoch} An unmodifiable view, averaged over the epoch's mini-batches. */
    public List<Double> trainLoss() {
        return Collections.unmodifiableList(trainLoss);
    }

    /**
     * {@return the training accuracy per epoch} An unmodifiable view; NaN entries when the data have no
     * labels.
     */
    public List<Double> trainAccuracy() {
        return Collections.unmodifiableList(trainAccuracy);
    }

    /** {@return the validation loss per epoch} An unmodifiable view; empty without a validation set. */
    public List<Double> validationLoss() {
        return Collections.unmodifiableList(validationLoss);
    }

    /** {@return the validation accuracy per epoch} An unmodifiable view; empty without a validation set. */
    public List<Double> validationAccuracy() {
        return Collections.unmodifiableList(validationAccuracy);
    }

    /** {@return the learning rate of each epoch} An unmodifiable view. */
    public List<Double> learningRate() {
        return Collections.unmodifiableList(learningRate);
    }

    /** {@return the number of epochs run} */
    public int epochs() {
        return trainLoss.size();
    }

    /** {@return the epoch (0-based) with the best validation figure, or -1 without validation} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** {@return whether early stopping ended the run before the last epoch} */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** {@return whether the parameters of the best epoch were restored at the end} */
    public boolean restoredBest() {
        return restored;
    }

    /** {@return the wall-clock seconds of the whole run} */
    public double seconds() {
        return seconds;
    }

    /**
     * Writes {@code <name>-loss.png} and {@code <name>-accuracy.png} into {@code dir} (created if needed):
     * training and validation curves against the epoch.
     *
     * @param dir  the folder to write into
     * @param name the prefix of the file names and the plots' title
     * @return the files written
     */
    public List<Path> plot(Path dir, String name) {
        List<Path> out = new ArrayList<>();
        if (trainLoss.isEmpty()) return out;
        Plot loss = Plot.lines(name + ": loss", "epoch", "loss").markers().series("training", toArray(trainLoss));
        if (!validationLoss.isEmpty()) loss.series("validation", toArray(validationLoss));
        out.add(loss.save(dir.resolve(name + "-loss.png")));
        if (!trainAccuracy.isEmpty() && !Double.isNaN(trainAccuracy.get(0))) {
            Plot acc = Plot.lines(name + ": accuracy", "epoch", "accuracy").markers()
                    .series("training", toArray(trainAccuracy));
            if (!validationAccuracy.isEmpty()) acc.series("validation", toArray(validationAccuracy));
            out.add(acc.save(dir.resolve(name + "-accuracy.png")));
        }
        return out;
    }

    static double[] toArray(List<Double> xs) {
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return a;
    }
}
