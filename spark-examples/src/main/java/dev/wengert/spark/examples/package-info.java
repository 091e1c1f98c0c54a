/**
 * Runnable examples of the spark module (not part of its API): {@link dev.wengert.spark.examples.MnistOnSpark} trains
 * the 784-100-10 MLP on MNIST with Spark and on one machine and compares accuracy and throughput;
 * {@link dev.wengert.spark.examples.SparkOverhead} measures the cost of a Spark round against a step's compute. Run
 * them with the module's {@code spark-example} profile (docs/spark.md).
 */
package dev.wengert.spark.examples;
