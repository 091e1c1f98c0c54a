package dev.wengert.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.wengert.nn.Loss;
import dev.wengert.spark.Example;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Spark ML estimator that trains an nn MLP regressor by synchronous data-parallel SGD (or parameter averaging), in
 * MLlib's conventions for regressors ({@code LinearRegression}, {@code FMRegressor}): {@code layers} gives the sizes
 * (inputs, hidden layers, 1), labels are finite numbers, features a vector column. The network f_θ has the
 * {@code activation} in its hidden layers and a linear output. The loss of a global batch B of
 * {@code batchSize} examples is the mean squared error
 *
 * <pre>{@code
 * L(θ) = (1/|B|) Σ_{i ∈ B} (f_θ(x_i) − y_i)²
 * }</pre>
 *
 * <p>and training runs {@code maxIter} epochs of steps on it with the chosen nn optimiser and {@code stepSize},
 * shuffled with {@code seed}, through {@link dev.wengert.spark.DataParallelTrainer}: with {@code localSteps = 0} (the
 * default) every step applies the gradient of L summed over the partitions, which is nn's {@code Trainer} with
 * {@code Loss.meanSquared} on the same global batches up to rounding. The fitted {@link WengertRegressionModel} adds a
 * prediction column f_θ(x) and saves its weights as safetensors.
 *
 * <pre>{@code
 * WengertRegressor mlp = new WengertRegressor().setLayers(new int[] {4, 16, 1}).setMaxIter(30)
 *         .setBatchSize(128).setOptimizer("adam").setStepSize(0.02).setSeed(1);
 * WengertRegressionModel model = mlp.fit(train);
 * Dataset<Row> scored = model.transform(test);
 * }</pre>
 *
 * @serial exclude
 */
public final class WengertRegressor extends Regressor<Vector, WengertRegressor, WengertRegressionModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String WHO = "wengertRegressor";

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
    public WengertRegressor() {
        this(Identifiable$.MODULE$.randomUID(WHO));
    }

    /**
     * An estimator with the given uid (Spark ML's loaders call this).
     *
     * @param uid the uid
     */
    public WengertRegressor(String uid) {
        this(Constructing.begin(uid));
    }

    private WengertRegressor(Constructing marker) {
        // See WengertClassifier: the superclass constructor builds params that ask for uid().
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
     * @param value layer sizes: inputs, hidden layers, 1 output
     * @return this
     * @throws IllegalArgumentException naming the sizes when there are fewer than 2, one is not positive or the last
     *                                  is not 1
     */
    public WengertRegressor setLayers(int[] value) {
        checkLayers(value, "setLayers");
        return with(layers, value);
    }

    /**
     * @param value tanh, relu or sigmoid
     * @return this
     */
    public WengertRegressor setActivation(String value) {
        return with(activation, value);
    }

    /**
     * @param value sgd, momentum or adam
     * @return this
     */
    public WengertRegressor setOptimizer(String value) {
        return with(optimizer, value);
    }

    /**
     * @param value the learning rate, &gt; 0
     * @return this
     */
    public WengertRegressor setStepSize(double value) {
        return with(stepSize, value);
    }

    /**
     * @param value epochs, &gt;= 1
     * @return this
     */
    public WengertRegressor setMaxIter(int value) {
        return with(maxIter, value);
    }

    /**
     * @param value the global batch size, &gt;= 1
     * @return this
     */
    public WengertRegressor setBatchSize(int value) {
        return with(batchSize, value);
    }

    /**
     * @param value 0 for synchronous steps, k &gt;= 1 for parameter averaging every k local steps
     * @return this
     */
    public WengertRegressor setLocalSteps(int value) {
        return with(localSteps, value);
    }

    /**
     * @param value the treeAggregate depth, &gt;= 1
     * @return this
     */
    public WengertRegressor setAggregationDepth(int value) {
        return with(aggregationDepth, value);
    }

    /**
     * @param value the seed of the weights and the shuffling
     * @return this
     */
    public WengertRegressor setSeed(long value) {
        return with(seed, value);
    }

    private <T> WengertRegressor with(Param<T> p, T value) {
        set(p, value);
        return this;
    }

    /** At least 2 sizes, all positive, the last 1: the regressor's network has one output. */
    static void checkLayers(int[] layers, String method) {
        String at = WHO + "." + method + ": ";
        if (layers == null) throw new NullPointerException(at + "layers is null");
        if (layers.length < 2) {
            throw new IllegalArgumentException(at + "layers needs at least 2 sizes (inputs, 1 output), got "
                    + Arrays.toString(layers));
        }
        for (int s : layers) {
            if (s <= 0) {
                throw new IllegalArgumentException(at + "layer sizes must be positive, got " + Arrays.toString(layers));
            }
        }
        if (layers[layers.length - 1] != 1) {
            throw new IllegalArgumentException(at + "layers must end in 1 output (inputs, hidden sizes, 1), got "
                    + Arrays.toString(layers) + " ending in " + layers[layers.length - 1]);
        }
    }

    @Override
    public WengertRegressionModel train(Dataset<?> dataset) {
        if (!isDefined(layers)) throw new IllegalArgumentException(WHO + ".fit: set layers (inputs, hidden, 1)");
        checkLayers($(layers), "fit");
        MlpSpec spec = new MlpSpec($(layers), $(activation), (Long) $(seed));
        String features = $(featuresCol());
        String label = $(labelCol());
        checkLabels(dataset, label);
        int inputs = spec.inputs();
        JavaRDD<Example> examples = dataset.select(col(features), col(label).cast("double")).toJavaRDD().map(row -> {
            double[] x = ((Vector) row.get(0)).toArray();
            if (x.length != inputs) {
                throw new IllegalArgumentException(WHO + ".fit: a feature vector of " + x.length + " values; layers[0] = "
                        + inputs);
            }
            return Example.withTarget(x, new double[] {row.getDouble(1)});
        });
        MlpTraining.Weights w = MlpTraining.fit(dataset.sparkSession(), examples, spec, settings(),
                (out, b) -> Loss.meanSquared(out, b.targets()), WHO);
        WengertRegressionModel model = new WengertRegressionModel(uid, spec, w.parameters(), w.buffers());
        return copyValues(model.setParent(this), extractParamMap());
    }

    private MlpTraining.Settings settings() {
        return new MlpTraining.Settings($(optimizer), (Double) $(stepSize), (Integer) $(maxIter), (Integer) $(batchSize),
                (Long) $(seed), (Integer) $(aggregationDepth), (Integer) $(localSteps));
    }

    /** Labels must be finite and not null: checked in one pass before training, the faults counted by kind. */
    private static void checkLabels(Dataset<?> dataset, String label) {
        Column y = col(label).cast("double");
        Row r = dataset.agg(count(y), count("*"), sum(when(isnan(y), 1).otherwise(0)),
                sum(when(y.equalTo(lit(Double.POSITIVE_INFINITY)), 1).otherwise(0)),
                sum(when(y.equalTo(lit(Double.NEGATIVE_INFINITY)), 1).otherwise(0))).first();
        long nonNull = r.getLong(0);
        long rows = r.getLong(1);
        if (rows == 0) throw new IllegalArgumentException(WHO + ".fit: the dataset has no rows");
        if (nonNull != rows) {
            throw new IllegalArgumentException(WHO + ".fit: " + (rows - nonNull) + " of " + rows
                    + " rows have a null label in column '" + label + "'");
        }
        long nan = r.getLong(2);
        long inf = r.getLong(3);
        long negInf = r.getLong(4);
        if (nan + inf + negInf > 0) {
            throw new IllegalArgumentException(WHO + ".fit: labels in column '" + label + "' must be finite; "
                    + (nan + inf + negInf) + " of " + rows + " are not: " + nan + " NaN, " + inf + " Infinity, "
                    + negInf + " -Infinity");
        }
    }

    @Override
    public WengertRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * The reader of saved (unfitted) estimators, for {@code Pipeline.load}.
     *
     * @return a reader
     */
    public static MLReader<WengertRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a saved estimator.
     *
     * @param path the folder
     * @return the estimator
     */
    public static WengertRegressor load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "WengertRegressor: uid=" + uid + (isDefined(layers) ? ", layers=" + Arrays.toString($(layers)) : "");
    }
}
