package dev.wengert.spark.examples;

import dev.wengert.examples.Args;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Batch;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.io.Mnist;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import dev.wengert.spark.DataParallelTrainer;
import dev.wengert.spark.Example;
import dev.wengert.spark.ExampleLoss;
import dev.wengert.spark.ModelFactory;
import dev.wengert.spark.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * MNIST 784-100-10 (tanh, cross-entropy, Adam) trained twice with the same seed, epochs and global batches: by nn's
 * Trainer on one machine and by synchronous data-parallel training on Spark. Prints both test accuracies, the
 * throughput in examples per second and the Spark round broken into compute and overhead.
 *
 * <p>Options ({@code key=value}): {@code master=local[2]} ({@code submit}: as spark-submit set it),
 * {@code partitions=2}, {@code epochs=3}, {@code batch=128}, {@code lr=0.001}, {@code seed=1}.
 */
public final class MnistOnSpark {
    private MnistOnSpark() {}

    /**
     * Runs the comparison.
     *
     * @param args {@code key=value} options
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        String master = a.string("master", "local[2]");
        int partitions = a.integer("partitions", 2);
        int epochs = a.integer("epochs", 3);
        int batch = a.integer("batch", 128);
        double lr = a.real("lr", 1e-3);
        long seed = a.integer("seed", 1);
        Mnist.Data data = Mnist.load(false, System.out);
        ModelFactory<Sequential> factory = () -> Mlp.builder(Mnist.PIXELS).hidden(100, Activation.tanh()).output(10)
                .build(new Random(seed));
        ExampleLoss loss = (out, b) -> Loss.crossEntropy(out, b.labels());

        Sequential single = factory.create();
        long t0 = System.nanoTime();
        Trainer.of(single, new Adam(single.parameters(), lr), loss).epochs(epochs).batchSize(batch).seed(seed)
                .fit(data.train());
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        double singleAccuracy = Trainer.evaluate(single, data.test(), loss, dev.wengert.nn.Metrics::argmax).accuracy();

        SparkSession spark = Sessions.start(master, "MnistOnSpark");
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Example> examples = examples(data.train());
            DataParallelTrainer<Sequential> trainer = DataParallelTrainer.of(sc, factory, p -> new Adam(p, lr), loss)
                    .epochs(epochs).batchSize(batch).seed(seed);
            TrainingResult r = trainer.fit(sc.parallelize(examples, partitions));
            double sparkAccuracy = Trainer.evaluate(trainer.model(), data.test(), loss, dev.wengert.nn.Metrics::argmax)
                    .accuracy();
            long n = (long) epochs * data.train().size();
            System.out.printf(Locale.ROOT, "MNIST 784-100-10, %d epochs, batch %d, Adam %.0e, seed %d%n", epochs, batch, lr, seed);
            System.out.printf(Locale.ROOT, "single machine (nn Trainer): test accuracy %.2f%%, %.1f s, %.0f examples/s%n",
                    100 * singleAccuracy, singleSeconds, n / singleSeconds);
            System.out.printf(Locale.ROOT, "Spark %s, %d partitions:    test accuracy %.2f%%, %.1f s, %.0f examples/s "
                    + "(training rounds only: %.0f examples/s)%n", spark.sparkContext().master(), partitions,
                    100 * sparkAccuracy, r.seconds(), n / r.seconds(), n / (sum(r.roundNanos()) / 1e9));
            System.out.printf(Locale.ROOT, "difference: %+.2f points%n", 100 * (sparkAccuracy - singleAccuracy));
            System.out.printf(Locale.ROOT, "per round (p10 / median ms): round %.1f / %.1f, compute of the slowest task "
                    + "%.1f / %.1f, overhead %.1f / %.1f%n", r.roundMillis(0.1), r.roundMillis(0.5), r.computeMillis(0.1),
                    r.computeMillis(0.5), r.overheadMillis(0.1), r.overheadMillis(0.5));
        } finally {
            spark.stop();
        }
    }

    private static double sum(long[] v) {
        double s = 0;
        for (long x : v) s += x;
        return s;
    }

    /** The dataset's rows as Examples, in row order, a thousand rows at a time (no full double copy at once). */
    static List<Example> examples(Dataset d) {
        List<Example> out = new ArrayList<>(d.size());
        int f = d.features();
        for (int lo = 0; lo < d.size(); lo += 1000) {
            int hi = Math.min(d.size(), lo + 1000);
            int[] rows = new int[hi - lo];
            for (int i = 0; i < rows.length; i++) rows[i] = lo + i;
            Batch b = d.batch(rows);
            Tensor x = b.x();
            for (int i = 0; i < rows.length; i++) {
                double[] row = new double[f];
                System.arraycopy(x.data(), i * f, row, 0, f);
                out.add(Example.labelled(row, b.labels()[i]));
            }
        }
        return out;
    }
}
