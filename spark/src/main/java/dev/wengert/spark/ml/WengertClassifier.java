package dev.wengert.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.wengert.nn.Loss;
import dev.wengert.spark.Example;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Spark ML estimator that trains an nn MLP classifier by synchronous data-parallel SGD (or parameter averaging), in
 * the manner of MLlib's {@code MultilayerPerceptronClassifier}: {@code layers} gives the sizes (inputs, hidden layers,
 * classes), labels are the class indices {@code 0, 1, ..., classes − 1} as doubles, features a vector column. The
 * loss is the softmax cross-entropy of the logits, averaged over each global batch of {@code batchSize} examples;
 * training runs {@code maxIter} epochs with the chosen nn optimiser and {@code stepSize}, shuffled with {@code seed}
 * (see {@link dev.wengert.spark.DataParallelTrainer}). The fitted {@link WengertClassificationModel} adds
 * rawPrediction (logits), probability (softmax) and prediction columns, and saves its weights as safetensors.
 *
 * <pre>{@code
 * WengertClassifier mlp = new WengertClassifier().setLayers(new int[] {784, 100, 10}).setMaxIter(5)
 *         .setBatchSize(256).setOptimizer("adam").setStepSize(1e-3).setSeed(1);
 * WengertClassificationModel model = mlp.fit(train);
 * Dataset<Row> scored = model.transform(test);
 * }</pre>
 *
 * @serial exclude
 */
public final class WengertClassifier extends ProbabilisticClassifier<Vector, WengertClassifier, WengertClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntArrayParam layers;
    private final Param<String> activation;
    private final Param<String> optimizer;
    private final DoubleParam stepSize;
    private final IntParam maxIter;
    private final IntParam batchSize;
    private final IntParam localSteps;
    private final IntParam aggregationDepth;
    private final LongParam seed;

    /** An estimator with a fresh uid and the defaults: tanh, sgd, stepSize 0.03, maxIter 100, batchSize 128, seed 0. */
    public WengertClassifier() {
        this(Identifiable$.MODULE$.randomUID("wengertClassifier"));
    }

    /**
     * An estimator with the given uid (Spark ML's loaders call this).
     *
     * @param uid the uid
     */
    public WengertClassifier(String uid) {
        this(Constructing.begin(uid));
    }

    private WengertClassifier(Constructing marker) {
        // Spark's inherited params (featuresCol, ...) are built by the superclass constructor and ask for uid() then:
        // Constructing hands it over before this class's fields exist.
        this.uid = Constructing.end();
        this.layers = WengertParams.layers(this);
        this.activation = WengertParams.activation(this);
        this.optimizer = WengertParams.optimizer(this);
        this.stepSize = WengertParams.stepSize(this);
        this.maxIter = WengertParams.maxIter(this);
        this.batchSize = WengertParams.batchSize(this);
        this.localSteps = WengertParams.localSteps(this);
        this.aggregationDepth = WengertParams.aggregationDepth(this);
        this.seed = WengertParams.seed(this);
        setDefault(activation, "tanh");
        setDefault(optimizer, "sgd");
        setDefault(stepSize, 0.03);
        setDefault(maxIter, 100);
        setDefault(batchSize, 128);
        setDefault(localSteps, 0);
        setDefault(aggregationDepth, 2);
        setDefault(seed, 0L);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Constructing.current();
    }

    /** @return the layer sizes param */
    public IntArrayParam layers() {
        return layers;
    }

    /** @return the hidden activation param */
    public Param<String> activation() {
        return activation;
    }

    /** @return the optimiser param */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** @return the learning-rate param */
    public DoubleParam stepSize() {
        return stepSize;
    }

    /** @return the epochs param */
    public IntParam maxIter() {
        return maxIter;
    }

    /** @return the global batch size param */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the local-steps param (0: synchronous) */
    public IntParam localSteps() {
        return localSteps;
    }

    /** @return the tree depth param */
    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    /** @return the seed param */
    public LongParam seed() {
        return seed;
    }

    /**
     * @param value layer sizes: inputs, hidden layers, classes
     * @return this
     */
    public WengertClassifier setLayers(int[] value) {
        return with(layers, value);
    }

    /**
     * @param value tanh, relu or sigmoid
     * @return this
     */
    public WengertClassifier setActivation(String value) {
        return with(activation, value);
    }

    /**
     * @param value sgd, momentum or adam
     * @return this
     */
    public WengertClassifier setOptimizer(String value) {
        return with(optimizer, value);
    }

    /**
     * @param value the learning rate, &gt; 0
     * @return this
     */
    public WengertClassifier setStepSize(double value) {
        return with(stepSize, value);
    }

    /**
     * @param value epochs, &gt;= 1
     * @return this
     */
    public WengertClassifier setMaxIter(int value) {
        return with(maxIter, value);
    }

    /**
     * @param value the global batch size, &gt;= 1
     * @return this
     */
    public WengertClassifier setBatchSize(int value) {
        return with(batchSize, value);
    }

    /**
     * @param value 0 for synchronous steps, k &gt;= 1 for parameter averaging every k local steps
     * @return this
     */
    public WengertClassifier setLocalSteps(int value) {
        return with(localSteps, value);
    }

    /**
     * @param value the treeAggregate depth, &gt;= 1
     * @return this
     */
    public WengertClassifier setAggregationDepth(int value) {
        return with(aggregationDepth, value);
    }

    /**
     * @param value the seed of the weights and the shuffling
     * @return this
     */
    public WengertClassifier setSeed(long value) {
        return with(seed, value);
    }

    private <T> WengertClassifier with(Param<T> p, T value) {
        set(p, value);
        return this;
    }

    @Override
    public WengertClassificationModel train(Dataset<?> dataset) {
        if (!isDefined(layers)) throw new IllegalArgumentException("wengertClassifier.fit: set layers (inputs, hidden, classes)");
        MlpSpec spec = new MlpSpec($(layers), $(activation), (Long) $(seed));
        String features = $(featuresCol());
        String label = $(labelCol());
        checkLabels(dataset, label, spec.classes());
        int inputs = spec.inputs();
        JavaRDD<Example> examples = dataset.select(col(features), col(label).cast("double")).toJavaRDD().map(row -> {
            double[] x = ((Vector) row.get(0)).toArray();
            if (x.length != inputs) {
                throw new IllegalArgumentException("wengertClassifier.fit: a feature vector of " + x.length
                        + " values; layers[0] = " + inputs);
            }
            return Example.labelled(x, (int) row.getDouble(1));
        });
        MlpTraining.Weights w = MlpTraining.fit(dataset.sparkSession(), examples, spec, settings(),
                (out, b) -> Loss.crossEntropy(out, b.labels()), "wengertClassifier");
        WengertClassificationModel model = new WengertClassificationModel(uid, spec, w.parameters(), w.buffers());
        return copyValues(model.setParent(this), extractParamMap());
    }

    private MlpTraining.Settings settings() {
        return new MlpTraining.Settings($(optimizer), (Double) $(stepSize), (Integer) $(maxIter), (Integer) $(batchSize),
                (Long) $(seed), (Integer) $(aggregationDepth), (Integer) $(localSteps));
    }

    /** Labels must be whole numbers in {@code [0, classes)} and not null: checked in one pass before training. */
    private static void checkLabels(Dataset<?> dataset, String label, int classes) {
        Row r = dataset.agg(min(col(label)), max(col(label)), count(col(label)), count("*"),
                sum(when(col(label).notEqual(floor(col(label))), 1).otherwise(0))).first();
        long nonNull = r.getLong(2);
        long rows = r.getLong(3);
        if (rows == 0) throw new IllegalArgumentException("wengertClassifier.fit: the dataset has no rows");
        if (nonNull != rows) {
            throw new IllegalArgumentException("wengertClassifier.fit: " + (rows - nonNull) + " of " + rows
                    + " rows have a null label in column '" + label + "'");
        }
        double lo = ((Number) r.get(0)).doubleValue();
        double hi = ((Number) r.get(1)).doubleValue();
        long fractional = r.isNullAt(4) ? 0 : ((Number) r.get(4)).longValue();
        if (lo < 0 || hi >= classes || fractional > 0 || Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new IllegalArgumentException("wengertClassifier.fit: labels in column '" + label + "' must be whole numbers"
                    + " in [0, " + classes + ") for layers ending in " + classes + " classes; they range over [" + lo
                    + ", " + hi + "]" + (fractional > 0 ? " with " + fractional + " not whole" : ""));
        }
    }

    @Override
    public WengertClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * The reader of saved (unfitted) estimators, for {@code Pipeline.load}.
     *
     * @return a reader
     */
    public static MLReader<WengertClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a saved estimator.
     *
     * @param path the folder
     * @return the estimator
     */
    public static WengertClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "WengertClassifier: uid=" + uid + (isDefined(layers) ? ", layers=" + Arrays.toString($(layers)) : "");
    }
}
