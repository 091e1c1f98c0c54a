package dev.wengert.ops;

import dev.wengert.core.Primitive;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One row of the per-op spec table: which primitive it covers, how to generate instances (shapes
 * with broadcasting, size-1 axes and 0-d tensors; values from the op's domain; parameters; each with
 * an independent reference for its forward value), the tolerance, and special values.
 */
final class OpSpec {
    /** Builds a random instance: parameters, shapes and values, all drawn from {@code rng}. */
    interface CaseMaker {
        OpCase make(OpSpec spec, Random rng);
    }

    /** An input with a known output (and optionally a known gradient of the sum of the output). */
    static final class Special {
        final String label;
        final Tensor[] inputs;
        final Function<Tensor[], Tensor> f;
        final double[] expected;
        final double[][] expectedGrad;

        Special(String label, Tensor[] inputs, Function<Tensor[], Tensor> f, double[] expected, double[][] expectedGrad) {
            this.label = label;
            this.inputs = inputs;
            this.f = f;
            this.expected = expected;
            this.expectedGrad = expectedGrad;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    final String name;
    final Class<? extends Primitive> primitive;
    final CaseMaker maker;
    double tolerance = 1e-6;
    double step = 1e-3;
    boolean secondOrder = true;
    final List<Special> specials = new ArrayList<>();

    OpSpec(String name, Class<? extends Primitive> primitive, CaseMaker maker) {
        this.name = name;
        this.primitive = primitive;
        this.maker = maker;
    }

    OpSpec tolerance(double t) {
        this.tolerance = t;
        return this;
    }

    OpSpec step(double h) {
        this.step = h;
        return this;
    }

    /** For ops whose second derivative is zero almost everywhere and whose FD of gradients is all kinks. */
    OpSpec noSecondOrder() {
        this.secondOrder = false;
        return this;
    }

    /** A special value: f at inputs must give {@code expected}; the gradient of sum(f) must give expectedGrad (or null). */
    OpSpec special(String label, Tensor[] inputs, Function<Tensor[], Tensor> f, double[] expected, double[]... grad) {
        specials.add(new Special(label, inputs, f, expected, grad.length == 0 ? null : grad));
        return this;
    }

    OpCase make(Random rng) {
        return maker.make(this, rng);
    }

    @Override
    public String toString() {
        return name;
    }
}
