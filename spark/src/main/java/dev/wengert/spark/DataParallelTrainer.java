package dev.wengert.spark;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Batch;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Layer;
import dev.wengert.nn.Module;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training of an nn model on a Spark RDD of {@link Example}s, in one of two modes.
 *
 * <h2>Synchronous (the default)</h2>
 * Every epoch draws the permutation nn's {@code Trainer} draws ({@code Dataset.permutation(n, rng)} from a generator
 * seeded once with {@link #seed}) over the examples' positions in the RDD, so global batch b holds the examples of
 * ranks {@code [bB, (b+1)B)}, as on one machine. Per step the driver broadcasts the parameters θ (a
 * {@link ParameterLayout} vector of p doubles, the buffers beside it); the partition holding {@code n_p} of the
 * batch's N examples computes the gradient of its examples' mean loss and sends
 * <pre>  c_p = (n_p / N) ∇_θ mean_{i ∈ p} ℓ_i,   (n_p / N) mean_{i ∈ p} ℓ_i,   n_p,</pre>
 * the contributions are added ({@link Aggregation}: {@code treeAggregate} or in partition order), and the driver
 * applies the optimiser to {@code Σ_p c_p = ∇_θ (1/N) Σ_i ℓ_i}, the single-machine mean gradient. The optimiser and
 * its state live on the driver; the broadcast is destroyed after each step. A partition with all N examples sends
 * its gradient unscaled, so one partition reproduces nn's {@code Trainer} bit for bit; P partitions agree with it to
 * rounding (the order of the sums differs).
 *
 * <p><b>Batch norm</b> normalises with the statistics of each partition's share of the batch, not of the global
 * batch (PyTorch's DistributedDataParallel without SyncBatchNorm): the gradient is
 * {@code Σ_p (n_p/N) ∇ mean_p ℓ(BN_p)}. The running statistics kept on the driver are those of the lowest-numbered
 * partition with examples in the step (DDP's {@code broadcast_buffers} from rank 0). Dropout masks come from each
 * executor's model copy, so they differ from a single-machine run.
 *
 * <h2>Parameter averaging ({@link #parameterAveraging(int)}: local SGD)</h2>
 * A round covers k consecutive global batches. Each partition starts from the broadcast θ and optimiser state and
 * takes a local step on its share of each of the k batches (skipping the ones where it has none), with its own copy
 * of the optimiser; the driver then sets θ to the average of the partitions' parameters weighted by the examples each
 * processed, and the optimiser's moments to the same weighted average of theirs (a step counter such as Adam's t to
 * the largest). With k = 1 and plain SGD this is the synchronous step:
 * {@code Σ_p (n_p/N)(θ − η ∇mean_p) = θ − η Σ_p (n_p/N) ∇mean_p}.
 *
 * <h2>Checkpoints</h2>
 * {@link #checkpointEvery(int, Path)} writes a {@link Checkpoint} (parameters, buffers, optimiser state, step, epoch,
 * the shuffling generator) every k rounds; {@link #resume(Path)} continues from the newest one, and with
 * {@link Aggregation#ORDERED} (or two partitions) the continued run equals the uninterrupted one bit for bit.
 *
 * @param <M> the model's type
 */
public final class DataParallelTrainer<M extends Module & Layer> {
    private final JavaSparkContext sc;
    private final ModelFactory<M> factory;
    private final OptimizerFactory optimizerFactory;
    private final ExampleLoss loss;
    private final M model;
    private final Optimizer optimizer;
    private final ParameterLayout layout;
    private int epochs = 1;
    private int batchSize = 64;
    private long seed;
    private long maxSteps = Long.MAX_VALUE;
    private Aggregation aggregation = Aggregation.TREE;
    private int treeDepth = 2;
    private int localSteps;
    private Schedule schedule;
    private int checkpointEvery;
    private Path checkpointDir;
    private Path resumeDir;
    private Boolean truncateLineage;

    private DataParallelTrainer(JavaSparkContext sc, ModelFactory<M> factory, OptimizerFactory optimizerFactory,
            ExampleLoss loss) {
        if (sc == null) throw new NullPointerException("dataParallel: the Spark context is null");
        if (factory == null) throw new NullPointerException("dataParallel: the model factory is null");
        if (optimizerFactory == null) throw new NullPointerException("dataParallel: the optimizer factory is null");
        if (loss == null) throw new NullPointerException("dataParallel: the loss is null");
        this.sc = sc;
        this.factory = factory;
        this.optimizerFactory = optimizerFactory;
        this.loss = loss;
        this.model = factory.create();
        if (model == null) throw new NullPointerException("dataParallel: the model factory returned null");
        this.optimizer = optimizerFactory.create(model.parameters());
        if (optimizer == null) throw new NullPointerException("dataParallel: the optimizer factory returned null");
        this.layout = ParameterLayout.of(model);
    }

    /**
     * A trainer; it builds the driver's model and optimiser now (see {@link #model()}).
     *
     * @param <M>       the model's type
     * @param sc        the Spark context
     * @param model     builds the model (on the driver and on executors)
     * @param optimizer builds the optimiser over the model's parameters
     * @param loss      the batch-mean loss
     * @return the trainer, synchronous, 1 epoch of batches of 64, seed 0
     */
    public static <M extends Module & Layer> DataParallelTrainer<M> of(JavaSparkContext sc, ModelFactory<M> model,
            OptimizerFactory optimizer, ExampleLoss loss) {
        return new DataParallelTrainer<>(sc, model, optimizer, loss);
    }

    /**
     * The number of passes over the data (default 1).
     *
     * @param epochs &gt; 0
     * @return this
     */
    public DataParallelTrainer<M> epochs(int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("dataParallel: epochs must be positive, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    /**
     * The global batch size B (default 64): the examples of one step, over all partitions.
     *
     * @param batchSize &gt; 0
     * @return this
     */
    public DataParallelTrainer<M> batchSize(int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("dataParallel: batch size must be positive, got " + batchSize);
        this.batchSize = batchSize;
        return this;
    }

    /**
     * The seed of the shuffling generator, as {@code Trainer.seed}.
     *
     * @param seed the seed
     * @return this
     */
    public DataParallelTrainer<M> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Stops after this many global batches in total (counting those before a resume).
     *
     * @param steps &gt; 0
     * @return this
     */
    public DataParallelTrainer<M> maxSteps(long steps) {
        if (steps <= 0) throw new IllegalArgumentException("dataParallel: maxSteps must be positive, got " + steps);
        this.maxSteps = steps;
        return this;
    }

    /**
     * How contributions are added (default {@link Aggregation#TREE}).
     *
     * @param aggregation the mode
     * @return this
     */
    public DataParallelTrainer<M> aggregation(Aggregation aggregation) {
        if (aggregation == null) throw new NullPointerException("dataParallel: the aggregation is null");
        this.aggregation = aggregation;
        return this;
    }

    /**
     * The depth of {@code treeAggregate} (default 2, Spark's): about {@code P^(1/depth)} partitions per combining task.
     *
     * @param depth &gt;= 1
     * @return this
     */
    public DataParallelTrainer<M> treeDepth(int depth) {
        if (depth < 1) throw new IllegalArgumentException("dataParallel: tree depth must be >= 1, got " + depth);
        this.treeDepth = depth;
        return this;
    }

    /**
     * Parameter averaging: k local steps per round, then the weighted average (see the class comment).
     *
     * @param k local steps per round, &gt;= 1
     * @return this
     */
    public DataParallelTrainer<M> parameterAveraging(int k) {
        if (k < 1) throw new IllegalArgumentException("dataParallel: parameter averaging needs k >= 1 local steps, got " + k);
        this.localSteps = k;
        return this;
    }

    /**
     * Synchronous gradient aggregation, the default (undoes {@link #parameterAveraging}).
     *
     * @return this
     */
    public DataParallelTrainer<M> synchronous() {
        this.localSteps = 0;
        return this;
    }

    /**
     * A learning-rate schedule applied at the start of each epoch, as {@code Trainer.schedule}.
     *
     * @param schedule the schedule, or null for none
     * @return this
     */
    public DataParallelTrainer<M> schedule(Schedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /**
     * Writes a checkpoint into {@code dir} after every {@code rounds} rounds.
     *
     * @param rounds &gt; 0
     * @param dir    the folder (created when needed)
     * @return this
     */
    public DataParallelTrainer<M> checkpointEvery(int rounds, Path dir) {
        if (rounds <= 0) throw new IllegalArgumentException("dataParallel: checkpoint interval must be positive, got " + rounds);
        if (dir == null) throw new NullPointerException("dataParallel: the checkpoint folder is null");
        this.checkpointEvery = rounds;
        this.checkpointDir = dir;
        return this;
    }

    /**
     * Continues from the newest checkpoint in {@code dir} when {@link #fit} starts (from the start when it has none).
     *
     * @param dir the folder
     * @return this
     */
    public DataParallelTrainer<M> resume(Path dir) {
        if (dir == null) throw new NullPointerException("dataParallel: the resume folder is null");
        this.resumeDir = dir;
        return this;
    }

    /**
     * Whether to keep the packed examples on the executors with {@code localCheckpoint} (cutting the lineage) rather
     * than caching them with their lineage. Default (null): only for data {@code parallelize}d from the driver, whose
     * rows would otherwise travel with every task. A local checkpoint is not recomputed when an executor is lost (the
     * job fails); data read from files keep their lineage and are re-read.
     *
     * @param truncate true, false, or null for the default
     * @return this
     */
    public DataParallelTrainer<M> truncateLineage(Boolean truncate) {
        this.truncateLineage = truncate;
        return this;
    }

    /**
     * The driver's model: trained in place by {@link #fit}.
     *
     * @return the model
     */
    public M model() {
        return model;
    }

    /**
     * The driver's optimiser.
     *
     * @return the optimiser
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Trains on {@code data}; the example order of the RDD is the dataset's row order.
     *
     * @param data the examples, at least one; partitions may be empty
     * @return what was recorded
     * @throws IllegalArgumentException naming the example at fault when the data are empty, of mixed widths or kinds,
     *                                  or contain a non-finite feature, or when a checkpoint does not match
     * @throws IllegalStateException    when the loss becomes non-finite or a Spark task fails for good
     */
    public TrainingResult fit(JavaRDD<Example> data) {
        if (data == null) throw new NullPointerException("dataParallel.fit: the data RDD is null");
        long start = System.nanoTime();
        JavaRDD<Shard> shards = data.zipWithIndex()
                .mapPartitionsWithIndex((i, it) -> Collections.singletonList(Shard.pack(i, it)).iterator(), true);
        if (truncateLineage == null ? fromDriverCollection(data) : truncateLineage) {
            // A parallelised collection keeps its rows in its partition objects, which every task of every step would
            // otherwise carry along: keep the packed shards on the executors and cut the lineage to them.
            shards.rdd().localCheckpoint();
        } else {
            shards.persist(StorageLevel.MEMORY_ONLY());
        }
        try {
            int n = check(call(() -> shards.map(Shard::summary).collect(), "checking the data"));
            return train(shards, n, start);
        } finally {
            shards.unpersist(false);
        }
    }

    /** Whether {@code data} is {@code parallelize}d driver data, through narrow one-parent steps only. */
    private static boolean fromDriverCollection(JavaRDD<?> data) {
        org.apache.spark.rdd.RDD<?> r = data.rdd();
        while (true) {
            if (r.getClass().getName().equals("org.apache.spark.rdd.ParallelCollectionRDD")) return true;
            if (r.dependencies().size() != 1) return false;
            r = r.dependencies().head().rdd();
        }
    }

    private static int check(List<Shard.Summary> summaries) {
        long n = 0;
        Shard.Summary first = null;
        for (Shard.Summary s : summaries) {
            if (s.problem() != null) throw new IllegalArgumentException("dataParallel.fit: " + s.problem());
            n += s.size();
            if (s.size() == 0) continue;
            if (first == null) {
                first = s;
            } else if (s.features() != first.features() || s.labelled() != first.labelled() || s.width() != first.width()) {
                throw new IllegalArgumentException("dataParallel.fit: example " + s.firstIndex() + " has " + s.features()
                        + " features" + (s.labelled() ? ", a label" : ", no label") + " and a target of " + s.width()
                        + ", example " + first.firstIndex() + " has " + first.features() + (first.labelled() ? ", a label"
                        : ", no label") + " and a target of " + first.width());
            }
        }
        if (n == 0) throw new IllegalArgumentException("dataParallel.fit: the data RDD has no examples (" + summaries.size()
                + " partitions, all empty)");
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("dataParallel.fit: " + n + " examples; at most "
                + Integer.MAX_VALUE);
        return (int) n;
    }

    private Map<String, String> settings(int n) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("examples", Integer.toString(n));
        s.put("batch_size", Integer.toString(batchSize));
        s.put("seed", Long.toString(seed));
        s.put("local_steps", Integer.toString(localSteps));
        s.put("parameters", Integer.toString(layout.size()));
        return s;
    }

    private TrainingResult train(JavaRDD<Shard> shards, int n, long start) {
        String run = UUID.randomUUID().toString();
        Map<String, String> settings = settings(n);
        Random shuffle = new Random(seed);
        long step = 0;
        int firstEpoch = 0;
        int firstBatch = 0;
        double epochLossSum = 0;
        long epochSeen = 0;
        if (resumeDir != null) {
            Path file = Checkpoint.latest(resumeDir);
            if (file != null) {
                Checkpoint c = Checkpoint.read(file);
                if (!c.settings().equals(settings)) {
                    throw new IllegalArgumentException("dataParallel.resume: " + file + " was written with " + c.settings()
                            + ", this run has " + settings);
                }
                model.load(c.model());
                optimizer.loadState(c.optimizer());
                optimizer.setLearningRate(c.learningRate());
                shuffle = c.rng();
                step = c.step();
                firstEpoch = c.epoch();
                firstBatch = c.batch();
                epochLossSum = c.epochLossSum();
                epochSeen = c.epochSeen();
            }
        }
        int batches = (n + batchSize - 1) / batchSize;
        List<Double> epochLoss = new ArrayList<>();
        long[] roundNanos = new long[16];
        long[] computeNanos = new long[16];
        long[] updateNanos = new long[16];
        int rounds = 0;
        long roundsSinceCheckpoint = 0;
        // Reused every round: the parameter and buffer vectors broadcast, and the gradient tensors the optimiser reads.
        double[] params = new double[layout.size()];
        double[] buffers = new double[layout.bufferSize()];
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : layout.tensors()) grads.add(Tensor.zeros(p.shape()));
        model.train(true);
        outer:
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            Random atEpochStart = Checkpoint.copy(shuffle);
            if (schedule != null) schedule.applyTo(optimizer, epoch);
            int[] order = Dataset.permutation(n, shuffle);
            int[] rank = new int[n];
            for (int i = 0; i < n; i++) rank[order[i]] = i;
            Broadcast<int[]> ranks = sc.broadcast(rank);
            try {
                int b = epoch == firstEpoch ? firstBatch : 0;
                if (epoch != firstEpoch) {
                    epochLossSum = 0;
                    epochSeen = 0;
                }
                while (b < batches) {
                    if (step >= maxSteps) break outer;
                    int k = localSteps == 0 ? 1 : (int) Math.min(Math.min(localSteps, batches - b), maxSteps - step);
                    int[] lo = new int[k];
                    int[] hi = new int[k];
                    long examples = 0;
                    for (int j = 0; j < k; j++) {
                        lo[j] = (b + j) * batchSize;
                        hi[j] = Math.min(n, lo[j] + batchSize);
                        examples += hi[j] - lo[j];
                    }
                    long t0 = System.nanoTime();
                    layout.readParameters(params);
                    layout.readBuffers(buffers);
                    double[] state = localSteps == 0 ? null : flatten(optimizer.state());
                    Broadcast<Round> round = sc.broadcast(new Round(params, buffers, lo, hi, optimizer.learningRate(), state));
                    Contribution sum;
                    int stepNo = (int) Math.min(Integer.MAX_VALUE, step + 1);
                    int epochNo = epoch + 1;
                    try {
                        JavaRDD<Contribution> parts = localSteps == 0 ? gradients(shards, run, round, ranks)
                                : averages(shards, run, round, ranks);
                        sum = call(() -> aggregate(parts), "step " + stepNo + " (epoch " + epochNo + ")");
                    } finally {
                        round.destroy();
                    }
                    if (sum.count != examples) {
                        throw new IllegalStateException("dataParallel: step " + stepNo + " aggregated " + sum.count
                                + " examples, the round has " + examples + " (an example in two partitions?)");
                    }
                    long t1 = System.nanoTime();
                    double meanLoss = localSteps == 0 ? sum.loss : sum.loss / examples;
                    if (!Double.isFinite(meanLoss)) {
                        throw new IllegalStateException("dataParallel: the loss is " + meanLoss + " at epoch " + epochNo
                                + ", step " + stepNo + " (learning rate " + optimizer.learningRate()
                                + "); lower the learning rate or clip the gradients");
                    }
                    if (localSteps == 0) {
                        int off = 0;
                        for (Tensor g : grads) {
                            System.arraycopy(sum.vector, off, g.mutableData(), 0, g.size());
                            off += g.size();
                        }
                        optimizer.step(grads);
                    } else {
                        double inv = 1.0 / examples;
                        for (int i = 0; i < sum.vector.length; i++) sum.vector[i] *= inv;
                        layout.writeParameters(sum.vector);
                        for (int i = 0; i < sum.optimizerState.length; i++) sum.optimizerState[i] *= inv;
                        optimizer.loadState(unflatten(sum.optimizerState, optimizer.state(), sum.maxOptimizerStep));
                    }
                    if (sum.buffers != null) layout.writeBuffers(sum.buffers);
                    long t2 = System.nanoTime();
                    if (rounds == roundNanos.length) {
                        roundNanos = Arrays.copyOf(roundNanos, 2 * rounds);
                        computeNanos = Arrays.copyOf(computeNanos, 2 * rounds);
                        updateNanos = Arrays.copyOf(updateNanos, 2 * rounds);
                    }
                    roundNanos[rounds] = t2 - t0;
                    computeNanos[rounds] = sum.computeNanos;
                    updateNanos[rounds] = t2 - t1;
                    rounds++;
                    epochLossSum += meanLoss * examples;
                    epochSeen += examples;
                    step += k;
                    b += k;
                    if (checkpointDir != null && ++roundsSinceCheckpoint == checkpointEvery) {
                        roundsSinceCheckpoint = 0;
                        new Checkpoint(step, epoch, b, atEpochStart, optimizer.learningRate(), epochLossSum, epochSeen,
                                layout.toState(layout.readParameters(null), layout.readBuffers(null)), optimizer.state(),
                                settings).write(checkpointDir);
                    }
                }
            } finally {
                ranks.destroy();
                if (epochSeen > 0) epochLoss.add(epochLossSum / epochSeen);
            }
        }
        return new TrainingResult(epochLoss, step, (System.nanoTime() - start) / 1e9, Arrays.copyOf(roundNanos, rounds),
                Arrays.copyOf(computeNanos, rounds), Arrays.copyOf(updateNanos, rounds));
    }

    private Contribution aggregate(JavaRDD<Contribution> parts) {
        if (aggregation == Aggregation.ORDERED) {
            Contribution sum = new Contribution();
            for (Contribution c : parts.collect()) sum = Contribution.merge(sum, c);
            return sum;
        }
        return parts.treeAggregate(new Contribution(), Contribution::merge, Contribution::merge, treeDepth);
    }

    private JavaRDD<Contribution> gradients(JavaRDD<Shard> shards, String run, Broadcast<Round> round,
            Broadcast<int[]> ranks) {
        ModelFactory<M> f = factory;
        ExampleLoss l = loss;
        return shards.mapPartitions(it -> gradientTask(it, run, f, l, round.value(), ranks.value()), true);
    }

    private JavaRDD<Contribution> averages(JavaRDD<Shard> shards, String run, Broadcast<Round> round,
            Broadcast<int[]> ranks) {
        ModelFactory<M> f = factory;
        OptimizerFactory of = optimizerFactory;
        ExampleLoss l = loss;
        return shards.mapPartitions(it -> averagingTask(it, run, f, of, l, round.value(), ranks.value()), true);
    }

    /** One synchronous step on one partition: its share of the batch's mean gradient. */
    static Iterator<Contribution> gradientTask(Iterator<Shard> it, String run, ModelFactory<?> factory, ExampleLoss loss,
            Round round, int[] rank) {
        Contribution c = new Contribution();
        if (!it.hasNext()) return List.of(c).iterator();
        Shard s = it.next();
        int[] rows = s.rowsOf(rank, round.lo()[0], round.hi()[0]);
        if (rows.length == 0) return List.of(c).iterator();
        long t0 = System.nanoTime();
        Worker w = Worker.get(run, factory);
        w.layout.writeParameters(round.params());
        w.layout.writeBuffers(round.buffers());
        w.module.train(true);
        w.module.zeroGrad();
        Batch batch = s.batch(rows);
        double value = forwardBackward(w, loss, batch);
        int total = round.hi()[0] - round.lo()[0];
        // A partition holding the whole batch sends its gradient unscaled: one partition is then nn's Trainer exactly.
        double weight = rows.length == total ? 1.0 : (double) rows.length / total;
        Arrays.fill(w.vector, 0.0);
        w.layout.addGradients(w.vector, weight);
        w.module.zeroGrad();
        c.vector = w.vector;
        c.loss = weight * value;
        c.count = rows.length;
        c.buffers = w.layout.readBuffers(null);
        c.bufferPartition = s.partition;
        c.computeNanos = System.nanoTime() - t0;
        return List.of(c).iterator();
    }

    /** k local steps on one partition, from the broadcast parameters and optimiser state. */
    static Iterator<Contribution> averagingTask(Iterator<Shard> it, String run, ModelFactory<?> factory,
            OptimizerFactory optimizerFactory, ExampleLoss loss, Round round, int[] rank) {
        Contribution c = new Contribution();
        if (!it.hasNext()) return List.of(c).iterator();
        Shard s = it.next();
        long t0 = System.nanoTime();
        Worker w = null;
        Optimizer opt = null;
        long examples = 0;
        double lossSum = 0;
        for (int j = 0; j < round.lo().length; j++) {
            int[] rows = s.rowsOf(rank, round.lo()[j], round.hi()[j]);
            if (rows.length == 0) continue;
            if (w == null) {
                w = Worker.get(run, factory);
                w.layout.writeParameters(round.params());
                w.layout.writeBuffers(round.buffers());
                w.module.train(true);
                opt = w.optimizer(optimizerFactory);
                opt.loadState(unflatten(round.optimizerState(), opt.state(), Double.NaN));
                opt.setLearningRate(round.learningRate());
            }
            w.module.zeroGrad();
            double value = forwardBackward(w, loss, s.batch(rows));
            opt.step();
            opt.zeroGrad();
            examples += rows.length;
            lossSum += value * rows.length;
        }
        if (w == null) return List.of(c).iterator();
        double[] v = w.layout.readParameters(w.vector);
        for (int i = 0; i < v.length; i++) v[i] *= examples;
        c.vector = v;
        Map<String, double[]> state = opt.state();
        double[] flat = flatten(state);
        for (int i = 0; i < flat.length; i++) flat[i] *= examples;
        c.optimizerState = flat;
        double[] stepEntry = state.get(STEP);
        c.maxOptimizerStep = stepEntry == null ? 0 : stepEntry[0];
        c.loss = lossSum;
        c.count = examples;
        c.buffers = w.layout.readBuffers(null);
        c.bufferPartition = s.partition;
        c.computeNanos = System.nanoTime() - t0;
        return List.of(c).iterator();
    }

    private static double forwardBackward(Worker w, ExampleLoss loss, Batch batch) {
        if (w.net == null) {
            throw new IllegalArgumentException("dataParallel: the model " + w.module.getClass().getSimpleName()
                    + " is not an nn Layer; it has no forward pass to train");
        }
        try (Tape tape = Tape.open()) {
            Tensor out = w.net.forward(batch.x());
            Tensor l = loss.loss(out, batch);
            if (l == null || l.size() != 1) {
                throw new IllegalArgumentException("dataParallel: the loss must be a scalar, got "
                        + (l == null ? "null" : l.describe()));
            }
            double value = l.item();
            tape.backward(l);
            return value;
        }
    }

    /** The name of an optimiser's step counter in its state: averaged as the maximum, not the mean. */
    static final String STEP = "step";

    static double[] flatten(Map<String, double[]> state) {
        int n = 0;
        for (double[] a : state.values()) n += a.length;
        double[] out = new double[n];
        int k = 0;
        for (double[] a : state.values()) {
            System.arraycopy(a, 0, out, k, a.length);
            k += a.length;
        }
        return out;
    }

    /** {@code flat} cut as {@code like} is laid out; a non-NaN {@code step} replaces the step counter. */
    static Map<String, double[]> unflatten(double[] flat, Map<String, double[]> like, double step) {
        Map<String, double[]> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, double[]> e : like.entrySet()) {
            double[] a = Arrays.copyOfRange(flat, k, k + e.getValue().length);
            k += a.length;
            if (e.getKey().equals(STEP) && !Double.isNaN(step)) a[0] = step;
            out.put(e.getKey(), a);
        }
        if (k != flat.length) {
            throw new IllegalStateException("dataParallel: an optimiser state of " + flat.length + " doubles for "
                    + k + " (different optimisers on driver and executors?)");
        }
        return out;
    }

    /** A Spark job whose failure is reported with the operation and the root cause, not as a raw SparkException. */
    static <T> T call(java.util.function.Supplier<T> job, String what) {
        try {
            return job.get();
        } catch (Exception e) {
            // Scala code throws the checked SparkException without declaring it: catch broadly, pass others on.
            if (!(e instanceof SparkException) && e instanceof RuntimeException re) throw re;
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new IllegalStateException("dataParallel: " + what + " failed in Spark: "
                    + (root == e ? e.getMessage() : root.getClass().getSimpleName() + ": " + root.getMessage()), e);
        }
    }
}
