package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused GRU sequence op against the same recurrence written step by step with matmul, add, sub,
 * sigmoid, tanh and mul (an independent path through other primitives): values, gradients of every input, JVPs and gradients of
 * gradients agree to 1e-12 relative, over random T, batch, input and hidden sizes, including sizes past the
 * small-product thresholds of the kernels. Also: nothing passed in is written.
 */
class GruSequenceProperties {

    private static final double TOL = 1e-12;

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
        Tensor[] in = inputs(rng, steps, batch, m, n);
        double[][] before = checksums(in);
        Tensor seedG = Tensor.randn(rng, steps, batch, n);
        // A random subset of the inputs is tracked (at least one); the others are constants.
        Tensor[] args = new Tensor[in.length];
        java.util.List<Tensor> tracked = new java.util.ArrayList<>();
        int forced = rng.nextInt(in.length);
        for (int i = 0; i < in.length; i++) {
            boolean track = i == forced || rng.nextInt(3) > 0;
            args[i] = track ? in[i].detach().requiresGrad() : in[i].detach();
            if (track) tracked.add(args[i]);
        }
        Tensor[] wrt = tracked.toArray(new Tensor[0]);
        Tensor[] a;
        Tensor[] b;
        Tensor ya;
        Tensor yb;
        try (Tape tape = Tape.open()) {
            ya = fused(args);
            a = tape.gradient(new Tensor[] {ya}, new Tensor[] {seedG}, wrt);
        }
        try (Tape tape = Tape.open()) {
            yb = stepByStep(args);
            b = tape.gradient(new Tensor[] {yb}, new Tensor[] {seedG}, wrt);
        }
        close("value", yb, ya);
        assertArrayEquals(yb.data(), ya.data(), "the states are not the same bits as the step-by-step graph's");
        for (int i = 0; i < wrt.length; i++) close("gradient of tracked input " + i, b[i], a[i]);
        assertArrayEquals(before[0], checksums(in)[0], "inputs written");
        assertArrayEquals(before[0], checksums(args)[0], "inputs written");
    }

    @Property(tries = 40)
    void jvpEqualsTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 10) int m,
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor[] in = inputs(rng, steps, batch, m, n);
        Tensor[] tangents = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) tangents[i] = rng.nextInt(4) == 0 ? null : Tensor.randn(rng, in[i].shape());
        if (allNull(tangents)) tangents[10] = Tensor.randn(rng, in[10].shape());
        Tensor[] t = tangents;
        Tensor ta = ForwardMode.jvp(x -> new Tensor[] {fused(x)}, in, t).tangent();
        Tensor tb = ForwardMode.jvp(x -> new Tensor[] {stepByStep(x)}, in, t).tangent();
        close("tangent", tb, ta);
    }

    @Property(tries = 25)
    void gradientsOfGradientsEqualTheStepByStepGraph(@ForAll @IntRange(min = 1, max = 5) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int m,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor[] in = inputs(rng, steps, batch, m, n);
        Tensor probe = Tensor.randn(rng, steps, batch, n);
        Tensor[] a = secondOrder(in, probe, true);
        Tensor[] b = secondOrder(in, probe, false);
        for (int i = 0; i < in.length; i++) close("second-order gradient " + i, b[i], a[i]);
    }

    /** ∇ of Σ_i ‖∂(Σ probe ⊙ H)/∂input_i‖² with respect to every input: exercises the recorded VJP. */
    private static Tensor[] secondOrder(Tensor[] in, Tensor probe, boolean fusedPath) {
        Tensor[] wrt = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) wrt[i] = in[i].detach().requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor h = fusedPath ? fused(wrt) : stepByStep(wrt);
            Tensor[] g = tape.recordedGradient(Ops.sum(Ops.mul(h, probe)), wrt);
            Tensor total = null;
            for (Tensor gi : g) {
                Tensor s = Ops.sum(Ops.mul(gi, gi));
                total = total == null ? s : Ops.add(total, s);
            }
            return tape.gradient(total, wrt);
        }
    }

    private static boolean allNull(Tensor[] t) {
        for (Tensor x : t) if (x != null) return false;
        return true;
    }

    static double[][] checksums(Tensor[] in) {
        double[] s = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            double acc = 0;
            double[] d = in[i].data();
            for (int j = 0; j < d.length; j++) acc += d[j] * (j + 1.0);
            s[i] = acc;
        }
        return new double[][] {s};
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.data();
        double[] a = actual.data();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]);
            assertTrue(err <= TOL * Math.max(1.0, scale), what + " at " + i + ": " + a[i] + " vs step by step " + e[i]
                    + " (error " + err + ", scale " + scale + ")");
        }
    }
}
