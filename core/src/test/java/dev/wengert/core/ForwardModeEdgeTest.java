package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.add;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Forward mode at its edges: argument counts, zero tangents, one direction, several outputs. */
class ForwardModeEdgeTest {
    private static final double EXACT = 1e-15;

    @Test
    void primalsAndTangentsMustPair() {
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> ForwardMode.jvp(
                in -> new Tensor[] {in[0]}, new Tensor[] {Tensor.scalar(1), Tensor.scalar(2)},
                new Tensor[] {Tensor.scalar(1)}));
        assertEquals("jvp: 2 primals but 1 tangents", single.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> ForwardMode.jvpBatch(1,
                in -> new Tensor[] {in[0]}, new Tensor[] {Tensor.scalar(1)},
                new Tensor[] {Tensor.zeros(1), Tensor.zeros(1)}));
        assertEquals("jvpBatch: 1 primals but 2 tangents", batch.getMessage());
    }

    @Test
    void theNumberOfDirectionsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForwardMode.jvpBatch(0,
                in -> new Tensor[] {in[0]}, new Tensor[] {Tensor.scalar(1)}, new Tensor[] {null}));
        assertEquals("jvpBatch: the number of directions must be positive, got 0", e.getMessage());
        ForwardMode.Result one = ForwardMode.jvpBatch(1, in -> new Tensor[] {sin(in[0])},
                new Tensor[] {Tensor.vector(0.5)}, new Tensor[] {Tensor.of(new double[] {2}, 1, 1)});
        assertArrayEquals(new int[] {1, 1}, one.tangent().shape());
        assertEquals(2 * Math.cos(0.5), one.tangent().item(), EXACT);
    }

    @Test
    void aNullTangentIsZero() {
        Tensor a = Tensor.vector(0.5, 1.5);
        Tensor b = Tensor.vector(2, 3);
        ForwardMode.Result r = ForwardMode.jvp(in -> new Tensor[] {mul(in[0], in[1])}, new Tensor[] {a, b},
                new Tensor[] {null, Tensor.vector(1, 1)});
        assertArrayEquals(new double[] {0.5, 1.5}, r.tangent().data(), EXACT);
        ForwardMode.Result batch = ForwardMode.jvpBatch(2, in -> new Tensor[] {mul(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {Tensor.of(new double[] {1, 0, 0, 1}, 2, 2), null});
        assertArrayEquals(new double[] {2, 0, 0, 3}, batch.tangent().data(), EXACT);
        ForwardMode.Result none = ForwardMode.jvp(in -> new Tensor[] {sin(in[0])}, new Tensor[] {a},
                new Tensor[] {null});
        assertArrayEquals(new int[] {2}, none.tangent().shape());
        assertArrayEquals(new double[] {0, 0}, none.tangent().data(), 0.0);
    }

    @Test
    void everyOutputGetsItsValueAndATangentOfItsShape() {
        Tensor x = Tensor.vector(0.1, 0.2, 0.3);
        Tensor s = Tensor.scalar(2);
        ForwardMode.Result r = ForwardMode.jvp(in -> new Tensor[] {sin(in[0]), mul(in[1], in[1]), in[0]},
                new Tensor[] {x, s}, new Tensor[] {Tensor.vector(1, 2, 3), Tensor.scalar(0.5)});
        assertEquals(3, r.outputs());
        assertArrayEquals(new double[] {Math.sin(0.1), Math.sin(0.2), Math.sin(0.3)}, r.value(0).data(), EXACT);
        assertArrayEquals(new double[] {Math.cos(0.1), 2 * Math.cos(0.2), 3 * Math.cos(0.3)}, r.tangent(0).data(), EXACT);
        assertArrayEquals(new int[0], r.value(1).shape());
        assertArrayEquals(new int[0], r.tangent(1).shape());
        assertEquals(4.0, r.value(1).item());
        assertEquals(2.0, r.tangent(1).item(), EXACT);
        assertArrayEquals(new int[] {3}, r.tangent(2).shape());
        assertArrayEquals(new double[] {1, 2, 3}, r.tangent(2).data(), 0.0);
    }

    @Test
    void theEnginesAccumulationPushesTangentsToo() {
        Tensor a = Tensor.vector(1, 2);
        Tensor b = Tensor.vector(10, 20);
        ForwardMode.Result both = ForwardMode.jvp(in -> new Tensor[] {Accumulate.INSTANCE.apply(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {Tensor.vector(1, 2), Tensor.vector(3, 5)});
        assertArrayEquals(new double[] {11, 22}, both.value().data(), 0.0);
        assertArrayEquals(new double[] {4, 7}, both.tangent().data(), 0.0);
        ForwardMode.Result first = ForwardMode.jvp(in -> new Tensor[] {Accumulate.INSTANCE.apply(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {Tensor.vector(1, 2), null});
        assertArrayEquals(new double[] {1, 2}, first.tangent().data(), 0.0);
        ForwardMode.Result second = ForwardMode.jvp(in -> new Tensor[] {Accumulate.INSTANCE.apply(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {null, Tensor.vector(3, 5)});
        assertArrayEquals(new double[] {3, 5}, second.tangent().data(), 0.0);
        assertThrows(ShapeException.class, () -> Accumulate.INSTANCE.apply(a, Tensor.zeros(3)));
    }

    @Test
    void aSumOfTwoTangentsIsExact() {
        ForwardMode.Result r = ForwardMode.jvp(in -> add(in, in), Tensor.vector(1), Tensor.vector(0.25));
        assertEquals(0.5, r.tangent().item());
    }
}
