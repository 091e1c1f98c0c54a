package dev.wengert.spark.ml;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.nn.Sequential;
import dev.wengert.spark.ParameterLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

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
    private static final String WEIGHTS = "data/weights.safetensors";

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
        Sequential n = spec.create();
        ParameterLayout l = ParameterLayout.of(n);
        l.writeParameters(parameters);
        l.writeBuffers(buffers);
        n.eval();
        return n;
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
        return new Writer(this);
    }

    /**
     * The reader for saved models ({@code PipelineModel.load} finds it by this name).
     *
     * @return a reader
     */
    public static MLReader<WengertClassificationModel> read() {
        return new Reader();
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

    private static final class Writer extends MLWriter {
        private final WengertClassificationModel model;

        Writer(WengertClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Sequential n = model.network();
            byte[] bytes = SafeTensors.encode(n.state(), Map.of("library", "wengert", "seed",
                    Long.toString(model.spec.seed())));
            Path file = new Path(path, WEIGHTS);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(file, true)) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("wengertClassificationModel.save: cannot write " + file, e);
            }
        }
    }

    private static final class Reader extends MLReader<WengertClassificationModel> {
        @Override
        public WengertClassificationModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    WengertClassificationModel.class.getName());
            Path file = new Path(path, WEIGHTS);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (InputStream in = fs.open(file)) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    in.transferTo(b);
                    bytes = b.toByteArray();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("wengertClassificationModel.load: cannot read " + file, e);
            }
            SafeTensors.Contents c = SafeTensors.decode(bytes, file.toString());
            String seed = c.metadata().getOrDefault("seed", "0");
            // The params (layers, activation) come from the metadata; set them on a model to read them back.
            WengertClassificationModel probe = new WengertClassificationModel(meta.uid(),
                    new MlpSpec(new int[] {1, 1}, "tanh", 0), new double[0], new double[0]);
            meta.getAndSetParams(probe, Option.empty());
            MlpSpec spec = new MlpSpec(probe.$(probe.layers), probe.$(probe.activation), Long.parseLong(seed));
            Sequential n = spec.create();
            n.load(c.tensors());
            ParameterLayout l = ParameterLayout.of(n);
            WengertClassificationModel m = new WengertClassificationModel(meta.uid(), spec, l.readParameters(null),
                    l.readBuffers(null));
            meta.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
