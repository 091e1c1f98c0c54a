/**
 * A Spark ML estimator in MLlib's conventions: {@link dev.wengert.spark.ml.WengertClassifier} trains an nn MLP by
 * data-parallel SGD and returns a {@link dev.wengert.spark.ml.WengertClassificationModel}, whose {@code transform} adds
 * rawPrediction, probability and prediction columns and which saves its weights as safetensors;
 * {@link dev.wengert.spark.ml.WengertRegressor} trains one with a single output on the mean squared error and returns
 * a {@link dev.wengert.spark.ml.WengertRegressionModel}, which adds a prediction column and saves the same way.
 */
package dev.wengert.spark.ml;
