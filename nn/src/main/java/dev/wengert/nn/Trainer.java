package dev.wengert.nn;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Mini-batch training with a validation set and early stopping.
 *
 * <pre>{@code
 * History h = Trainer.of(net, new Adam(net.parameters(), 1e-3), (out, b) -> Loss.crossEntropy(out, b.labels()))
 *         .epochs(20).batchSize(128).seed(1)
 *         .validation(val).patience(3)
 *         .progress(System.out)
 *         .fit(train);
 * }</pre>
 *
 * <p>Each epoch reshuffles the training set with a generator seeded once by {@link #seed}, then for each
 * mini-batch records the forward pass and the loss on a tape, backpropagates into the parameters'
 * gradients, takes an optimiser step and clears the gradients. With a validation set it evaluates the
 * model after each epoch (in evaluation mode, without recording) and keeps a copy of the parameters of
 * the best epoch; with a patience p it stops after p epochs without improvement; at the end it restores
 * the best parameters (unless {@link #restoreBest(boolean)} says not to). Given the same seed, model and
 * data, two runs are bit-for-bit identical.
 *
 * <p>Loss figures are weighted averages over mini-batches, {@code Σ_b loss_b · |b| / N}: the dataset's
 * mean loss for losses that average over their batch ({@link Loss.Reduction#MEAN}).
 */
public final class Trainer {
    /** The loss of a batch given the network's output for it, a scalar recorded on the tape. */
    @FunctionalInterface
    public interface LossFunction {
        /**
         * The scalar loss of {@code output}, the network's output on {@code batch}.
         *
         * @param output the network's output on the batch, recorded on the tape
         * @param batch  the batch, for its labels or targets
         * @return a 0-d tensor computed from output with ops, so that it can be differentiated
         */
        Tensor loss(Tensor output, Batch batch);
    }

    /** Class predictions from a batch of outputs (default: {@link Metrics#argmax}). */
    @FunctionalInterface
    public interface Decoder {
        /**
         * One class per row of {@code output}.
         *
         * @param output the network's outputs, one row per example
         * @return a new array with one class index per row
         */
        int[] predict(Tensor output);
    }

    /** What early stopping watches. */
    public enum Monitor {
        /** Lower is better. */
        VALIDATION_LOSS,
        /** Higher is better. */
        VALIDATION_ACCURACY
    }

    /** Loss and accuracy of a model on a dataset. */
    public record Evaluation(double loss, double accuracy, int correct, int count) {}

    private final Module module;
    private final Layer net;
    private final Optimizer optimizer;
    private final LossFunction loss;
    private Decoder decoder = Metrics::argmax;
    private int epochs = 10;
    private int batchSize = 64;
    private long seed;
    private Dataset validation;
    private int patience;
    private Monitor monitor = Monitor.VALIDATION_LOSS;
    private boolean restoreBest = true;
    private Schedule schedule;
    private PrintStream progress;
    private String name = "training";
    private int evalBatchSize = 1000;

    private Trainer(Module module, Layer net, Optimizer optimizer, LossFunction loss) {
        if (module == null) throw new NullPointerException("trainer: the module is null");
        if (net == null) throw new NullPointerException("trainer: the network (layer) is null");
        if (optimizer == null) throw new NullPointerException("trainer: the optimizer is null");
        if (loss == null) throw new NullPointerException("trainer: the loss function is null");
        this.module = module;
        this.net = net;
        this.optimizer = optimizer;
        this.loss = loss;
    }

    /**
     * A trainer for {@code model} (a module that is also a layer, such as a {@link Sequential}).
     *
     * @param <M>       the model's type
     * @param model     the model: its parameters are trained, its forward pass is the network
     * @param optimizer the optimiser, over the model's parameters
     * @param loss      the loss of a batch
     * @return a trainer with the defaults: 10 epochs, batches of 64, seed 0, no validation, silent
     */
    public static <M extends Module & Layer> Trainer of(M model, Optimizer optimizer, LossFunction loss) {
        return new Trainer(model, model, optimizer, loss);
    }

    /**
     * A trainer for a module whose forward pass is {@code net} (when they are separate objects).
     *
     * @param module    the module whose mode is set and whose state is snapshotted and restored
     * @param net       the forward pass
     * @param optimizer the optimiser, over the module's parameters
     * @param loss      the loss of a batch
     * @return a trainer with the defaults: 10 epochs, batches of 64, seed 0, no validation, silent
     */
    public static Trainer of(Module module, Layer net, Optimizer optimizer, LossFunction loss) {
        return new Trainer(module, net, optimizer, loss);
    }

    /**
     * The number of passes over the training set (default 10).
     *
     * @param epochs the number of epochs, &gt; 0
     * @return this trainer
     */
    public Trainer epochs(int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("trainer: epochs must be positive, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    /**
     * The mini-batch size (default 64; the last batch of an epoch may be smaller).
     *
     * @param batchSize the number of examples per batch, &gt; 0
     * @return this trainer
     */
    public Trainer batchSize(int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("trainer: batch size must be positive, got " + batchSize);
        this.batchSize = batchSize;
        return this;
    }

    /**
     * The seed of the shuffling generator.
     *
     * @param seed the seed (default 0); the same seed gives the same run
     * @return this trainer
     */
    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * A validation set, evaluated after every epoch (null for none).
     *
     * @param validation the validation set, or null
     * @return this trainer
     * @throws IllegalArgumentException when it has no examples: its loss would be NaN
     */
    public Trainer validation(Dataset validation) {
        if (validation != null && validation.size() == 0) {
            throw new IllegalArgumentException("trainer: the validation set is empty; pass null for no validation");
        }
        this.validation = validation;
        return this;
    }

    /**
     * Stop after {@code patience} epochs without improvement of the monitored figure (0: never stop early).
     *
     * @param patience the number of epochs, ≥ 0; it needs a validation set to act
     * @return this trainer
     */
    public Trainer patience(int patience) {
        if (patience < 0) throw new IllegalArgumentException("trainer: patience must be >= 0, got " + patience);
        this.patience = patience;
        return this;
    }

    /**
     * What early stopping and the best-epoch choice watch (default: the validation loss).
     *
     * @param monitor the figure watched, not null
     * @return this trainer
     */
    public Trainer monitor(Monitor monitor) {
        if (monitor == null) throw new NullPointerException("trainer: the monitor is null");
        this.monitor = monitor;
        return this;
    }

    /**
     * Whether to restore the parameters of the best validation epoch at the end (default true).
     *
     * @param restore true to restore them (the default), false to keep the last epoch's
     * @return this trainer
     */
    public Trainer restoreBest(boolean restore) {
        this.restoreBest = restore;
        return this;
    }

    /**
     * A learning-rate schedule, applied at the start of each epoch with t = the epoch (from 0).
     *
     * @param schedule the schedule, or null to keep the optimiser's rate
     * @return this trainer
     */
    public Trainer schedule(Schedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /**
     * How outputs become class predictions for the accuracy (default {@link Metrics#argmax}).
     *
     * @param decoder the decoder, not null
     * @return this trainer
     */
    public Trainer decoder(Decoder decoder) {
        if (decoder == null) throw new NullPointerException("trainer: the decoder is null");
        this.decoder = decoder;
        return this;
    }

    /**
     * Where to draw the progress bar and print one line per epoch (null, the default: silent).
     *
     * @param out the stream, or null for silence; the bar is redrawn in place only on a terminal, elsewhere
     *     whole lines are written, at most one every ten seconds
     * @return this trainer
     */
    public Trainer progress(PrintStream out) {
        this.progress = out;
        return this;
    }

    /**
     * The name shown on the progress bar.
     *
     * @param name the name, not null (default {@code training})
     * @return this trainer
     */
    public Trainer name(String name) {
        if (name == null) throw new NullPointerException("trainer: the name is null");
        this.name = name;
        return this;
    }

    /**
     * The batch size of evaluation passes (default 1000).
     *
     * @param size the number of examples per batch, &gt; 0
     * @return this trainer
     */
    public Trainer evalBatchSize(int size) {
        if (size <= 0) throw new IllegalArgumentException("trainer: eval batch size must be positive, got " + size);
        this.evalBatchSize = size;
        return this;
    }

    /**
     * Trains on {@code train}; returns what was recorded.
     *
     * @param train the training set
     * @return the history, one entry per epoch run
     * @throws IllegalArgumentException when the training set has no examples (every loss would be NaN)
     * @throws IllegalStateException when a batch's loss is not finite, naming the epoch and the batch
     */
    public History fit(Dataset train) {
        if (train == null) throw new NullPointerException("trainer: the training set is null");
        if (train.size() == 0) throw new IllegalArgumentException("trainer: the training set is empty");
        History h = new History();
        long start = System.nanoTime();
        Random shuffle = new Random(seed);
        double best = Double.NaN;
        Map<String, Tensor> bestState = null;
        int batches = train.batchCount(batchSize);
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                if (schedule != null) schedule.applyTo(optimizer, epoch);
                h.learningRate.add(optimizer.learningRate());
                module.train(true);
                long t0 = System.nanoTime();
                double lossSum = 0;
                int correct = 0;
                int seen = 0;
                int b = 0;
                try (Progress bar = progress == null ? null : new Progress(progress, Progress.isTerminal(progress),
                        name + " " + (epoch + 1) + "/" + epochs, batches)) {
                    for (Batch batch : train.batches(batchSize, shuffle)) {
                        Tensor out;
                        double l;
                        try (Tape tape = Tape.open()) {
                            out = net.forward(batch.x());
                            Tensor lt = loss.loss(out, batch);
                            l = lt.item();
                            if (!Double.isFinite(l)) {
                                throw new IllegalStateException("trainer: the loss is " + l + " at epoch " + (epoch + 1)
                                        + ", batch " + (b + 1) + " (learning rate " + optimizer.learningRate()
                                        + "); lower the learning rate or clip the gradients");
                            }
                            tape.backward(lt);
                        }
                        optimizer.step();
                        optimizer.zeroGrad();
                        lossSum += l * batch.size();
                        seen += batch.size();
                        if (batch.labels() != null) correct += Metrics.correct(decoder.predict(out), batch.labels());
                        b++;
                        if (bar != null) bar.step(String.format(java.util.Locale.ROOT, " batches, loss %.4f", lossSum / seen));
                    }
                }
                h.trainLoss.add(lossSum / seen);
                h.trainAccuracy.add(train.hasLabels() ? (double) correct / seen : Double.NaN);
                String line = String.format("%s epoch %d/%d: train loss %.4f", name, epoch + 1, epochs, lossSum / seen);
                if (train.hasLabels()) line += String.format(", accuracy %.2f%%", 100.0 * correct / seen);
                if (validation != null) {
                    Evaluation ev = evaluate(module, net, validation, loss, decoder, evalBatchSize);
                    h.validationLoss.add(ev.loss());
                    h.validationAccuracy.add(ev.accuracy());
                    line += String.format("; validation loss %.4f, accuracy %.2f%%", ev.loss(), 100 * ev.accuracy());
                    double figure = monitor == Monitor.VALIDATION_LOSS ? ev.loss() : ev.accuracy();
                    boolean better = Double.isNaN(best)
                            || (monitor == Monitor.VALIDATION_LOSS ? figure < best : figure > best);
                    if (better) {
                        best = figure;
                        h.bestEpoch = epoch;
                        bestState = snapshot(module);
                    }
                }
                line += String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
                if (progress != null) progress.println(line);
                if (validation != null && patience > 0 && epoch - h.bestEpoch >= patience && epoch < epochs - 1) {
                    h.stoppedEarly = true;
                    if (progress != null) {
                        progress.printf("%s: no improvement for %d epochs, stopping; best epoch %d%n", name, patience,
                                h.bestEpoch + 1);
                    }
                    break;
                }
            }
        } finally {
            module.train(true);
        }
        if (restoreBest && bestState != null && h.bestEpoch != h.epochs() - 1) {
            module.load(bestState);
            h.restored = true;
        }
        h.seconds = (System.nanoTime() - start) / 1e9;
        return h;
    }

    private static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.state().entrySet()) copy.put(e.getKey(), e.getValue().copy());
        return copy;
    }

    /**
     * The loss and accuracy of {@code net} on {@code data}, in evaluation mode and without recording (the
     * module's mode is restored afterwards). Accuracy is NaN when the data have no labels.
     *
     * @param module    the module whose mode is switched to evaluation and back
     * @param net       the forward pass
     * @param data      the examples
     * @param loss      the loss of a batch, or null (the loss is then NaN)
     * @param decoder   the decoder for the accuracy; may be null when the data have no labels
     * @param batchSize the number of examples per evaluation batch, &gt; 0
     * @return the mean loss over the examples, the accuracy, the number correct and the number of examples
     * @throws IllegalArgumentException when the data have no examples
     */
    public static Evaluation evaluate(Module module, Layer net, Dataset data, LossFunction loss, Decoder decoder,
            int batchSize) {
        if (module == null || net == null) throw new NullPointerException("trainer.evaluate: the model is null");
        if (data == null) throw new NullPointerException("trainer.evaluate: the dataset is null");
        if (data.size() == 0) throw new IllegalArgumentException("trainer.evaluate: the dataset is empty");
        if (decoder == null && data.hasLabels()) {
            throw new NullPointerException("trainer.evaluate: the decoder is null but the data have labels");
        }
        boolean was = module.isTraining();
        module.train(false);
        double lossSum = 0;
        int correct = 0;
        try (var p = Tape.pause()) {
            for (Batch b : data.batches(batchSize, null)) {
                Tensor out = net.forward(b.x());
                if (loss != null) lossSum += loss.loss(out, b).item() * b.size();
                if (b.labels() != null) correct += Metrics.correct(decoder.predict(out), b.labels());
            }
        } finally {
            module.train(was);
        }
        int n = data.size();
        return new Evaluation(loss == null ? Double.NaN : lossSum / n, data.hasLabels() ? (double) correct / n : Double.NaN,
                correct, n);
    }

    /**
     * The outputs of {@code model} on every row of {@code data}, in evaluation mode and without recording.
     *
     * @param <M>   the model's type
     * @param model the model
     * @param data  the examples
     * @return a new tensor of the outputs, one row per example, in one forward pass over the whole dataset
     */
    public static <M extends Module & Layer> Tensor predict(M model, Dataset data) {
        boolean was = model.isTraining();
        model.train(false);
        try (var p = Tape.pause()) {
            return model.forward(data.inputs());
        } finally {
            model.train(was);
        }
    }

    /**
     * {@link #evaluate(Module, Layer, Dataset, LossFunction, Decoder, int)} for a model that is its own
     * layer.
     *
     * @param <M>     the model's type
     * @param model   the model
     * @param data    the examples
     * @param loss    the loss of a batch, or null (the loss is then NaN)
     * @param decoder the decoder for the accuracy; may be null when the data have no labels
     * @return the mean loss over the examples (batches of 1000), the accuracy, the number correct and the
     *     number of examples
     */
    public static <M extends Module & Layer> Evaluation evaluate(M model, Dataset data, LossFunction loss, Decoder decoder) {
        return evaluate(model, model, data, loss, decoder, 1000);
    }
}
