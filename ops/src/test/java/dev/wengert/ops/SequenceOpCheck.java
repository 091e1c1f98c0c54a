package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The checks the fused sequence ops share ({@code TanhRnnSequenceProperties}, {@code LstmSequenceProperties},
 * {@code GruSequenceProperties}): the fused op against the same recurrence written step by step with other
 * primitives (an independent path): the same state bits, and gradients of a random subset of tracked inputs,
 * JVPs and gradients of gradients to 1e-12 relative; nothing passed in is written.
 */
final class SequenceOpCheck {
    private SequenceOpCheck() {}

    static final double TOL = 1e-12;

    static void valuesAndGradients(Tensor[] in, Random rng, Function<Tensor[], Tensor> fused,
            Function<Tensor[], Tensor> stepByStep) {
        double[] before = checksums(in);
        Tensor seed = Tensor.randn(rng, fused.apply(in).shape());
        // A random subset of the inputs is tracked (at least one); the others are constants.
        Tensor[] args = new Tensor[in.length];
        List<Tensor> tracked = new ArrayList<>();
        int forced = rng.nextInt(in.length);
        for (int i = 0; i < in.length; i++) {
            boolean track = i == forced || rng.nextInt(3) > 0;
            args[i] = track ? in[i].detach().requiresGrad() : in[i].detach();
            if (track) tracked.add(args[i]);
        }
        Tensor[] wrt = tracked.toArray(new Tensor[0]);
        Tensor ya;
        Tensor yb;
        Tensor[] a;
        Tensor[] b;
        try (Tape tape = Tape.open()) {
            ya = fused.apply(args);
            a = tape.gradient(new Tensor[] {ya}, new Tensor[] {seed}, wrt);
        }
        try (Tape tape = Tape.open()) {
            yb = stepByStep.apply(args);
            b = tape.gradient(new Tensor[] {yb}, new Tensor[] {seed}, wrt);
        }
        close("value", yb, ya);
        assertArrayEquals(yb.data(), ya.data(), "the states are not the same bits as the step-by-step graph's");
        for (int i = 0; i < wrt.length; i++) close("gradient of tracked input " + i, b[i], a[i]);
        assertArrayEquals(before, checksums(in), "inputs written");
        assertArrayEquals(before, checksums(args), "inputs written");
    }

    /** Tangents for a random subset of the inputs (at least the last, X). */
    static void jvp(Tensor[] in, Random rng, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> stepByStep) {
        Tensor[] tangents = new Tensor[in.length];
        boolean any = false;
        for (int i = 0; i < in.length; i++) {
            tangents[i] = rng.nextInt(4) == 0 ? null : Tensor.randn(rng, in[i].shape());
            any |= tangents[i] != null;
        }
        if (!any) tangents[in.length - 1] = Tensor.randn(rng, in[in.length - 1].shape());
        Tensor ta = ForwardMode.jvp(x -> new Tensor[] {fused.apply(x)}, in, tangents).tangent();
        Tensor tb = ForwardMode.jvp(x -> new Tensor[] {stepByStep.apply(x)}, in, tangents).tangent();
        close("tangent", tb, ta);
    }

    /** ∇ of Σ_i ‖∂(Σ probe ⊙ H)/∂input_i‖² with respect to every input: exercises the recorded VJP. */
    static void secondOrder(Tensor[] in, Random rng, Function<Tensor[], Tensor> fused,
            Function<Tensor[], Tensor> stepByStep) {
        Tensor probe = Tensor.randn(rng, fused.apply(in).shape());
        Tensor[] a = secondOrderOf(in, probe, fused);
        Tensor[] b = secondOrderOf(in, probe, stepByStep);
        for (int i = 0; i < in.length; i++) close("second-order gradient " + i, b[i], a[i]);
    }

    private static Tensor[] secondOrderOf(Tensor[] in, Tensor probe, Function<Tensor[], Tensor> f) {
        Tensor[] wrt = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) wrt[i] = in[i].detach().requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor[] g = tape.recordedGradient(Ops.sum(Ops.mul(f.apply(wrt), probe)), wrt);
            Tensor total = null;
            for (Tensor gi : g) {
                Tensor s = Ops.sum(Ops.mul(gi, gi));
                total = total == null ? s : Ops.add(total, s);
            }
            return tape.gradient(total, wrt);
        }
    }

    /** Position-weighted sums, one per input: any change of any element changes them. */
    static double[] checksums(Tensor[] in) {
        double[] s = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            double acc = 0;
            double[] d = in[i].data();
            for (int j = 0; j < d.length; j++) acc += d[j] * (j + 1.0);
            s[i] = acc;
        }
        return s;
    }

    static void close(String what, Tensor expected, Tensor actual) {
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
