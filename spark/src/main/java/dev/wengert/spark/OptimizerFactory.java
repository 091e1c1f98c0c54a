package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * Builds an optimiser over a model's parameters: {@code params -> new Adam(params, 1e-3)}. Synchronous training calls
 * it on the driver only; parameter averaging also on executors, for the local steps. Serialised into tasks.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /**
     * A new optimiser.
     *
     * @param params the parameters it updates, in the model's order
     * @return the optimiser
     */
    Optimizer create(List<Tensor> params);
}
