package dev.wengert.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.History;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.nn.Trainer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Synchronous data-parallel training against nn's single-machine Trainer on the same global batches. */
class SynchronousTrainingTest {
    private static final double TOLERANCE = 1e-12;
    private static final long SEED = 11;
    private static final int EPOCHS = 3;
    private static final int BATCH = 16;
    private static final ExampleLoss LOSS = (out, b) -> Loss.crossEntropy(out, b.labels());

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]", "SynchronousTrainingTest");
        sc = SparkTestSession.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** nn's Trainer on one machine: the reference. */
    private static double[] single(Dataset data, OptimizerFactory optimizer) {
        Sequential net = Fixtures.mlp().create();
        History h = Trainer.of(net, optimizer.create(net.parameters()), LOSS).epochs(EPOCHS).batchSize(BATCH).seed(SEED)
                .fit(data);
        assertTrue(h.trainLoss().get(EPOCHS - 1) < h.trainLoss().get(0), "the reference did not learn");
        return ParameterLayout.of(net).readParameters(null);
    }

    private static DataParallelTrainer<Sequential> spark(OptimizerFactory optimizer) {
        return DataParallelTrainer.of(sc, Fixtures.mlp(), optimizer, LOSS).epochs(EPOCHS).batchSize(BATCH).seed(SEED);
    }

    private static double[] params(DataParallelTrainer<Sequential> t) {
        return ParameterLayout.of(t.model()).readParameters(null);
    }

    @Test
    void onePartitionOrderedIsTheTrainerBitForBit() {
        Dataset data = Fixtures.blobs(50, 1, false);
        OptimizerFactory adam = p -> new Adam(p, 0.05);
        DataParallelTrainer<Sequential> t = spark(adam).aggregation(Aggregation.ORDERED);
        t.fit(sc.parallelize(Fixtures.examples(data), 1));
        assertArrayEquals(single(data, adam), params(t));
    }

    @Test
    void threePartitionsTreeAgreeWithTheTrainerToRounding() {
        Dataset data = Fixtures.blobs(50, 2, false);
        OptimizerFactory sgd = p -> Sgd.momentum(p, 0.1, 0.9);
        double[] reference = single(data, sgd);
        DataParallelTrainer<Sequential> t = spark(sgd);
        TrainingResult r = t.fit(sc.parallelize(Fixtures.examples(data), 3));
        double[] got = params(t);
        assertTrue(Fixtures.relativeError(got, reference) <= TOLERANCE, "relative error " + Fixtures.relativeError(got, reference));
        double[] initial = ParameterLayout.of(Fixtures.mlp().create()).readParameters(null);
        assertNotEquals(0.0, Fixtures.relativeError(got, initial), "no training happened");
        assertEquals(EPOCHS * 4, r.steps());
        assertEquals(EPOCHS, r.epochLoss().size());
    }

    @Test
    void orderedAggregationIsReproducibleBitForBit() {
        Dataset data = Fixtures.blobs(60, 3, false);
        List<Example> ex = Fixtures.examples(data);
        OptimizerFactory adam = p -> new Adam(p, 0.02);
        DataParallelTrainer<Sequential> a = spark(adam).aggregation(Aggregation.ORDERED);
        a.fit(sc.parallelize(ex, 4));
        DataParallelTrainer<Sequential> b = spark(adam).aggregation(Aggregation.ORDERED);
        b.fit(sc.parallelize(ex, 4));
        assertArrayEquals(params(a), params(b));
        assertTrue(Fixtures.relativeError(params(a), single(data, adam)) <= TOLERANCE);
    }

    @Test
    void aDeeperTreeGivesTheSameGradient() {
        Dataset data = Fixtures.blobs(40, 4, false);
        OptimizerFactory sgd = p -> new Sgd(p, 0.2);
        DataParallelTrainer<Sequential> t = spark(sgd).treeDepth(3);
        t.fit(sc.parallelize(Fixtures.examples(data), 8));
        assertTrue(Fixtures.relativeError(params(t), single(data, sgd)) <= TOLERANCE);
    }
}
