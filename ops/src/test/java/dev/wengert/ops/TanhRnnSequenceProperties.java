package dev.wengert.ops;

import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused sequence op against the same recurrence written step by step with matmul, add and tanh (an
 * independent path through other primitives): values, gradients of every input, JVPs and gradients of
 * gradients agree to 1e-12 relative, over random T, batch, input and hidden sizes, including sizes past the
 * small-product thresholds of the kernels. Also: nothing passed in is written. The checks are
 * {@link SequenceOpCheck}'s.
 */
class TanhRnnSequenceProperties {

    /** Inputs W, U, b, h0, X with weights of scale 1/√fan-in (the states stay where tanh is not flat). */
    static Tensor[] inputs(Random rng, int steps, int batch, int m, int n) {
        return new Tensor[] {
            Ops.mul(Tensor.randn(rng, n, n), 1.0 / Math.sqrt(n)).detach(),
            Ops.mul(Tensor.randn(rng, n, m), 1.0 / Math.sqrt(Math.max(m, 1))).detach(),
            Tensor.randn(rng, n), Tensor.randn(rng, batch, n), Tensor.randn(rng, steps, batch, m)};
    }

    /** The states of all steps from separate ops: {@code h_t = tanh(h_{t−1} Wᵀ + x_t Uᵀ + b)}, stacked. */
    static Tensor stepByStep(Tensor[] in) {
        int steps = in[4].dim(0);
        Tensor h = in[3];
        Tensor[] hs = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            Tensor x = Ops.reshape(Ops.slice(in[4], 0, t, t + 1), in[4].dim(1), in[4].dim(2));
            h = Ops.tanh(Ops.add(Ops.add(Ops.matmul(h, in[0], false, true), Ops.matmul(x, in[1], false, true)), in[2]));
            hs[t] = h;
        }
        return Ops.stack(0, hs);
    }

    static Tensor fused(Tensor[] in) {
        return Ops.tanhRnnSequence(in[0], in[1], in[2], in[3], in[4]);
    }

    @Property(tries = 60)
    void valuesAndGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 12) int steps,
            @ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 0, max = 40) int m,
            @ForAll @IntRange(min = 1, max = 70) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.valuesAndGradients(inputs(rng, steps, batch, m, n),
                rng, TanhRnnSequenceProperties::fused, TanhRnnSequenceProperties::stepByStep);
    }

    @Property(tries = 40)
    void jvpEqualsTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 10) int m,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.jvp(inputs(rng, steps, batch, m, n),
                rng, TanhRnnSequenceProperties::fused, TanhRnnSequenceProperties::stepByStep);
    }

    @Property(tries = 25)
    void gradientsOfGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 5) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.secondOrder(inputs(rng, steps, batch, m, n),
                rng, TanhRnnSequenceProperties::fused, TanhRnnSequenceProperties::stepByStep);
    }
}
