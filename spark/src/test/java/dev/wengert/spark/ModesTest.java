package dev.wengert.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Batch;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.nn.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batch norm's per-partition statistics, parameter averaging, awkward partitionings and bad input, each against a
 * single-machine computation with nn's own modules, losses and optimisers.
 */
class ModesTest {
    private static final double TOLERANCE = 1e-12;
    private static final long SEED = 3;
    private static final ExampleLoss LOSS = (out, b) -> Loss.crossEntropy(out, b.labels());

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("local[2]", "ModesTest");
        sc = SparkTestSession.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The partition of row i when {@code parallelize} slices n rows into p partitions. */
    private static int sliceOf(int i, int n, int p) {
        for (int s = 0; s < p; s++) {
            if (i < (int) ((long) (s + 1) * n / p)) return s;
        }
        throw new AssertionError();
    }

    /** The rows of a global batch each partition holds, in batch order. */
    private static List<int[]> split(int[] batchRows, int n, int partitions) {
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int q = p;
            out.add(Arrays.stream(batchRows).filter(i -> sliceOf(i, n, partitions) == q).toArray());
        }
        return out;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> c = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) c.put(e.getKey(), e.getValue().copy());
        return c;
    }

    /**
     * DDP-style batch norm on one machine with nn: each partition's share of a batch is normalised by itself, the
     * gradients are weighted n_p / N and summed, and the running statistics are those of the first share.
     */
    private static double[] batchNormReference(Dataset data, int partitions, int epochs, int batch, double lr) {
        Sequential net = Fixtures.batchNormMlp().create();
        Optimizer opt = new Sgd(net.parameters(), lr);
        Random shuffle = new Random(SEED);
        int n = data.size();
        for (int e = 0; e < epochs; e++) {
            int[] order = Dataset.permutation(n, shuffle);
            for (int lo = 0; lo < n; lo += batch) {
                int[] rows = Arrays.copyOfRange(order, lo, Math.min(n, lo + batch));
                List<Tensor> sum = new ArrayList<>();
                for (Tensor p : net.parameters()) sum.add(Tensor.zeros(p.shape()));
                Map<String, Tensor> before = copy(net.state());
                Map<String, Tensor> firstAfter = null;
                for (int[] share : split(rows, n, partitions)) {
                    if (share.length == 0) continue;
                    net.load(before);
                    Batch b = data.batch(share);
                    try (Tape tape = Tape.open()) {
                        Tensor[] g = tape.gradient(LOSS.loss(net.forward(b.x()), b), net.parameters().toArray(new Tensor[0]));
                        for (int i = 0; i < g.length; i++) {
                            double[] s = sum.get(i).mutableData();
                            for (int j = 0; j < s.length; j++) s[j] += (double) share.length / rows.length * g[i].data()[j];
                        }
                    }
                    if (firstAfter == null) firstAfter = copy(net.state());
                }
                Map<String, Tensor> stats = firstAfter;
                net.load(before);
                opt.step(sum);
                // Keep the updated parameters, take the first share's running statistics.
                Map<String, Tensor> merged = copy(net.state());
                for (String k : merged.keySet()) if (k.contains("running")) merged.put(k, stats.get(k));
                net.load(merged);
            }
        }
        return ParameterLayout.of(net).readParameters(null);
    }

    @Test
    void batchNormUsesEachPartitionsStatistics() {
        Dataset data = Fixtures.blobs(36, 5, false);
        double[] reference = batchNormReference(data, 2, 2, 12, 0.1);
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, Fixtures.batchNormMlp(), p -> new Sgd(p, 0.1), LOSS)
                .epochs(2).batchSize(12).seed(SEED);
        t.fit(sc.parallelize(Fixtures.examples(data), 2));
        double[] got = ParameterLayout.of(t.model()).readParameters(null);
        assertTrue(Fixtures.relativeError(got, reference) <= TOLERANCE, "vs DDP-style nn: " + Fixtures.relativeError(got, reference));
        double[] buffers = ParameterLayout.of(t.model()).readBuffers(null);
        Sequential ref = Fixtures.batchNormMlp().create();
        assertTrue(buffers.length > 0 && !Arrays.equals(buffers, ParameterLayout.of(ref).readBuffers(null)),
                "the running statistics were not updated");
        // Global-batch statistics (nn's Trainer) give a different model: the statistics really are per partition.
        Trainer.of(ref, new Sgd(ref.parameters(), 0.1), LOSS).epochs(2).batchSize(12).seed(SEED).fit(data);
        assertTrue(Fixtures.relativeError(got, ParameterLayout.of(ref).readParameters(null)) > 1e-6);
    }

    /** Local SGD on one machine with nn: k local steps per partition from the round's start, weighted averages. */
    private static double[] localSgdReference(Dataset data, int partitions, int epochs, int batch, int k,
            OptimizerFactory optimizer) {
        Sequential net = Fixtures.mlp().create();
        Optimizer global = optimizer.create(net.parameters());
        Random shuffle = new Random(SEED);
        int n = data.size();
        int batches = (n + batch - 1) / batch;
        for (int e = 0; e < epochs; e++) {
            int[] order = Dataset.permutation(n, shuffle);
            for (int b = 0; b < batches; b += k) {
                Map<String, Tensor> start = copy(net.state());
                Map<String, double[]> startState = global.state();
                double[] paramSum = null;
                double[] stateSum = null;
                double maxStep = 0;
                long total = 0;
                for (int p = 0; p < partitions; p++) {
                    Sequential local = Fixtures.mlp().create();
                    local.load(start);
                    Optimizer opt = optimizer.create(local.parameters());
                    opt.loadState(startState);
                    long seen = 0;
                    for (int j = b; j < Math.min(batches, b + k); j++) {
                        int[] rows = Arrays.copyOfRange(order, j * batch, Math.min(n, (j + 1) * batch));
                        int[] share = split(rows, n, partitions).get(p);
                        if (share.length == 0) continue;
                        Batch bb = data.batch(share);
                        try (Tape tape = Tape.open()) {
                            tape.backward(LOSS.loss(local.forward(bb.x()), bb));
                        }
                        opt.step();
                        opt.zeroGrad();
                        seen += share.length;
                    }
                    if (seen == 0) continue;
                    double[] w = ParameterLayout.of(local).readParameters(null);
                    double[] s = DataParallelTrainer.flatten(opt.state());
                    if (paramSum == null) {
                        paramSum = new double[w.length];
                        stateSum = new double[s.length];
                    }
                    for (int i = 0; i < w.length; i++) paramSum[i] += w[i] * seen;
                    for (int i = 0; i < s.length; i++) stateSum[i] += s[i] * seen;
                    double[] st = opt.state().get("step");
                    if (st != null) maxStep = Math.max(maxStep, st[0]);
                    total += seen;
                }
                for (int i = 0; i < paramSum.length; i++) paramSum[i] /= total;
                for (int i = 0; i < stateSum.length; i++) stateSum[i] /= total;
                ParameterLayout.of(net).writeParameters(paramSum);
                global.loadState(DataParallelTrainer.unflatten(stateSum, global.state(), maxStep));
            }
        }
        return ParameterLayout.of(net).readParameters(null);
    }

    @Test
    void parameterAveragingWithOneLocalSgdStepIsTheSynchronousStep() {
        Dataset data = Fixtures.blobs(45, 6, false);
        Sequential single = Fixtures.mlp().create();
        Trainer.of(single, new Sgd(single.parameters(), 0.2), LOSS).epochs(2).batchSize(10).seed(SEED).fit(data);
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, Fixtures.mlp(), p -> new Sgd(p, 0.2), LOSS)
                .epochs(2).batchSize(10).seed(SEED).parameterAveraging(1);
        t.fit(sc.parallelize(Fixtures.examples(data), 3));
        double err = Fixtures.relativeError(ParameterLayout.of(t.model()).readParameters(null),
                ParameterLayout.of(single).readParameters(null));
        assertTrue(err <= TOLERANCE, "relative error " + err);
    }

    @Test
    void parameterAveragingAveragesAdamsMoments() {
        Dataset data = Fixtures.blobs(48, 7, false);
        OptimizerFactory adam = p -> new Adam(p, 0.05);
        double[] reference = localSgdReference(data, 3, 2, 8, 3, adam);
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, Fixtures.mlp(), adam, LOSS)
                .epochs(2).batchSize(8).seed(SEED).parameterAveraging(3);
        TrainingResult r = t.fit(sc.parallelize(Fixtures.examples(data), 3));
        double err = Fixtures.relativeError(ParameterLayout.of(t.model()).readParameters(null), reference);
        assertTrue(err <= TOLERANCE, "relative error " + err);
        assertEquals(2 * 6, r.steps());
        assertEquals(4, r.rounds());
        assertEquals(12, ((Adam) t.optimizer()).steps(), "the step counter is the partitions' largest");
    }

    private double[] trainSync(List<Example> ex, int partitions) {
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, Fixtures.mlp(), p -> new Sgd(p, 0.3), LOSS)
                .epochs(2).batchSize(4).seed(SEED);
        t.fit(sc.parallelize(ex, partitions));
        return ParameterLayout.of(t.model()).readParameters(null);
    }

    private static double[] trainSingle(Dataset data) {
        Sequential single = Fixtures.mlp().create();
        Trainer.of(single, new Sgd(single.parameters(), 0.3), LOSS).epochs(2).batchSize(4).seed(SEED).fit(data);
        return ParameterLayout.of(single).readParameters(null);
    }

    @Test
    void morePartitionsThanExamplesAndEmptyPartitionsGiveTheSingleMachineResult() {
        Dataset data = Fixtures.blobs(5, 8, false);
        double err = Fixtures.relativeError(trainSync(Fixtures.examples(data), 9), trainSingle(data));
        assertTrue(err <= TOLERANCE, "relative error " + err);
    }

    @Test
    void partitionsHoldingOneClassEachGiveTheSingleMachineResult() {
        Dataset data = Fixtures.blobs(30, 9, true);
        double err = Fixtures.relativeError(trainSync(Fixtures.examples(data), 3), trainSingle(data));
        assertTrue(err <= TOLERANCE, "relative error " + err);
    }

    @Test
    void badInputIsNamed() {
        List<Example> ex = new ArrayList<>(Fixtures.examples(Fixtures.blobs(6, 10, false)));
        ex.set(4, Example.labelled(new double[] {1, Double.NaN, 0, 0}, 1));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> trainSync(ex, 2));
        assertEquals("dataParallel.fit: example 4 has feature 1 = NaN", nan.getMessage());

        ex.set(4, Example.labelled(new double[] {1, 2, 3}, 1));
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> trainSync(ex, 1));
        assertEquals("dataParallel.fit: example 4 has 3 features, example 0 has 4", width.getMessage());
        IllegalArgumentException across = assertThrows(IllegalArgumentException.class, () -> trainSync(ex, 6));
        assertTrue(across.getMessage().startsWith("dataParallel.fit: example 4 has 3 features"), across.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> trainSync(List.of(), 2));
        assertEquals("dataParallel.fit: the data RDD has no examples (2 partitions, all empty)", empty.getMessage());

        List<Example> wrongModel = new ArrayList<>();
        for (int i = 0; i < 4; i++) wrongModel.add(Example.labelled(new double[] {1, 2}, 0));
        IllegalStateException shape = assertThrows(IllegalStateException.class, () -> trainSync(wrongModel, 2));
        assertTrue(shape.getMessage().startsWith("dataParallel: step 1 (epoch 1) failed in Spark: ShapeException: linear: "
                + "input of shape [2,2] does not end in 4 features"), shape.getMessage());
    }
}
