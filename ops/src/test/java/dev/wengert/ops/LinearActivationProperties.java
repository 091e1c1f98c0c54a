package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused layer {@link Ops#linear(Tensor, Tensor, Tensor, Nonlinearity)} against the unfused ops it
 * replaces, {@code φ(matmul(x, W, false, true) + b)}: the same bits for the value and for every gradient,
 * at sizes on both sides of the matrix kernel's thresholds, with and without recycled gradient buffers
 * (which it writes the weight gradient into). Its gradients against finite differences and a reference by
 * the definition are in the spec table (row "linear").
 */
class LinearActivationProperties {

    private static UnaryOperator<Tensor> unfused(Nonlinearity phi) {
        switch (phi) {
            case TANH: return Ops::tanh;
            case RELU: return Ops::relu;
            case SIGMOID: return Ops::sigmoid;
            default: return z -> z;
        }
    }

    @Property(tries = 80)
    void fusedEqualsUnfusedBitForBit(@ForAll @IntRange(min = 1, max = 40) int batch,
            @ForAll @IntRange(min = 1, max = 90) int in, @ForAll @IntRange(min = 1, max = 40) int out,
            @ForAll Nonlinearity phi, @ForAll boolean recycle, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor x1 = Tensor.randn(rng, batch, in).requiresGrad();
        Tensor w1 = Tensor.randn(rng, out, in).requiresGrad();
        Tensor b1 = Tensor.randn(rng, out).requiresGrad();
        Tensor g = Tensor.randn(rng, batch, out);
        Tensor x2 = x1.copy().requiresGrad();
        Tensor w2 = w1.copy().requiresGrad();
        Tensor b2 = b1.copy().requiresGrad();

        Tensor fused = null;
        for (int pass = 0; pass < (recycle ? 2 : 1); pass++) {
            for (Tensor p : new Tensor[] {x1, w1, b1}) p.recycleGrad();
            try (Tape t = Tape.open()) {
                fused = Ops.linear(x1, w1, b1, phi);
                t.backward(fused, g);
            }
        }
        double[] buffer = w1.grad().data();
        Tensor plain;
        try (Tape t = Tape.open()) {
            plain = unfused(phi).apply(Ops.add(Ops.matmul(x2, w2, false, true), b2));
            t.backward(plain, g);
        }
        assertArrayEquals(plain.data(), fused.data(), 0.0, "value");
        assertArrayEquals(x2.grad().data(), x1.grad().data(), 0.0, "dx");
        assertArrayEquals(w2.grad().data(), w1.grad().data(), 0.0, "dW");
        assertArrayEquals(b2.grad().data(), b1.grad().data(), 0.0, "db");
        if (recycle) assertSame(buffer, w1.grad().data());
    }

    @Property(tries = 30)
    void secondOrderAndForwardModeAgreeWithTheUnfusedOps(@ForAll @IntRange(min = 1, max = 6) int batch,
            @ForAll @IntRange(min = 1, max = 6) int in, @ForAll @IntRange(min = 1, max = 6) int out,
            @ForAll Nonlinearity phi, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor x = Tensor.randn(rng, batch, in).requiresGrad();
        Tensor w = Tensor.randn(rng, out, in).requiresGrad();
        Tensor b = Tensor.randn(rng, out).requiresGrad();
        Tensor v = Tensor.randn(rng, out, in);
        // Hessian-vector product of L = sum(y²) along v in W, both ways.
        double[][] hv = new double[2][];
        for (int k = 0; k < 2; k++) {
            boolean fusedOp = k == 0;
            try (Tape t = Tape.openRetained()) {
                Tensor y = fusedOp ? Ops.linear(x, w, b, phi) : unfused(phi).apply(Ops.add(Ops.matmul(x, w, false, true), b));
                Tensor l = Ops.sum(Ops.mul(y, y));
                Tensor gw = t.recordedGradient(l, w)[0];
                hv[k] = t.gradient(Ops.sum(Ops.mul(gw, v)), w)[0].data();
            }
        }
        assertArrayEquals(hv[1], hv[0], 1e-12 * (1 + norm(hv[1])), "Hessian-vector product");

        Tensor[] tangents = {Tensor.randn(rng, 2, batch, in), Tensor.randn(rng, 2, out, in), Tensor.randn(rng, 2, out)};
        Tensor[] primals = {x.detach(), w.detach(), b.detach()};
        Tensor tf = ForwardMode.jvpBatch(2, p -> new Tensor[] {Ops.linear(p[0], p[1], p[2], phi)}, primals, tangents)
                .tangent();
        Tensor tu = ForwardMode.jvpBatch(2, p -> new Tensor[] {
            unfused(phi).apply(Ops.add(Ops.matmul(p[0], p[1], false, true), p[2]))}, primals, tangents).tangent();
        assertArrayEquals(tu.data(), tf.data(), 1e-12 * (1 + norm(tu.data())), "JVP");
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return Math.sqrt(s);
    }
}
