package dev.wengert.spark.ml;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.nn.Sequential;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A fitted {@link WengertClassifier}: an nn MLP whose logits z give {@code rawPrediction = z},
 * {@code probability = softmax(z)}, {@code p_c = e^{z_c − max z} / Σ_k e^{z_k − max z}}, and
 * {@code prediction = argmax} (or the thresholds' rule). Prediction runs the network in evaluation mode, one row at a
 * time, without recording.
 *
 * <p>Saved as Spark ML's metadata (the params, as {@code DefaultParamsWriter} writes them) plus
 * {@code data/weights.safetensors}: the network's parameters and buffers by name, in float64 (nn's {@link SafeTensors}
 * format, readable by nn and by PyTorch's safetensors).
 *
 * @serial exclude
 */
public final class WengertClassificationModel extends ProbabilisticClassificationModel<Vector, WengertClassificationModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntArrayParam layers;
    private final Param<String> activation;
    private final MlpSpec spec;
    private final double[] parameters;
    private final double[] buffers;
    private transient Sequential net;

    WengertClassificationModel(String uid, MlpSpec spec, double[] parameters, double[] buffers) {
        this(Constructing.begin(uid), spec, parameters, buffers);
    }

    private WengertClassificationModel(Constructing marker, MlpSpec spec, double[] parameters, double[] buffers) {
        // See WengertClassifier: the superclass constructor builds params that ask for uid().
        this.uid = Constructing.end();
        this.layers = WengertParams.layers(this);
        this.activation = WengertParams.activation(this);
        this.spec = spec;
        this.parameters = parameters;
        this.buffers = buffers;
        set(layers, spec.layers());
        set(activation, spec.activation());
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

    @Override
    public int numClasses() {
        return spec.classes();
    }

    @Override
    public int numFeatures() {
        return spec.inputs();
    }

    /**
     * The trained network (a copy built from the weights: changing it does not change this model).
     *
     * @return the network, in evaluation mode
     */
    public Sequential network() {
        return MlpTraining.network(spec, parameters, buffers);
    }

    private synchronized Sequential net() {
        if (net == null) net = network();
        return net;
    }

    @Override
    public Vector predictRaw(Vector features) {
        double[] x = features.toArray();
        if (x.length != spec.inputs()) {
            throw new IllegalArgumentException("wengertClassificationModel.predictRaw: a feature vector of " + x.length
                    + " values; the model reads " + spec.inputs());
        }
        try (var p = Tape.pause()) {
            return Vectors.dense(net().forward(Tensor.of(x, 1, x.length)).toArray());
        }
    }

    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        if (!(raw instanceof DenseVector d)) {
            throw new IllegalArgumentException("wengertClassificationModel.raw2probabilityInPlace: expected a dense vector, got "
                    + raw.getClass().getSimpleName());
        }
        double[] v = d.values();
        double m = Double.NEGATIVE_INFINITY;
        for (double z : v) m = Math.max(m, z);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(v[i] - m);
            s += v[i];
        }
        for (int i = 0; i < v.length; i++) v[i] /= s;
        return d;
    }

    @Override
    public WengertClassificationModel copy(ParamMap extra) {
        WengertClassificationModel c = new WengertClassificationModel(uid, spec, parameters, buffers);
        return copyValues(c, extra).setParent(parent());
    }

    /**
     * Spark's summary hook, inherited twice (from the classification and the probabilistic model); Java needs the
     * choice spelt out: the probabilistic one.
     *
     * @return what {@code ProbabilisticClassificationModel} returns
     */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        // A raw type: the two inherited signatures differ only in a type argument, which no Java override can match.
        return super.findSummaryModel();
    }

    @Override
    public MLWriter write() {
        return new MlpPersistence.Writer(this, spec, network(), "wengertClassificationModel");
    }

    /**
     * The reader for saved models ({@code PipelineModel.load} finds it by this name).
     *
     * @return a reader
     */
    public static MLReader<WengertClassificationModel> read() {
        return new MlpPersistence.Reader<>(WengertClassificationModel.class, WengertClassificationModel::new,
                "wengertClassificationModel");
    }

    /**
     * Loads a saved model.
     *
     * @param path the folder {@link #write()} saved into
     * @return the model
     */
    public static WengertClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "WengertClassificationModel: uid=" + uid + ", layers=" + java.util.Arrays.toString(spec.layers());
    }
}
