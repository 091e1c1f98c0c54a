package dev.wengert.ops;

import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused GRU sequence op against the same recurrence written step by step with matmul, add, sub,
 * sigmoid, tanh and mul (an independent path through other primitives): values, gradients of every input, JVPs and gradients of
 * gradients agree to 1e-12 relative, over random T, batch, input and hidden sizes, including sizes past the
 * small-product thresholds of the kernels. Also: nothing passed in is written. The checks are
 * {@link SequenceOpCheck}'s.
 */
class GruSequenceProperties {

    /** The 11 inputs (W_g, U_g, b_g for g = z, r, n; h0, X), weights of scale 1/√fan-in. */
    static Tensor[] inputs(Random rng, int steps, int batch, int m, int n) {
        Tensor[] in = new Tensor[11];
        for (int g = 0; g < 3; g++) {
            in[g] = Ops.mul(Tensor.randn(rng, n, n), 1.0 / Math.sqrt(n)).detach();
            in[3 + g] = Ops.mul(Tensor.randn(rng, n, m), 1.0 / Math.sqrt(Math.max(m, 1))).detach();
            in[6 + g] = Tensor.randn(rng, n);
        }
        in[9] = Tensor.randn(rng, batch, n);
        in[10] = Tensor.randn(rng, steps, batch, m);
        return in;
    }

    /** h_t of every step from separate ops (as GruCell.step writes them), stacked as [T,B,n]. */
    static Tensor stepByStep(Tensor[] in) {
        int steps = in[10].dim(0);
        Tensor h = in[9];
        Tensor[] hs = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            Tensor x = Ops.reshape(Ops.slice(in[10], 0, t, t + 1), in[10].dim(1), in[10].dim(2));
            Tensor z = Ops.sigmoid(Ops.add(Ops.add(Ops.matmul(h, in[0], false, true), Ops.matmul(x, in[3], false, true)),
                    in[6]));
            Tensor r = Ops.sigmoid(Ops.add(Ops.add(Ops.matmul(h, in[1], false, true), Ops.matmul(x, in[4], false, true)),
                    in[7]));
            Tensor cand = Ops.tanh(Ops.add(Ops.add(Ops.matmul(Ops.mul(r, h), in[2], false, true),
                    Ops.matmul(x, in[5], false, true)), in[8]));
            h = Ops.add(cand, Ops.mul(z, Ops.sub(h, cand)));
            hs[t] = h;
        }
        return Ops.stack(0, hs);
    }

    static Tensor fused(Tensor[] in) {
        return StructuredSpecs.gruOf(in);
    }

    @Property(tries = 60)
    void valuesAndGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 12) int steps,
            @ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 0, max = 40) int m,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.valuesAndGradients(inputs(rng, steps, batch, m, n),
                rng, GruSequenceProperties::fused, GruSequenceProperties::stepByStep);
    }

    @Property(tries = 40)
    void jvpEqualsTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 10) int m,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.jvp(inputs(rng, steps, batch, m, n),
                rng, GruSequenceProperties::fused, GruSequenceProperties::stepByStep);
    }

    @Property(tries = 25)
    void gradientsOfGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 5) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.secondOrder(inputs(rng, steps, batch, m, n),
                rng, GruSequenceProperties::fused, GruSequenceProperties::stepByStep);
    }
}
