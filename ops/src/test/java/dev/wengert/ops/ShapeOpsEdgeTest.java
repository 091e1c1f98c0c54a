package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The structural ops at their edges: new and removed axes at every position, stacking, permutations,
 * large transposes, empty index sets and sizes, and tangents that only one operand carries. Expected
 * values are written out by hand.
 */
class ShapeOpsEdgeTest {

    private static final Tensor X23 = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void expandDimsAtEveryPosition() {
        assertArrayEquals(new int[] {1, 2, 3}, Ops.expandDims(X23, 0).shape());
        assertArrayEquals(new int[] {2, 1, 3}, Ops.expandDims(X23, 1).shape());
        assertArrayEquals(new int[] {2, 3, 1}, Ops.expandDims(X23, 2).shape());
        assertArrayEquals(new int[] {2, 3, 1}, Ops.expandDims(X23, -1).shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, Ops.expandDims(X23, 1).data(), 0.0);
        assertThrows(ShapeException.class, () -> Ops.expandDims(X23, 3));
    }

    @Test
    void squeezeRemovesOnlyASizeOneAxis() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3, 1);
        assertArrayEquals(new int[] {3}, Ops.squeeze(x, 1).shape());
        assertArrayEquals(new int[] {3}, Ops.squeeze(x, -1).shape());
        assertArrayEquals(new int[] {2, 3}, Ops.squeeze(Tensor.zeros(1, 2, 3), 0).shape());
        assertArrayEquals(new int[] {2, 3}, Ops.squeeze(Tensor.zeros(2, 1, 3), 1).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> Ops.squeeze(X23, 1));
        assertEquals("squeeze: axis 1 of [2,3] has size 3", e.getMessage());
    }

    @Test
    void stackJoinsAlongANewAxis() {
        Tensor a = Tensor.vector(1, 2);
        Tensor b = Tensor.vector(3, 4);
        Tensor rows = Ops.stack(0, a, b);
        assertArrayEquals(new int[] {2, 2}, rows.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4}, rows.data(), 0.0);
        Tensor cols = Ops.stack(1, a, b);
        assertArrayEquals(new double[] {1, 3, 2, 4}, cols.data(), 0.0);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Ops.stack(0));
        assertEquals("stack: no tensors", none.getMessage());
        ShapeException mismatch = assertThrows(ShapeException.class, () -> Ops.stack(0, a, Tensor.vector(1, 2, 3)));
        assertEquals("stack: tensor 1 has shape [3], tensor 0 has [2]", mismatch.getMessage());
    }

    @Test
    void permuteRejectsAnAxisOneTooFar() {
        ShapeException e = assertThrows(ShapeException.class, () -> Ops.permute(X23, 0, 2));
        assertEquals("transpose: [0,2] is not a permutation of the axes 0..1", e.getMessage());
        assertThrows(ShapeException.class, () -> Ops.permute(X23, 1, 1));
        assertThrows(ShapeException.class, () -> Ops.permute(X23, -1, 0));
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, Ops.permute(X23, 1, 0).data(), 0.0);
    }

    @Test
    void largeTransposesCrossTheCacheBlocks() {
        for (int[] mn : new int[][] {{33, 65}, {64, 32}, {1, 70}, {70, 1}, {32, 33}}) {
            int m = mn[0];
            int n = mn[1];
            double[] d = new double[m * n];
            for (int i = 0; i < d.length; i++) d[i] = i;
            Tensor t = Ops.transpose(Tensor.of(d, m, n));
            assertArrayEquals(new int[] {n, m}, t.shape());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) assertEquals(i * n + j, t.get(j, i), m + "x" + n + " at " + i + "," + j);
            }
        }
        // A 3-d permutation that moves the first axis last.
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2);
        assertArrayEquals(new double[] {0, 4, 1, 5, 2, 6, 3, 7}, Ops.permute(x, 1, 2, 0).data(), 0.0);
    }

    @Test
    void reshapeAcceptsEmptySizesAndNamesBadOnes() {
        assertArrayEquals(new int[] {0, 5}, Ops.reshape(Tensor.zeros(0, 3), 0, 5).shape());
        ShapeException neg = assertThrows(ShapeException.class, () -> Ops.reshape(X23, -2, -3));
        assertEquals("reshape: negative size in [-2,-3]", neg.getMessage());
        assertArrayEquals(new int[] {3, 2}, Ops.reshape(X23, -1, 2).shape());
    }

    @Test
    void emptyIndexSetsAndSizes() {
        Tensor none = Ops.gather(X23, 1, new int[0], new int[] {0});
        assertArrayEquals(new int[] {2, 0}, none.shape());
        Tensor idx2 = Ops.gather(X23, 1, new int[0], new int[] {2, 0});
        assertArrayEquals(new int[] {2, 2, 0}, idx2.shape());
        ShapeException negIndexShape = assertThrows(ShapeException.class,
                () -> Ops.gather(X23, 1, new int[0], new int[] {-1, 0}));
        assertEquals("gather: the index shape [-1,0] has a negative size -1 (axis 0)", negIndexShape.getMessage());
        Tensor scattered = new ScatterAdd(1, new int[0], new int[] {0}, 4).apply(Tensor.zeros(2, 0));
        assertArrayEquals(new int[] {2, 4}, scattered.shape());
        assertArrayEquals(new double[8], scattered.data(), 0.0);
        Tensor toEmpty = new ScatterAdd(1, new int[0], new int[] {0}, 0).apply(Tensor.zeros(2, 0));
        assertArrayEquals(new int[] {2, 0}, toEmpty.shape());
        IllegalArgumentException negSize = assertThrows(IllegalArgumentException.class,
                () -> new ScatterAdd(0, new int[0], new int[] {0}, -1));
        assertEquals("scatterAdd: size must be >= 0, got -1", negSize.getMessage());
        ShapeException badIndexShape = assertThrows(ShapeException.class,
                () -> new ScatterAdd(0, new int[] {1, 2}, new int[] {3}, 4));
        assertEquals("scatterAdd: 2 indices do not fill the index shape [3] (3 elements)", badIndexShape.getMessage());
        ShapeException fewAxes = assertThrows(ShapeException.class,
                () -> new ScatterAdd(0, new int[] {0, 0}, new int[] {1, 2}, 1).apply(Tensor.vector(1, 2)));
        assertEquals("scatterAdd: input of shape [2] has fewer axes than the index shape [1,2]", fewAxes.getMessage());
        Tensor unsliceEmpty = new Unslice(0, 0, 1, 0).apply(Tensor.zeros(0, 2));
        assertArrayEquals(new int[] {0, 2}, unsliceEmpty.shape());
        IllegalArgumentException unsliceNeg = assertThrows(IllegalArgumentException.class,
                () -> new Unslice(0, 0, 1, -1));
        assertEquals("unslice: size must be >= 0, got -1", unsliceNeg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Unslice(0, 0, 0, 3));
    }

    @Test
    void unsliceFitsExactlyToTheEndOfTheAxis() {
        // Two elements from 1 with step 2 land on 1 and 3: they fit an axis of 4, not one of 3.
        Tensor y = new Unslice(0, 1, 2, 4).apply(Tensor.vector(5, 6));
        assertArrayEquals(new double[] {0, 5, 0, 6}, y.data(), 0.0);
        assertThrows(ShapeException.class, () -> new Unslice(0, 1, 2, 3).apply(Tensor.vector(5, 6)));
        Tensor atEnd = new Unslice(0, 3, 1, 3).apply(Tensor.zeros(0));
        assertArrayEquals(new int[] {3}, atEnd.shape());
        assertThrows(ShapeException.class, () -> new Unslice(0, 4, 1, 3).apply(Tensor.zeros(0)));
        assertThrows(ShapeException.class, () -> new Unslice(0, -1, 1, 3).apply(Tensor.vector(1)));
        // Steps over an inner axis copy whole rows.
        Tensor rows = new Unslice(0, 0, 2, 3).apply(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new double[] {1, 2, 0, 0, 3, 4}, rows.data(), 0.0);
    }

    @Test
    void slicesWithAStepOverRowsAndOverTheLastAxis() {
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, 3);
        assertArrayEquals(new double[] {0, 1, 2, 6, 7, 8}, Ops.slice(x, 0, 0, 4, 2).data(), 0.0);
        assertArrayEquals(new double[] {3, 4, 5, 9, 10, 11}, Ops.slice(x, 0, 1, 4, 2).data(), 0.0);
        assertArrayEquals(new double[] {0, 2, 3, 5, 6, 8, 9, 11}, Ops.slice(x, 1, 0, 3, 2).data(), 0.0);
        assertArrayEquals(new double[] {4, 7}, Ops.slice(Ops.slice(x, 1, 1, 2), 0, 1, 3).data(), 0.0);
        assertArrayEquals(new int[] {4, 0}, Ops.slice(x, 1, 2, 2).shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Ops.slice(x, 0, 0, 4).data(), 0.0);
        Tensor g = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor v = Tensor.zeros(4, 3).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = Ops.slice(v, 0, 1, 4, 2);
            Tensor dv = tape.gradient(new Tensor[] {y}, new Tensor[] {g}, v)[0];
            assertArrayEquals(new double[] {0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6}, dv.data(), 0.0);
        }
    }

    @Test
    void tangentsThatOnlyOneOperandCarries() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {5, 6, 7, 8}, 2, 2);
        Tensor cond = Tensor.of(new double[] {1, 0, 0, 1}, 2, 2);
        ForwardMode.Result wa = ForwardMode.jvp(in -> new Tensor[] {Ops.where(cond, in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {Tensor.ones(2, 2), null});
        assertArrayEquals(new double[] {1, 0, 0, 1}, wa.tangent().data(), 0.0);
        ForwardMode.Result wb = ForwardMode.jvp(in -> new Tensor[] {Ops.where(cond, in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {null, Tensor.ones(2, 2)});
        assertArrayEquals(new double[] {0, 1, 1, 0}, wb.tangent().data(), 0.0);
        // d(AB) = dA B + A dB with one of dA, dB zero.
        ForwardMode.Result ma = ForwardMode.jvp(in -> new Tensor[] {Ops.matmul(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {Tensor.of(new double[] {1, 0, 0, 0}, 2, 2), null});
        assertArrayEquals(new double[] {5, 6, 0, 0}, ma.tangent().data(), 0.0);
        ForwardMode.Result mb = ForwardMode.jvp(in -> new Tensor[] {Ops.matmul(in[0], in[1])},
                new Tensor[] {a, b}, new Tensor[] {null, Tensor.of(new double[] {1, 0, 0, 0}, 2, 2)});
        assertArrayEquals(new double[] {1, 0, 3, 0}, mb.tangent().data(), 0.0);
    }

    @Test
    void maxOfAnEmptySliceIsAnErrorButAnEmptyResultIsNot() {
        ShapeException e = assertThrows(ShapeException.class, () -> Ops.max(Tensor.zeros(2, 0), 1));
        assertTrue(e.getMessage().startsWith("max: the maximum over zero elements is undefined"), e.getMessage());
        assertArrayEquals(new int[] {0}, Ops.max(Tensor.zeros(0, 3), 1).shape());
    }

    @Test
    void aNanIsTheMaximumAndGetsTheGradient() {
        Tensor x = Tensor.vector(1, Double.NaN, 3).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor m = Ops.max(x);
            assertTrue(Double.isNaN(m.item()));
            assertArrayEquals(new double[] {0, 1, 0}, tape.gradient(m, x)[0].data(), 0.0);
        }
        Tensor first = Tensor.vector(Double.NaN, 5, 7);
        assertTrue(Double.isNaN(Ops.max(first).item()), "a NaN in front is not overtaken");
    }

    @Test
    void theSecondDerivativeThroughMaxIsThatOfTheMaximalElement() {
        // y = max(x^2) over a row: the maximal element is x1 = -3, so dy/dx = (0, -6, 0), d2y/dx1^2 = 2.
        Tensor x = Tensor.vector(1, -3, 2).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = Ops.max(Ops.square(x));
            Tensor g = tape.recordedGradient(y, x)[0];
            assertArrayEquals(new double[] {0, -6, 0}, g.data(), 0.0);
            Tensor h = tape.gradient(new Tensor[] {g}, new Tensor[] {Tensor.vector(0, 1, 0)}, x)[0];
            assertArrayEquals(new double[] {0, 2, 0}, h.data(), 0.0);
        }
    }
}
