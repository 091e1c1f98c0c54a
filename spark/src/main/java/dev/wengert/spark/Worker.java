package dev.wengert.spark;

import dev.wengert.nn.Layer;
import dev.wengert.nn.Module;
import dev.wengert.nn.Optimizer;

/**
 * An executor thread's copy of the model, kept between rounds of one training run so that a round costs a copy
 * of p doubles rather than a model build; its gradient buffer is reused too. One per thread, replaced when a
 * thread works for another run, so memory stays at one model per executor core.
 */
final class Worker {
    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    final String run;
    final Module module;
    final Layer net;
    final ParameterLayout layout;
    final double[] vector;
    private Optimizer optimizer;

    private Worker(String run, Module module) {
        this.run = run;
        this.module = module;
        this.net = module instanceof Layer l ? l : null;
        this.layout = ParameterLayout.of(module);
        this.vector = new double[layout.size()];
    }

    /** This thread's worker for {@code run}, building the model when the thread has none for it. */
    static Worker get(String run, ModelFactory<?> factory) {
        Worker w = CURRENT.get();
        if (w == null || !w.run.equals(run)) {
            w = new Worker(run, factory.create());
            CURRENT.set(w);
        }
        return w;
    }

    /** The optimiser of the local steps (parameter averaging), built on first use. */
    Optimizer optimizer(OptimizerFactory factory) {
        if (optimizer == null) optimizer = factory.create(module.parameters());
        return optimizer;
    }
}
