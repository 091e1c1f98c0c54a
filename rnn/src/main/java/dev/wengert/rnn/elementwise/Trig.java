package dev.wengert.rnn.elementwise;

import dev.wengert.core.Primitive;
import dev.wengert.core.Tensor;
import dev.wengert.ops.CustomOp;
import dev.wengert.ops.Ops;

/**
 * {@code sin} and {@code cos} as primitives, for the LRU's phase {@code λ = |λ| (cos φ + i sin φ)}. The
 * ops module has no trigonometric op; these are defined with {@link CustomOp}, so the tape, forward mode
 * and gradients of gradients treat them like built-in ops:
 * <pre>  sin: VJP g cos x, JVP t cos x;     cos: VJP −g sin x, JVP −t sin x</pre>
 * Both rules are written with these same ops, so they can be recorded.
 */
final class Trig {
    private Trig() {}

    private static final Primitive SIN = CustomOp.named("sin")
            .forward(x -> map(x[0], StrictMath::sin))
            .vjp((g, x, y) -> new Tensor[] {Ops.mul(g, cos(x[0]))})
            .jvp((t, x, y) -> t[0] == null ? null : Ops.mul(t[0], cos(x[0])))
            .build();

    private static final Primitive COS = CustomOp.named("cos")
            .forward(x -> map(x[0], StrictMath::cos))
            .vjp((g, x, y) -> new Tensor[] {Ops.neg(Ops.mul(g, sin(x[0])))})
            .jvp((t, x, y) -> t[0] == null ? null : Ops.neg(Ops.mul(t[0], sin(x[0]))))
            .build();

    /** {@code sin x} elementwise. */
    static Tensor sin(Tensor x) {
        return SIN.apply(x);
    }

    /** {@code cos x} elementwise. */
    static Tensor cos(Tensor x) {
        return COS.apply(x);
    }

    private static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        double[] d = x.data();
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) out[i] = f.applyAsDouble(d[i]);
        return Tensor.wrap(out, x.shape());
    }
}
