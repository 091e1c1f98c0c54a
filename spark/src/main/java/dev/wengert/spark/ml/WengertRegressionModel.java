package dev.wengert.spark.ml;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.io.SafeTensors;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A fitted {@link WengertRegressor}: an nn MLP f_θ with one linear output, whose {@code transform} adds the
 * prediction column {@code f_θ(x)}. Prediction runs the network in evaluation mode, one row at a time, without
 * recording.
 *
 * <p>Saved as {@link WengertClassificationModel} is: Spark ML's metadata (the params, as {@code DefaultParamsWriter}
 * writes them) plus {@code data/weights.safetensors}, the network's parameters and buffers by name in float64 (nn's
 * {@link SafeTensors} format, readable by nn and by PyTorch's safetensors).
 *
 * @serial exclude
 */
public final class WengertRegressionModel extends RegressionModel<Vector, WengertRegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final String WHO = "wengertRegressionModel";

    private final String uid;
    private final IntArrayParam layers;
    private final Param<String> activation;
    private final MlpSpec spec;
    private final double[] parameters;
    private final double[] buffers;
    private transient Sequential net;

    WengertRegressionModel(String uid, MlpSpec spec, double[] parameters, double[] buffers) {
        this(Constructing.begin(uid), spec, parameters, buffers);
    }

    private WengertRegressionModel(Constructing marker, MlpSpec spec, double[] parameters, double[] buffers) {
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

    /**
     * The network's output for one row.
     *
     * @param features the row's features, {@code layers[0]} of them
     * @return f_θ(features)
     * @throws IllegalArgumentException naming both widths when the vector's width is not {@code layers[0]}
     */
    @Override
    public double predict(Vector features) {
        double[] x = features.toArray();
        if (x.length != spec.inputs()) {
            throw new IllegalArgumentException(WHO + ".predict: a feature vector of " + x.length
                    + " values; the model reads " + spec.inputs());
        }
        try (var p = Tape.pause()) {
            return net().forward(Tensor.of(x, 1, x.length)).toArray()[0];
        }
    }

    @Override
    public WengertRegressionModel copy(ParamMap extra) {
        WengertRegressionModel c = new WengertRegressionModel(uid, spec, parameters, buffers);
        return copyValues(c, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MlpPersistence.Writer(this, spec, network(), WHO);
    }

    /**
     * The reader for saved models ({@code PipelineModel.load} finds it by this name).
     *
     * @return a reader
     */
    public static MLReader<WengertRegressionModel> read() {
        return new MlpPersistence.Reader<>(WengertRegressionModel.class, WengertRegressionModel::new, WHO);
    }

    /**
     * Loads a saved model.
     *
     * @param path the folder {@link #write()} saved into
     * @return the model
     */
    public static WengertRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "WengertRegressionModel: uid=" + uid + ", layers=" + Arrays.toString(spec.layers());
    }
}
