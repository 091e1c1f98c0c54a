package dev.wengert.spark;

import dev.wengert.nn.Module;
import java.io.Serializable;

/**
 * Builds a model: the driver calls it once for the model it trains, every executor thread once for the copy it
 * computes gradients with (the parameters are then overwritten by the broadcast ones, so the initial values only
 * matter on the driver). It is serialised into Spark tasks, so a lambda must capture only serialisable values:
 * {@code () -> Mlp.builder(784).hidden(100, Activation.tanh()).output(10).build(new Random(1))}.
 *
 * @param <M> the model's type (a {@code Sequential}, a {@code RecurrentNet}, ...)
 */
@FunctionalInterface
public interface ModelFactory<M extends Module> extends Serializable {
    /**
     * A new model; every call must give the same architecture (names and shapes of parameters and buffers).
     *
     * @return a new model
     */
    M create();
}
