package dev.wengert.spark.ml;

import dev.wengert.nn.Adam;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Sgd;
import dev.wengert.spark.Aggregation;
import dev.wengert.spark.DataParallelTrainer;
import dev.wengert.spark.Example;
import dev.wengert.spark.ExampleLoss;
import dev.wengert.spark.OptimizerFactory;
import dev.wengert.spark.ParameterLayout;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What the estimators share between reading their params and holding a fitted network: the optimiser by name, the
 * {@link DataParallelTrainer} run and the trained weights.
 */
final class MlpTraining {
    private MlpTraining() {}

    /** The trained network's parameters and buffers, in {@link ParameterLayout} order. */
    record Weights(double[] parameters, double[] buffers) {}

    /** The settings the estimators' params give, read once on the driver. */
    record Settings(String optimizer, double stepSize, int maxIter, int batchSize, long seed, int aggregationDepth,
            int localSteps) {}

    static OptimizerFactory optimizerFactory(String name, double lr) {
        switch (name) {
            case "adam":
                return p -> new Adam(p, lr);
            case "momentum":
                return p -> Sgd.momentum(p, lr, 0.9);
            default:
                return p -> new Sgd(p, lr);
        }
    }

    /**
     * Trains {@code spec}'s network on {@code examples} with {@code loss} and returns its weights. A message starting
     * {@code who + ".fit:"} raised inside a task (bad input found while packing the rows) comes back as the caller's
     * {@link IllegalArgumentException}.
     */
    static Weights fit(SparkSession spark, JavaRDD<Example> examples, MlpSpec spec, Settings s, ExampleLoss loss,
            String who) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DataParallelTrainer<Sequential> trainer = DataParallelTrainer.of(sc, spec,
                optimizerFactory(s.optimizer(), s.stepSize()), loss)
                .epochs(s.maxIter()).batchSize(s.batchSize()).seed(s.seed())
                .treeDepth(s.aggregationDepth()).aggregation(Aggregation.TREE);
        if (s.localSteps() > 0) trainer.parameterAveraging(s.localSteps());
        try {
            trainer.fit(examples);
        } catch (IllegalStateException e) {
            // A wrong feature width is found inside a task; report it as the caller's bad input.
            String m = e.getMessage();
            int at = m == null ? -1 : m.indexOf(who + ".fit:");
            if (at >= 0) throw new IllegalArgumentException(m.substring(at), e);
            throw e;
        }
        ParameterLayout layout = ParameterLayout.of(trainer.model());
        return new Weights(layout.readParameters(null), layout.readBuffers(null));
    }

    /** A fresh network of {@code spec} holding the given weights, in evaluation mode. */
    static Sequential network(MlpSpec spec, double[] parameters, double[] buffers) {
        Sequential n = spec.create();
        ParameterLayout l = ParameterLayout.of(n);
        l.writeParameters(parameters);
        l.writeBuffers(buffers);
        n.eval();
        return n;
    }
}
