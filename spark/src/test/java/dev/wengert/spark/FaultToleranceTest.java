package dev.wengert.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task failures retried by Spark ({@code local[2,3]}: 3 attempts per task), checkpoints and resume. */
class FaultToleranceTest {
    private static final long SEED = 21;
    private static final ExampleLoss LOSS = (out, b) -> Loss.crossEntropy(out, b.labels());
    /** Failures injected so far (local mode: the tasks run in this JVM). */
    static final AtomicInteger INJECTED = new AtomicInteger();

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2,3]", "FaultToleranceTest");
        sc = SparkTestSession.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Throws in the first attempt of partition 1's task, every step; later attempts compute normally. */
    private static final ExampleLoss FAILING_FIRST_ATTEMPT = (out, b) -> {
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == 1 && task.attemptNumber() == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure");
        }
        return Loss.crossEntropy(out, b.labels());
    };

    private static DataParallelTrainer<Sequential> trainer(ExampleLoss loss) {
        return DataParallelTrainer.of(sc, Fixtures.mlp(), p -> new Adam(p, 0.03), loss).epochs(2).batchSize(8).seed(SEED)
                .aggregation(Aggregation.ORDERED);
    }

    private static double[] params(DataParallelTrainer<Sequential> t) {
        return ParameterLayout.of(t.model()).readParameters(null);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsUnchanged() {
        Dataset data = Fixtures.blobs(32, 12, false);
        List<Example> ex = Fixtures.examples(data);
        DataParallelTrainer<Sequential> clean = trainer(LOSS);
        clean.fit(sc.parallelize(ex, 2));
        int before = INJECTED.get();
        DataParallelTrainer<Sequential> failing = trainer(FAILING_FIRST_ATTEMPT);
        TrainingResult r = failing.fit(sc.parallelize(ex, 2));
        assertEquals(r.steps(), INJECTED.get() - before, "one injected failure per step");
        assertArrayEquals(params(clean), params(failing));
        Sequential single = Fixtures.mlp().create();
        Trainer.of(single, new Adam(single.parameters(), 0.03), LOSS).epochs(2).batchSize(8).seed(SEED).fit(data);
        assertTrue(Fixtures.relativeError(params(failing), ParameterLayout.of(single).readParameters(null)) <= 1e-12);
    }

    @Test
    void aTaskThatAlwaysFailsIsReportedWithItsCause() {
        ExampleLoss broken = (out, b) -> {
            throw new IllegalStateException("always broken");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer(broken).fit(sc.parallelize(Fixtures.examples(Fixtures.blobs(8, 1, false)), 2)));
        assertTrue(e.getMessage().startsWith("dataParallel: step 1 (epoch 1) failed in Spark: IllegalStateException: always broken"),
                e.getMessage());
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRunBitForBit(@TempDir Path dir) throws Exception {
        List<Example> ex = Fixtures.examples(Fixtures.blobs(30, 13, false));
        DataParallelTrainer<Sequential> whole = trainer(LOSS).epochs(3);
        TrainingResult all = whole.fit(sc.parallelize(ex, 3));

        // Stopped after 7 of the 12 steps, checkpointing every 3: the newest is step 6, batch 2 of epoch 2.
        trainer(LOSS).epochs(3).maxSteps(7).checkpointEvery(3, dir).fit(sc.parallelize(ex, 3));
        Path latest = Checkpoint.latest(dir);
        assertNotNull(latest);
        assertEquals(Checkpoint.fileName(6), latest.getFileName().toString());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
        Checkpoint c = Checkpoint.read(latest);
        assertEquals(6, c.step());
        assertEquals(1, c.epoch());
        assertEquals(2, c.batch());

        DataParallelTrainer<Sequential> resumed = trainer(LOSS).epochs(3).resume(dir);
        TrainingResult rest = resumed.fit(sc.parallelize(ex, 3));
        assertArrayEquals(params(whole), params(resumed));
        assertArrayEquals(((Adam) whole.optimizer()).state().get("m.0"), ((Adam) resumed.optimizer()).state().get("m.0"));
        assertEquals(all.steps(), rest.steps());
        assertEquals(all.finalLoss(), rest.finalLoss());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> trainer(LOSS).batchSize(5).resume(dir).fit(sc.parallelize(ex, 3)));
        assertTrue(other.getMessage().startsWith("dataParallel.resume: " + latest + " was written with"), other.getMessage());
    }
}
