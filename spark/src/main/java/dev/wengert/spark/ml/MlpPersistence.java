package dev.wengert.spark.ml;

import dev.wengert.nn.Sequential;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.spark.ParameterLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * How the fitted models save and load: Spark ML's metadata (the params, as {@code DefaultParamsWriter} writes them)
 * plus {@code data/weights.safetensors}, the network's parameters and buffers by name in float64 (nn's
 * {@link SafeTensors} format), with the seed of the initial weights as metadata.
 */
final class MlpPersistence {
    static final String WEIGHTS = "data/weights.safetensors";

    private MlpPersistence() {}

    /** Builds a model from its uid, spec and weights (the models' package-private constructors). */
    @FunctionalInterface
    interface Factory<M> {
        M create(String uid, MlpSpec spec, double[] parameters, double[] buffers);
    }

    /** Writes a model's metadata and weights; {@code who} (the model's uid prefix) names it in errors. */
    static final class Writer extends MLWriter {
        private final Params model;
        private final MlpSpec spec;
        private final Sequential network;
        private final String who;

        Writer(Params model, MlpSpec spec, Sequential network, String who) {
            this.model = model;
            this.spec = spec;
            this.network = network;
            this.who = who;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            byte[] bytes = SafeTensors.encode(network.state(), Map.of("library", "wengert", "seed",
                    Long.toString(spec.seed())));
            Path file = new Path(path, WEIGHTS);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(file, true)) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(who + ".save: cannot write " + file, e);
            }
        }
    }

    /**
     * Reads what {@link Writer} wrote. The layers and activation come from the metadata: they are set on a probe
     * model built by {@code factory} and read back from its params of those names.
     */
    static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final Factory<M> factory;
        private final String who;

        Reader(Class<M> type, Factory<M> factory, String who) {
            this.type = type;
            this.factory = factory;
            this.who = who;
        }

        @Override
        public M load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
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
                throw new UncheckedIOException(who + ".load: cannot read " + file, e);
            }
            SafeTensors.Contents c = SafeTensors.decode(bytes, file.toString());
            String seed = c.metadata().getOrDefault("seed", "0");
            M probe = factory.create(meta.uid(), new MlpSpec(new int[] {1, 1}, "tanh", 0), new double[0], new double[0]);
            meta.getAndSetParams(probe, Option.empty());
            int[] layers = (int[]) probe.getOrDefault(probe.getParam("layers"));
            String activation = (String) probe.getOrDefault(probe.getParam("activation"));
            MlpSpec spec = new MlpSpec(layers, activation, Long.parseLong(seed));
            Sequential n = spec.create();
            n.load(c.tensors());
            ParameterLayout l = ParameterLayout.of(n);
            M m = factory.create(meta.uid(), spec, l.readParameters(null), l.readBuffers(null));
            meta.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
