package dev.wengert.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.nn.Trainer;
import dev.wengert.spark.ParameterLayout;
import dev.wengert.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML estimator: training equal to nn's Trainer, transform, Pipeline, save and load, bad labels. */
class WengertClassifierTest {
    private static final int N = 60;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]", "WengertClassifierTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Three blobs in 2-d: class c centred at 3·(cos, sin)(2πc/3). */
    private static double[][] points(long seed, int[] labels) {
        Random rng = new Random(seed);
        double[][] x = new double[labels.length][2];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
            double a = 2 * Math.PI * labels[i] / 3;
            x[i][0] = 3 * Math.cos(a) + 0.5 * rng.nextGaussian();
            x[i][1] = 3 * Math.sin(a) + 0.5 * rng.nextGaussian();
        }
        return x;
    }

    private static org.apache.spark.sql.Dataset<Row> blobs(long seed) {
        int[] labels = new int[N];
        double[][] x = points(seed, labels);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(RowFactory.create(Vectors.dense(x[i]), (double) labels[i]));
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema);
    }

    private static WengertClassifier classifier() {
        return new WengertClassifier().setLayers(new int[] {2, 6, 3}).setActivation("tanh").setOptimizer("sgd")
                .setStepSize(0.2).setMaxIter(4).setBatchSize(10).setSeed(5);
    }

    @Test
    void fitIsNnsTrainerOnTheSameBatchesAndTransformAddsTheColumns() {
        org.apache.spark.sql.Dataset<Row> data = blobs(1);
        WengertClassificationModel model = classifier().fit(data);

        // The same rows in the same order on one machine, through nn's Trainer.
        List<Row> rows = data.collectAsList();
        double[] x = new double[N * 2];
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            System.arraycopy(((Vector) rows.get(i).get(0)).toArray(), 0, x, 2 * i, 2);
            y[i] = (int) rows.get(i).getDouble(1);
        }
        Sequential net = Mlp.builder(2).hidden(6, Activation.tanh()).output(3).build(new Random(5));
        Trainer.of(net, new Sgd(net.parameters(), 0.2), (out, b) -> Loss.crossEntropy(out, b.labels())).epochs(4)
                .batchSize(10).seed(5).fit(Dataset.of(Tensor.of(x, N, 2), y));
        double[] expected = ParameterLayout.of(net).readParameters(null);
        double[] got = ParameterLayout.of(model.network()).readParameters(null);
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num = Math.max(num, Math.abs(got[i] - expected[i]));
            den = Math.max(den, Math.abs(expected[i]));
        }
        assertTrue(num / den <= 1e-12, "relative error " + num / den);

        List<Row> scored = model.transform(data).select("label", "prediction", "probability", "rawPrediction").collectAsList();
        int correct = 0;
        for (Row r : scored) {
            double[] p = ((Vector) r.get(2)).toArray();
            assertEquals(3, p.length);
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
            if (r.getDouble(0) == r.getDouble(1)) correct++;
        }
        assertTrue(correct >= 0.9 * N, correct + " of " + N + " correct");
        assertEquals(3, model.numClasses());
    }

    @Test
    void worksInAPipelineAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        int[] labels = new int[N];
        double[][] x = points(2, labels);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(RowFactory.create(x[i][0], x[i][1], (double) labels[i]));
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType);
        org.apache.spark.sql.Dataset<Row> data = spark.createDataFrame(rows, schema);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("features"), classifier()});
        PipelineModel fitted = pipeline.fit(data);
        String path = dir.resolve("model").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = fitted.transform(data).select("probability", "prediction").collectAsList();
        List<Row> after = loaded.transform(data).select("probability", "prediction").collectAsList();
        assertEquals(before, after);

        WengertClassificationModel m = (WengertClassificationModel) loaded.stages()[1];
        assertArrayEquals(new int[] {2, 6, 3}, m.getOrDefault(m.layers()));
        Path weights;
        try (var files = Files.walk(dir)) {
            weights = files.filter(p -> p.getFileName().toString().equals("weights.safetensors")).findFirst().orElseThrow();
        }
        Map<String, Tensor> saved = SafeTensors.load(weights);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(saved.keySet()));

        pipeline.write().overwrite().save(dir.resolve("unfitted").toString());
        Pipeline again = Pipeline.load(dir.resolve("unfitted").toString());
        WengertClassifier c = (WengertClassifier) again.getStages()[1];
        assertEquals(0.2, (Double) c.getOrDefault(c.stepSize()));
    }

    @Test
    void labelsOutsideTheClassesAreNamed() {
        org.apache.spark.sql.Dataset<Row> data = blobs(3);
        org.apache.spark.sql.Dataset<Row> three = data.withColumn("label", data.col("label").plus(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(three));
        assertEquals("wengertClassifier.fit: labels in column 'label' must be whole numbers in [0, 3) for layers ending in 3 "
                + "classes; they range over [1.0, 3.0]", e.getMessage());
        org.apache.spark.sql.Dataset<Row> half = data.withColumn("label", data.col("label").divide(2));
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> classifier().fit(half));
        assertTrue(h.getMessage().endsWith("with 20 not whole"), h.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLayers(new int[] {3, 4, 3}).fit(data));
        assertEquals("wengertClassifier.fit: a feature vector of 2 values; layers[0] = 3", w.getMessage());
    }
}
