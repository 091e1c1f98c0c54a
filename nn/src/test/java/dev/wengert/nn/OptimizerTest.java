package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimiser steps against values computed by hand (the expected numbers were worked out separately, in
 * 50-digit decimal arithmetic, from the update equations quoted in each optimiser's Javadoc): parameters
 * w = (1, −2) and gradients g₁ = (0.5, −0.1), g₂ = (0.2, 0.3), g₃ = (−0.4, 0.05), learning rate 0.1.
 */
class OptimizerTest {
    private static final double[][] GRADS = {{0.5, -0.1}, {0.2, 0.3}, {-0.4, 0.05}};
    private static final double TOL = 1e-15;

    private static double[][] run(Function<List<Tensor>, Optimizer> make, boolean explicit) {
        Tensor w = Tensor.vector(1.0, -2.0).requiresGrad();
        Optimizer opt = make.apply(List.of(w));
        double[][] out = new double[GRADS.length][];
        for (int t = 0; t < GRADS.length; t++) {
            Tensor g = Tensor.vector(GRADS[t]);
            if (explicit) {
                opt.step(List.of(g));
            } else {
                // The same gradient through a tape: L = <g, w> has ∂L/∂w = g.
                try (Tape tape = Tape.open()) {
                    tape.backward(Ops.sum(Ops.mul(g, w)));
                }
                opt.step();
                opt.zeroGrad();
            }
            out[t] = w.toArray();
        }
        return out;
    }

    private static void assertSteps(double[][] expected, Function<List<Tensor>, Optimizer> make) {
        for (boolean explicit : new boolean[] {true, false}) {
            double[][] got = run(make, explicit);
            for (int t = 0; t < expected.length; t++) {
                assertArrayEquals(expected[t], got[t], TOL * 4, "step " + (t + 1) + (explicit ? " (explicit)" : " (grad())"));
            }
        }
    }

    @Test
    void sgdIsWMinusEtaG() {
        assertSteps(new double[][] {{0.95, -1.99}, {0.93, -2.02}, {0.97, -2.025}}, p -> new Sgd(p, 0.1));
    }

    /** v ← μv + g, w ← w − ηv with μ = 0.9. */
    @Test
    void momentumMatchesHandComputedSteps() {
        assertSteps(new double[][] {{0.95, -1.99}, {0.885, -2.011}, {0.8665, -2.0349}}, p -> Sgd.momentum(p, 0.1, 0.9));
    }

    /** v ← μv + g, w ← w − η(g + μv) with μ = 0.9. */
    @Test
    void nesterovMatchesHandComputedSteps() {
        assertSteps(new double[][] {{0.905, -1.981}, {0.8265, -2.0299}, {0.84985, -2.05641}}, p -> Sgd.nesterov(p, 0.1, 0.9));
    }

    /** g ← g + λw with λ = 0.5. */
    @Test
    void sgdWeightDecayMatchesHandComputedSteps() {
        assertSteps(new double[][] {{0.9, -1.89}, {0.835, -1.8255}, {0.83325, -1.739225}},
                p -> new Sgd(p, 0.1).weightDecay(0.5));
    }

    /**
     * Adam, Kingma and Ba's Algorithm 1 with β₁ = 0.9, β₂ = 0.999, ε = 1e-8. The first step is
     * {@code w − η g / (|g| + ε)} (m̂ = g, v̂ = g²): 1 − 0.1 · 0.5/(0.5 + 1e-8) = 0.900000002.
     */
    @Test
    void adamMatchesThePapersEquationsOverThreeSteps() {
        assertSteps(new double[][] {{0.900000002, -1.900000009999999}, {0.8101424839029275, -1.949418991120066},
                {0.7925145982082045, -1.9971327067421205}}, p -> new Adam(p, 0.1));
    }

    /** AdamW: w ← w(1 − ηλ), then the Adam step, λ = 0.01. */
    @Test
    void adamWDecaysTheWeightsDirectly() {
        assertSteps(new double[][] {{0.899000002, -1.898000009999999}, {0.8082434839009276, -1.9455209911100657},
                {0.7898073547223036, -1.9912891857410104}}, p -> Adam.adamW(p, 0.1, 0.01));
    }

    /** Adam with L2 weight decay: g ← g + λw before the moments, λ = 0.01 (not the same as AdamW). */
    @Test
    void adamWithCoupledWeightDecayAddsItToTheGradient() {
        assertSteps(new double[][] {{0.9000000019607842, -1.9000000083333326}, {0.8097733282941701, -1.94213565145409},
                {0.7899911845270016, -1.980909481305138}}, p -> new Adam(p, 0.1).weightDecay(0.01));
    }

    @Test
    void clippingByValueAndByGlobalNorm() {
        List<Tensor> g = Arrays.asList(Tensor.vector(3, -4), null, Tensor.vector(12));
        assertEquals(13, Clip.globalNorm(g), 1e-15);
        List<Tensor> v = Clip.byValue(g, 2.5);
        assertArrayEquals(new double[] {2.5, -2.5}, v.get(0).data(), 0);
        assertArrayEquals(new double[] {2.5}, v.get(2).data(), 0);
        assertEquals(null, v.get(1));
        List<Tensor> n = Clip.byGlobalNorm(g, 6.5);
        assertArrayEquals(new double[] {1.5, -2}, n.get(0).data(), 1e-15);
        assertArrayEquals(new double[] {6}, n.get(2).data(), 1e-15);
        assertArrayEquals(new double[] {3, -4}, Clip.byGlobalNorm(g, 100).get(0).data(), 0, "below the bound: unchanged");
        assertArrayEquals(new double[] {3, -4}, g.get(0).data(), 0, "the inputs are not modified");
        // Huge values: no overflow in the norm.
        assertEquals(5e300, Clip.globalNorm(List.of(Tensor.vector(3e300, 4e300))), 1e286);
    }

    @Test
    void optimiserClipsACopyBeforeItsUpdate() {
        Tensor w = Tensor.vector(0, 0).requiresGrad();
        Tensor g = Tensor.vector(3, -4);
        Sgd opt = new Sgd(List.of(w), 1.0);
        opt.clipByGlobalNorm(1.0);
        opt.step(List.of(g));
        assertArrayEquals(new double[] {-0.6, 0.8}, w.data(), 1e-15);
        assertEquals(5, opt.lastGradientNorm(), 1e-15);
        assertArrayEquals(new double[] {3, -4}, g.data(), 0);
        Tensor w2 = Tensor.vector(0, 0).requiresGrad();
        Sgd byValue = new Sgd(List.of(w2), 1.0);
        byValue.clipByValue(1.0);
        byValue.step(List.of(g));
        assertArrayEquals(new double[] {-1, 1}, w2.data(), 0);
    }

    @Test
    void schedulesFollowTheirFormulas() {
        Schedule step = Schedule.step(0.1, 0.5, 3);
        assertEquals(0.1, step.rate(0), 0);
        assertEquals(0.1, step.rate(2), 0);
        assertEquals(0.05, step.rate(3), 0);
        assertEquals(0.025, step.rate(7), 1e-18);
        Schedule cos = Schedule.cosine(1.0, 0.0, 10);
        assertEquals(1.0, cos.rate(0), 0);
        assertEquals(0.5, cos.rate(5), 1e-15);
        assertEquals((1 + Math.cos(Math.PI * 0.3)) / 2, cos.rate(3), 1e-15);
        assertEquals(0.0, cos.rate(10), 0);
        assertEquals(0.0, cos.rate(12), 0);
        Schedule cosMin = Schedule.cosine(0.2, 0.02, 4);
        assertEquals(0.02 + 0.18 * (1 + Math.cos(Math.PI / 4)) / 2, cosMin.rate(1), 1e-16);
        Tensor w = Tensor.vector(1).requiresGrad();
        Sgd opt = new Sgd(List.of(w), 1.0);
        cos.applyTo(opt, 5);
        assertEquals(0.5, opt.learningRate(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(0.1, 0.2, 5));
        assertThrows(IllegalArgumentException.class, () -> Schedule.step(0.1, 1.5, 5));
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        List<Tensor> p = List.of(Tensor.vector(1).requiresGrad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(p, -1));
        assertEquals(true, e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(p, 0.1, 1.0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(p, 0.1, 0.0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0.1, 1.0, 0.999, 1e-8));
        assertThrows(ShapeException.class, () -> new Sgd(p, 0.1).step(List.of(Tensor.vector(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(p, 0.1).step(List.of()));
        assertNotEquals(0, new Adam(p, 0.1).learningRate());
    }
}
