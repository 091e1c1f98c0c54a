package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.List;

/**
 * Updates parameters in place from their gradients. {@link #step()} uses the gradients that
 * {@code Tape.backward} accumulated into each parameter's {@link Tensor#grad()}; {@link #step(List)}
 * takes them explicitly (from {@code Tape.gradient}, or from forward-mode RTRL). Parameters without a
 * gradient are left alone.
 */
public abstract class Optimizer {
    protected final List<Tensor> params;
    protected double learningRate;

    protected Optimizer(List<Tensor> params, double learningRate) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("optimizer: learning rate must be positive, got " + learningRate);
        this.params = List.copyOf(params);
        this.learningRate = learningRate;
    }

    /** One update from the accumulated {@link Tensor#grad()} of each parameter. */
    public void step() {
        beginStep();
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g != null) update(i, params.get(i).mutableData(), g.data());
        }
    }

    /** One update from explicit gradients, one per parameter in order (null skips a parameter). */
    public void step(List<Tensor> grads) {
        if (grads.size() != params.size()) {
            throw new IllegalArgumentException("optimizer: " + grads.size() + " gradients for " + params.size() + " parameters");
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor g = grads.get(i);
            if (g != null && !g.sameShape(params.get(i))) {
                throw new ShapeException("optimizer: gradient " + i + " has shape " + Shapes.str(g.shape())
                        + ", the parameter has " + Shapes.str(params.get(i).shape()));
            }
        }
        beginStep();
        for (int i = 0; i < params.size(); i++) {
            Tensor g = grads.get(i);
            if (g != null) update(i, params.get(i).mutableData(), g.data());
        }
    }

    /** Called once per step before the updates (Adam counts steps here). */
    protected void beginStep() {}

    /** Updates parameter {@code i}'s values {@code w} in place from its gradient {@code g}. */
    protected abstract void update(int i, double[] w, double[] g);

    /** Forgets the accumulated gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate (schedules call this between steps). */
    public void setLearningRate(double lr) {
        if (!(lr > 0)) throw new IllegalArgumentException("optimizer: learning rate must be positive, got " + lr);
        this.learningRate = lr;
    }

    /** The parameters this optimiser updates. */
    public List<Tensor> parameters() {
        return params;
    }
}
