package dev.wengert.ops;

import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused LSTM sequence op against the same recurrence written step by step with matmul, add, sigmoid, tanh
 * and mul (an independent path through other primitives): values, gradients of every input, JVPs and gradients of
 * gradients agree to 1e-12 relative, over random T, batch, input and hidden sizes, including sizes past the
 * small-product thresholds of the kernels. Also: nothing passed in is written. The checks are
 * {@link SequenceOpCheck}'s.
 */
class LstmSequenceProperties {

    /** The 15 inputs (W_g, U_g, b_g for g = f, i, o, c; h0, c0, X), weights of scale 1/√fan-in. */
    static Tensor[] inputs(Random rng, int steps, int batch, int m, int n) {
        Tensor[] in = new Tensor[15];
        for (int g = 0; g < 4; g++) {
            in[g] = Ops.mul(Tensor.randn(rng, n, n), 1.0 / Math.sqrt(n)).detach();
            in[4 + g] = Ops.mul(Tensor.randn(rng, n, m), 1.0 / Math.sqrt(Math.max(m, 1))).detach();
            in[8 + g] = Tensor.randn(rng, n);
        }
        in[12] = Tensor.randn(rng, batch, n);
        in[13] = Tensor.randn(rng, batch, n);
        in[14] = Tensor.randn(rng, steps, batch, m);
        return in;
    }

    /** h_t and c_t of every step from separate ops (as LstmCell.step writes them), stacked as [2,T,B,n]. */
    static Tensor stepByStep(Tensor[] in) {
        int steps = in[14].dim(0);
        Tensor h = in[12];
        Tensor c = in[13];
        Tensor[] hs = new Tensor[steps];
        Tensor[] cs = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            Tensor x = Ops.reshape(Ops.slice(in[14], 0, t, t + 1), in[14].dim(1), in[14].dim(2));
            Tensor[] a = new Tensor[4];
            for (int g = 0; g < 4; g++) {
                Tensor pre = Ops.add(Ops.add(Ops.matmul(h, in[g], false, true), Ops.matmul(x, in[4 + g], false, true)),
                        in[8 + g]);
                a[g] = g == 3 ? Ops.tanh(pre) : Ops.sigmoid(pre);
            }
            c = Ops.add(Ops.mul(a[0], c), Ops.mul(a[1], a[3]));
            h = Ops.mul(a[2], Ops.tanh(c));
            hs[t] = h;
            cs[t] = c;
        }
        return Ops.stack(0, Ops.stack(0, hs), Ops.stack(0, cs));
    }

    static Tensor fused(Tensor[] in) {
        return StructuredSpecs.lstmOf(in);
    }

    @Property(tries = 60)
    void valuesAndGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 12) int steps,
            @ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 0, max = 40) int m,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.valuesAndGradients(inputs(rng, steps, batch, m, n),
                rng, LstmSequenceProperties::fused, LstmSequenceProperties::stepByStep);
    }

    @Property(tries = 40)
    void jvpEqualsTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 10) int m,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.jvp(inputs(rng, steps, batch, m, n),
                rng, LstmSequenceProperties::fused, LstmSequenceProperties::stepByStep);
    }

    @Property(tries = 25)
    void gradientsOfGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 5) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        SequenceOpCheck.secondOrder(inputs(rng, steps, batch, m, n),
                rng, LstmSequenceProperties::fused, LstmSequenceProperties::stepByStep);
    }
}
