package dev.wengert.spark.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params the estimator and its model share, built for each owner (Spark ML finds params through the owner's
 * public methods, so each class declares its own fields from these).
 */
final class WengertParams {
    private WengertParams() {}

    static IntArrayParam layers(Params owner) {
        return new IntArrayParam(owner, "layers", "sizes of the layers: inputs, hidden layers, classes (as "
                + "MultilayerPerceptronClassifier's)", lengthAtLeastTwo());
    }

    /** Spark's validator, typed for an int array (Scala gives it as a function of Object). */
    @SuppressWarnings("unchecked")
    private static scala.Function1<int[], Object> lengthAtLeastTwo() {
        return (scala.Function1<int[], Object>) (scala.Function1<?, ?>) ParamValidators.arrayLengthGt(1);
    }

    static Param<String> activation(Params owner) {
        return new Param<>(owner, "activation", "activation of the hidden layers: tanh, relu, sigmoid",
                ParamValidators.inArray(new String[] {"tanh", "relu", "sigmoid"}));
    }

    static Param<String> optimizer(Params owner) {
        return new Param<>(owner, "optimizer", "nn optimiser: sgd, momentum (0.9) or adam",
                ParamValidators.inArray(new String[] {"sgd", "momentum", "adam"}));
    }

    static DoubleParam stepSize(Params owner) {
        return new DoubleParam(owner, "stepSize", "the optimiser's learning rate (> 0)", ParamValidators.gt(0));
    }

    static IntParam maxIter(Params owner) {
        return new IntParam(owner, "maxIter", "epochs: passes over the data (>= 1)", ParamValidators.gtEq(1));
    }

    static IntParam batchSize(Params owner) {
        return new IntParam(owner, "batchSize", "global mini-batch size over all partitions (>= 1)", ParamValidators.gtEq(1));
    }

    static IntParam localSteps(Params owner) {
        return new IntParam(owner, "localSteps", "0: synchronous gradient steps; k >= 1: parameter averaging after k "
                + "local steps", ParamValidators.gtEq(0));
    }

    static IntParam aggregationDepth(Params owner) {
        return new IntParam(owner, "aggregationDepth", "depth of treeAggregate (>= 1)", ParamValidators.gtEq(1));
    }

    static LongParam seed(Params owner) {
        return new LongParam(owner, "seed", "seed of the initial weights and of the shuffling");
    }
}
