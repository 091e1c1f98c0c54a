package dev.wengert.ops;

import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.square;
import static dev.wengert.ops.Ops.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.GradCheck;
import dev.wengert.core.Primitive;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/** User-defined ops work in both modes, to second order, and under the gradient checker. */
class CustomOpTest {
    private static Tensor cubeValues(Tensor[] x) {
        double[] d = x[0].toArray();
        for (int i = 0; i < d.length; i++) d[i] = d[i] * d[i] * d[i];
        return Tensor.wrap(d, x[0].shape());
    }

    private static final Primitive CUBE = CustomOp.named("cube")
            .forward(CustomOpTest::cubeValues)
            .vjp((g, x, y) -> new Tensor[] {mul(g, mul(3.0, square(x[0])))})
            .jvpPerDirection((t, x, y) -> mul(t[0], mul(3.0, square(x[0]))))
            .build();

    private static final Primitive CUBE_BATCHED = CustomOp.named("cube")
            .forward(CustomOpTest::cubeValues)
            .vjp((g, x, y) -> new Tensor[] {mul(g, mul(3.0, square(x[0])))})
            .jvp((t, x, y) -> mul(t[0], mul(3.0, square(x[0]))))
            .build();

    @Test
    void aCustomOpPassesEveryGradientCheck() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5, 2.0, 0.1}, 2, 2);
        GradCheck.of(in -> CUBE.apply(in[0]), x).checkAll().assertPassed();
        GradCheck.of(in -> CUBE_BATCHED.apply(in[0]), x).checkAll().assertPassed();
        GradCheck.of(in -> Ops.tanh(CUBE.apply(Ops.mul(in[0], in[1]))), x, Tensor.vector(0.3, -0.8)).checkAll()
                .assertPassed();
    }

    @Test
    void secondDerivativeThroughACustomOp() {
        Tensor x = Tensor.scalar(1.5).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = CUBE.apply(x);
            Tensor d1 = tape.recordedGradient(y, x)[0];
            Tensor d2 = tape.gradient(d1, x)[0];
            assertEquals(3 * 1.5 * 1.5, d1.item(), 1e-12);
            assertEquals(6 * 1.5, d2.item(), 1e-12);
        }
    }

    @Test
    void missingRulesAreNamedWhenNeeded() {
        Primitive noRules = CustomOp.named("opaque").forward(x -> x[0].copy()).build();
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sum(noRules.apply(x));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> tape.gradient(y, x));
            assertTrue(e.getMessage().contains("custom op 'opaque' has no VJP"), e.getMessage());
        }
        UnsupportedOperationException f = assertThrows(UnsupportedOperationException.class,
                () -> ForwardMode.jvp(t -> noRules.apply(t), Tensor.scalar(1.0), Tensor.scalar(1.0)));
        assertTrue(f.getMessage().contains("custom op 'opaque' has no JVP"), f.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class, () -> CustomOp.named("x").build());
        assertTrue(g.getMessage().contains("no forward function"), g.getMessage());
    }

    @Test
    void aForwardThatBreaksItsShapeRuleIsCaught() {
        Primitive liar = CustomOp.named("liar").forward(x -> Tensor.zeros(3)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> liar.apply(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("liar: forward returned shape [3] but the shape rule says [2]"),
                e.getMessage());
    }
}
