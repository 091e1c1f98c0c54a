/**
 * Data-parallel training on Apache Spark: {@link dev.wengert.spark.DataParallelTrainer} (synchronous gradient
 * aggregation, the default, or parameter averaging), {@link dev.wengert.spark.RecurrentGradients} (recurrent
 * gradients over partitions), {@link dev.wengert.spark.Checkpoint}, and the small types of the RDD/Java API
 * ({@link dev.wengert.spark.Example}, {@link dev.wengert.spark.ExampleLoss}, {@link dev.wengert.spark.ModelFactory},
 * {@link dev.wengert.spark.OptimizerFactory}). Spark moves the data, schedules and retries the tasks; each round the
 * driver broadcasts the parameters as one {@code double[]} ({@link dev.wengert.spark.ParameterLayout}) and the
 * partitions' contributions are added by {@code treeAggregate} or in partition order
 * ({@link dev.wengert.spark.Aggregation}). docs/spark.md states what equals single-machine training in which mode.
 */
package dev.wengert.spark;
