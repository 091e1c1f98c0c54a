package dev.wengert.spark;

import dev.wengert.nn.Trainer;
import java.io.Serializable;

/**
 * nn's {@link Trainer.LossFunction}, serialisable so that Spark tasks can run it. It must average over the examples of
 * its batch ({@code Loss.Reduction.MEAN}, as {@code Trainer} expects): a partition holding {@code n_p} of the
 * {@code N} examples of a global batch weights its mean by {@code n_p / N}, so the weighted sum over partitions is
 * the global batch's mean. Example: {@code (out, b) -> Loss.crossEntropy(out, b.labels())}.
 */
@FunctionalInterface
public interface ExampleLoss extends Trainer.LossFunction, Serializable {}
