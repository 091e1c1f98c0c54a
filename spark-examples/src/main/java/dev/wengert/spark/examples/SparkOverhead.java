package dev.wengert.spark.examples;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Batch;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.spark.DataParallelTrainer;
import dev.wengert.spark.Example;
import dev.wengert.spark.ExampleLoss;
import dev.wengert.spark.ModelFactory;
import dev.wengert.spark.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * What a Spark round costs against the compute of a step, printed as Markdown table rows: (1) a bare round, broadcast
 * of p doubles and a depth-2 {@code treeAggregate} of p doubles from each of the partitions, for the sizes of a tiny
 * vector and the 784-100-10 and 784-512-512-10 MLPs; (2) a synchronous training step of the 784-100-10 MLP on random
 * inputs at several global batch sizes, split into the slowest task's compute and the rest, against nn's step on one
 * machine. Options: {@code masters=local[1],local[2]}, {@code rounds=30}, {@code batches=128,1024,4096}.
 */
public final class SparkOverhead {
    private SparkOverhead() {}

    /**
     * Runs the measurements.
     *
     * @param args {@code key=value} options
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        String[] masters = a.string("masters", "local[1],local[2]").split(",(?=local|spark|yarn|submit)");
        int rounds = a.integer("rounds", 30);
        int[] batches = Arrays.stream(a.string("batches", "128,1024,4096").split(",")).mapToInt(Integer::parseInt).toArray();
        int[] sizes = {10, 79_510, 669_706};
        System.out.println("| master | what | p10 ms | median ms |");
        System.out.println("|---|---|---|---|");
        for (String master : masters) {
            SparkSession spark = Sessions.start(master, "SparkOverhead");
            try {
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                int partitions = sc.defaultParallelism();
                JavaRDD<Integer> parts = sc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7).subList(0, Math.max(1, partitions)),
                        Math.max(1, partitions)).cache();
                parts.count();
                for (int p : sizes) {
                    double[] t = bareRounds(sc, parts, p, rounds);
                    row(master, String.format(Locale.ROOT, "bare round, p = %,d, %d partitions", p, partitions), t);
                }
                for (int b : batches) stepRow(sc, master, partitions, b, rounds);
            } finally {
                spark.stop();
            }
        }
        for (int b : batches) {
            double[] t = singleSteps(b, rounds);
            row("one machine", String.format(Locale.ROOT, "nn step, 784-100-10, batch %d", b), t);
        }
    }

    private static void row(String master, String what, double[] ms) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", master, what, quantile(ms, 0.1), quantile(ms, 0.5));
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }

    /** Broadcast p doubles, each partition sends a p-vector back, treeAggregate adds them, destroy: ms per round. */
    private static double[] bareRounds(JavaSparkContext sc, JavaRDD<Integer> parts, int p, int rounds) {
        int warmup = 5;
        double[] out = new double[rounds];
        double[] params = new double[p];
        for (int r = -warmup; r < rounds; r++) {
            long t0 = System.nanoTime();
            Broadcast<double[]> bc = sc.broadcast(params);
            double[] sum = parts.map(i -> bc.value().clone()).treeAggregate(new double[p], (x, y) -> add(x, y),
                    (x, y) -> add(x, y), 2);
            bc.destroy();
            if (sum.length != p) throw new IllegalStateException("overhead: a sum of " + sum.length + " doubles");
            if (r >= 0) out[r] = (System.nanoTime() - t0) / 1e6;
        }
        return out;
    }

    private static double[] add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) x[i] += y[i];
        return x;
    }

    private static final ExampleLoss LOSS = (out, b) -> Loss.crossEntropy(out, b.labels());

    private static ModelFactory<Sequential> mlp() {
        return () -> Mlp.builder(784).hidden(100, Activation.tanh()).output(10).build(new Random(1));
    }

    private static Dataset randomData(int n) {
        Random rng = new Random(2);
        double[] x = new double[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        return Dataset.of(Tensor.of(x, n, 784), y);
    }

    private static void stepRow(JavaSparkContext sc, String master, int partitions, int batch, int rounds) {
        Dataset d = randomData(batch * 4);
        List<Example> ex = new ArrayList<>(MnistOnSpark.examples(d));
        DataParallelTrainer<Sequential> t = DataParallelTrainer.of(sc, mlp(), p -> new Sgd(p, 0.01), LOSS)
                .batchSize(batch).epochs(1000).maxSteps(rounds + 5L).seed(3);
        TrainingResult r = t.fit(sc.parallelize(ex, partitions));
        long[] round = Arrays.copyOfRange(r.roundNanos(), 5, r.rounds());
        long[] compute = Arrays.copyOfRange(r.computeNanos(), 5, r.rounds());
        double[] roundMs = new double[round.length];
        double[] computeMs = new double[round.length];
        double[] overheadMs = new double[round.length];
        for (int i = 0; i < round.length; i++) {
            roundMs[i] = round[i] / 1e6;
            computeMs[i] = compute[i] / 1e6;
            overheadMs[i] = (round[i] - compute[i]) / 1e6;
        }
        String what = String.format(Locale.ROOT, "Spark step, 784-100-10, batch %d, %d partitions", batch, partitions);
        row(master, what + ": round", roundMs);
        row(master, what + ": slowest task's compute", computeMs);
        row(master, what + ": overhead", overheadMs);
    }

    /** nn's step on one machine: forward, backward, SGD update, ms per step. */
    private static double[] singleSteps(int batch, int rounds) {
        Dataset d = randomData(batch);
        Sequential net = mlp().create();
        Sgd opt = new Sgd(net.parameters(), 0.01);
        Batch b = d.all();
        double[] out = new double[rounds];
        for (int r = -5; r < rounds; r++) {
            long t0 = System.nanoTime();
            try (Tape tape = Tape.open()) {
                tape.backward(LOSS.loss(net.forward(b.x()), b));
            }
            opt.step();
            opt.zeroGrad();
            if (r >= 0) out[r] = (System.nanoTime() - t0) / 1e6;
        }
        return out;
    }
}
