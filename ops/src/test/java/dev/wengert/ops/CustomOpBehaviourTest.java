package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Primitive;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/** The custom-op builder: every rule it takes is used, and each missing or broken one is named. */
class CustomOpBehaviourTest {

    /** x^3 elementwise, with a VJP of 3x^2 g and a per-direction JVP of 3x^2 t. */
    static final Primitive CUBE = CustomOp.named("cube")
            .arity(1)
            .shape(x -> x[0].shape())
            .forward(x -> Ops.mul(Ops.mul(x[0], x[0]), x[0]))
            .vjp((g, x, y) -> new Tensor[] {Ops.mul(g, Ops.mul(3.0, Ops.square(x[0])))})
            .jvpPerDirection((t, x, y) -> Ops.mul(t[0], Ops.mul(3.0, Ops.square(x[0]))))
            .build();

    /** a * b with a batch JVP; the second input is often a constant (a null tangent). */
    private static final Primitive PRODUCT = CustomOp.named("product")
            .arity(2)
            .forward(x -> Ops.mul(x[0], x[1]))
            .vjp((g, x, y) -> new Tensor[] {Ops.mul(g, x[1]), Ops.mul(g, x[0])})
            .jvpPerDirection((t, x, y) -> t[0] == null ? Ops.mul(t[1], x[0])
                    : t[1] == null ? Ops.mul(t[0], x[1]) : Ops.add(Ops.mul(t[0], x[1]), Ops.mul(t[1], x[0])))
            .build();

    @Test
    void theBuiltOpUsesEveryRule() {
        Tensor x = Tensor.vector(2, -1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = CUBE.apply(x);
            assertArrayEquals(new double[] {8, -1}, y.data(), 0.0);
            assertArrayEquals(new double[] {12, 3}, tape.gradient(Ops.sum(y), x)[0].data(), 0.0);
        }
        ForwardMode.Result r = ForwardMode.jvpBatch(2, in -> new Tensor[] {CUBE.apply(in[0])},
                new Tensor[] {Tensor.vector(2, -1)}, new Tensor[] {Tensor.of(new double[] {1, 0, 0, 2}, 2, 2)});
        assertArrayEquals(new double[] {12, 0, 0, 6}, r.tangent().data(), 0.0);
        assertEquals("cube", CUBE.name());
        assertEquals(1, CUBE.arity());
    }

    @Test
    void aPerDirectionJvpSeesANullForAConstantInput() {
        ForwardMode.Result r = ForwardMode.jvpBatch(2, in -> new Tensor[] {PRODUCT.apply(in[0], in[1])},
                new Tensor[] {Tensor.vector(2, 3), Tensor.vector(5, 7)},
                new Tensor[] {Tensor.of(new double[] {1, 0, 0, 1}, 2, 2), null});
        assertArrayEquals(new double[] {5, 0, 0, 7}, r.tangent().data(), 0.0);
        ForwardMode.Result second = ForwardMode.jvp(in -> new Tensor[] {PRODUCT.apply(in[0], in[1])},
                new Tensor[] {Tensor.vector(2, 3), Tensor.vector(5, 7)}, new Tensor[] {null, Tensor.vector(1, 1)});
        assertArrayEquals(new double[] {2, 3}, second.tangent().data(), 0.0);
    }

    @Test
    void aBatchJvpIsCalledOnceWithTheWholeBatch() {
        Primitive twice = CustomOp.named("twice").forward(x -> Ops.mul(x[0], 2.0)).vjp((g, x, y) -> new Tensor[] {
            Ops.mul(g, 2.0)}).jvp((t, x, y) -> Ops.mul(t[0], 2.0)).build();
        ForwardMode.Result r = ForwardMode.jvpBatch(3, in -> new Tensor[] {twice.apply(in[0])},
                new Tensor[] {Tensor.vector(1)}, new Tensor[] {Tensor.of(new double[] {1, 2, 3}, 3, 1)});
        assertArrayEquals(new double[] {2, 4, 6}, r.tangent().data(), 0.0);
    }

    @Test
    void brokenOrMissingRulesAreNamed() {
        IllegalStateException noForward = assertThrows(IllegalStateException.class,
                () -> CustomOp.named("empty").build());
        assertEquals("custom op 'empty': no forward function", noForward.getMessage());
        Primitive constant = CustomOp.named("seven").arity(0).forward(x -> Tensor.scalar(7)).build();
        ShapeException noShape = assertThrows(ShapeException.class, constant::apply);
        assertEquals("seven: no inputs and no shape rule", noShape.getMessage());
        Primitive constantWithRule = CustomOp.named("seven").arity(0).shape(x -> new int[0])
                .forward(x -> Tensor.scalar(7)).build();
        assertEquals(7.0, constantWithRule.apply().item());
        Primitive none = CustomOp.named("none").forward(x -> null).build();
        IllegalStateException nul = assertThrows(IllegalStateException.class, () -> none.apply(Tensor.vector(1)));
        assertEquals("none: forward returned null but the shape rule says [1]", nul.getMessage());
        Primitive wrong = CustomOp.named("wrong").forward(x -> Tensor.zeros(2)).build();
        IllegalStateException shape = assertThrows(IllegalStateException.class, () -> wrong.apply(Tensor.vector(1)));
        assertEquals("wrong: forward returned shape [2] but the shape rule says [1]", shape.getMessage());
        Primitive noVjp = CustomOp.named("novjp").forward(x -> Ops.mul(x[0], 1.0)).build();
        Tensor v = Tensor.vector(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = noVjp.apply(v);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> tape.gradient(Ops.sum(y), v));
            assertEquals("custom op 'novjp' has no VJP: give one with .vjp(...)", e.getMessage());
        }
        UnsupportedOperationException noJvp = assertThrows(UnsupportedOperationException.class,
                () -> ForwardMode.jvp(noVjp::apply, Tensor.vector(1), Tensor.vector(1)));
        assertEquals("custom op 'novjp' has no JVP: give one with .jvp(...) or .jvpPerDirection(...)",
                noJvp.getMessage());
    }

    @Test
    void aPerDirectionJvpBuiltInPlaceIsApplied() {
        // Built here rather than in a static field, so that every builder call runs inside the test.
        Primitive halve = CustomOp.named("halve").arity(1).shape(x -> x[0].shape())
                .forward(x -> Ops.mul(x[0], 0.5))
                .vjp((g, x, y) -> new Tensor[] {Ops.mul(g, 0.5)})
                .jvpPerDirection((t, x, y) -> Ops.mul(t[0], 0.5))
                .build();
        ForwardMode.Result r = ForwardMode.jvpBatch(2, in -> new Tensor[] {halve.apply(in[0])},
                new Tensor[] {Tensor.vector(4)}, new Tensor[] {Tensor.of(new double[] {2, 6}, 2, 1)});
        assertArrayEquals(new double[] {1, 3}, r.tangent().data(), 0.0);
        assertEquals(2.0, halve.apply(Tensor.vector(4)).item());
    }
}
