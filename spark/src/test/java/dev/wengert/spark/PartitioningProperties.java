package dev.wengert.spark;

import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.nn.Trainer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** For any partitioning and batch size, synchronous training equals nn's Trainer on the same global batches. */
class PartitioningProperties {
    private static final ExampleLoss LOSS = (out, b) -> Loss.crossEntropy(out, b.labels());
    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeContainer
    static void start() {
        spark = SparkTestSession.start("local[2]", "PartitioningProperties");
        sc = SparkTestSession.context(spark);
    }

    @AfterContainer
    static void stop() {
        spark.stop();
    }

    @Property(tries = 8, seed = "20261202")
    boolean anyPartitioningGivesTheTrainersParameters(@ForAll @IntRange(min = 1, max = 25) int examples,
            @ForAll @IntRange(min = 1, max = 7) int partitions, @ForAll @IntRange(min = 1, max = 12) int batch,
            @ForAll boolean ordered) {
        Dataset data = Fixtures.blobs(examples, examples * 31L + partitions, false);
        Sequential single = Fixtures.mlp().create();
        Trainer.of(single, new Sgd(single.parameters(), 0.3), LOSS).epochs(2).batchSize(batch).seed(4).fit(data);
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, Fixtures.mlp(), p -> new Sgd(p, 0.3), LOSS)
                .epochs(2).batchSize(batch).seed(4).aggregation(ordered ? Aggregation.ORDERED : Aggregation.TREE);
        t.fit(sc.parallelize(Fixtures.examples(data), partitions));
        return Fixtures.relativeError(ParameterLayout.of(t.model()).readParameters(null),
                ParameterLayout.of(single).readParameters(null)) <= 1e-12;
    }
}
