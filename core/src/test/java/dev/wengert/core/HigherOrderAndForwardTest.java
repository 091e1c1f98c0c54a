package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gradients of gradients, and forward mode with one and several tangent directions. */
class HigherOrderAndForwardTest {
    private static final double EXACT = 1e-14;

    @Test
    void secondAndThirdDerivativesOfSine() {
        Tensor x = Tensor.scalar(0.7).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = sin(x);
            Tensor d1 = tape.recordedGradient(y, x)[0];
            Tensor d2 = tape.recordedGradient(d1, x)[0];
            Tensor d3 = tape.gradient(d2, x)[0];
            assertEquals(Math.cos(0.7), d1.item(), EXACT);
            assertEquals(-Math.sin(0.7), d2.item(), EXACT);
            assertEquals(-Math.cos(0.7), d3.item(), EXACT);
        }
    }

    @Test
    void hessianVectorProductOfAProduct() {
        // f(a, b) = sum(a * a * b): H = [[2b, 2a], [2a, 0]] per element.
        Tensor a = Tensor.vector(1.0, 2.0).requiresGrad();
        Tensor b = Tensor.vector(3.0, -1.0).requiresGrad();
        Tensor va = Tensor.vector(0.5, 1.0);
        Tensor vb = Tensor.vector(-2.0, 4.0);
        try (Tape tape = Tape.openRetained()) {
            Tensor y = mul(mul(a, a), b);
            Tensor[] g = tape.recordedGradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, a, b);
            Tensor[] hv = tape.gradient(g, new Tensor[] {va, vb}, a, b);
            assertArrayEquals(new double[] {2 * 3.0 * 0.5 + 2 * 1.0 * -2.0, 2 * -1.0 * 1.0 + 2 * 2.0 * 4.0},
                    hv[0].data(), EXACT);
            assertArrayEquals(new double[] {2 * 1.0 * 0.5, 2 * 2.0 * 1.0}, hv[1].data(), EXACT);
        }
    }

    @Test
    void jvpInOneDirection() {
        Tensor x = Tensor.vector(0.2, 0.4);
        Tensor v = Tensor.vector(1.0, -3.0);
        ForwardMode.Result r = ForwardMode.jvp(t -> sin(mul(t, t)), x, v);
        assertArrayEquals(new double[] {Math.sin(0.04), Math.sin(0.16)}, r.value().data(), EXACT);
        assertArrayEquals(new double[] {Math.cos(0.04) * 2 * 0.2 * 1.0, Math.cos(0.16) * 2 * 0.4 * -3.0},
                r.tangent().data(), EXACT);
    }

    @Test
    void jvpWithABatchOfDirectionsEqualsOneRunPerDirection() {
        Tensor x = Tensor.vector(0.2, 0.4, -1.0);
        Tensor y = Tensor.vector(1.5, -0.5, 2.0);
        Tensor tx = Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0.5, -0.5, 2}, 3, 3);
        Tensor ty = Tensor.of(new double[] {0, 0, 1, 1, 1, 1, -1, 2, 0}, 3, 3);
        ForwardMode.Result batch = ForwardMode.jvpBatch(3, in -> new Tensor[] {sin(mul(in[0], in[1]))},
                new Tensor[] {x, y}, new Tensor[] {tx, ty});
        assertArrayEquals(new int[] {3, 3}, batch.tangent().shape());
        for (int d = 0; d < 3; d++) {
            Tensor vx = Tensor.vector(java.util.Arrays.copyOfRange(tx.data(), 3 * d, 3 * d + 3));
            Tensor vy = Tensor.vector(java.util.Arrays.copyOfRange(ty.data(), 3 * d, 3 * d + 3));
            ForwardMode.Result one = ForwardMode.jvp(in -> new Tensor[] {sin(mul(in[0], in[1]))},
                    new Tensor[] {x, y}, new Tensor[] {vx, vy});
            assertArrayEquals(one.tangent().data(), java.util.Arrays.copyOfRange(batch.tangent().data(), 3 * d, 3 * d + 3),
                    EXACT);
        }
    }

    @Test
    void jacobianByForwardModeOfAnElementwiseFunctionIsDiagonal() {
        Tensor x = Tensor.vector(0.1, 0.2);
        Tensor j = ForwardMode.jacobian(t -> sin(t), x);
        assertArrayEquals(new int[] {2, 2}, j.shape());
        assertArrayEquals(new double[] {Math.cos(0.1), 0, 0, Math.cos(0.2)}, j.data(), EXACT);
    }

    @Test
    void forwardModeRecordsNothingAndDoesNotNest() {
        Tensor w = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            ForwardMode.jvp(t -> mul(w, t), Tensor.scalar(1.0), Tensor.scalar(1.0));
            assertEquals(0, tape.size());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ForwardMode.jvp(t -> ForwardMode.jvp(u -> sin(u), t, t).value(), Tensor.scalar(1.0),
                        Tensor.scalar(1.0)));
        assertTrue(e.getMessage().contains("do not nest"), e.getMessage());
    }

    @Test
    void tangentShapesAreChecked() {
        ShapeException single = assertThrows(ShapeException.class,
                () -> ForwardMode.jvp(t -> sin(t), Tensor.vector(1, 2), Tensor.vector(1, 2, 3)));
        assertTrue(single.getMessage().contains("tangent 0 has shape [3], primal 0 has shape [2]"), single.getMessage());
        ShapeException batch = assertThrows(ShapeException.class, () -> ForwardMode.jvpBatch(2,
                in -> new Tensor[] {sin(in[0])}, new Tensor[] {Tensor.vector(1, 2)}, new Tensor[] {Tensor.zeros(3, 2)}));
        assertTrue(batch.getMessage().contains("expected [2,2]"), batch.getMessage());
    }

    @Test
    void aTangentLeftOverFromAnotherRunIsIgnored() {
        // The output of one run carries no tangent into the next.
        Tensor y = ForwardMode.jvp(t -> sin(t), Tensor.scalar(0.3), Tensor.scalar(1.0)).value();
        ForwardMode.Result r = ForwardMode.jvp(in -> new Tensor[] {mul(in[0], y)},
                new Tensor[] {Tensor.scalar(2.0)}, new Tensor[] {Tensor.scalar(1.0)});
        assertEquals(Math.sin(0.3), r.tangent().item(), EXACT);
    }
}
