package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.add;
import static dev.wengert.core.testing.TestOps.cos;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The reverse pass in detail: seeds and outputs, intermediates asked for, what a backward pass
 * releases, the checks on what a VJP returns, and gradients accumulated into leaves without aliasing.
 * Expected values are derived by hand.
 */
class BackwardPassTest {
    private static final double EXACT = 1e-15;

    /** y = a * b elementwise with a VJP made by {@code vjp(g, node)}, to break the contract on purpose. */
    private static Primitive mulWithVjp(String name, BiFunction<Tensor, Node, Tensor[]> vjp) {
        return new TestOps.Binary() {
            public String name() {
                return name;
            }

            protected double f(double a, double b) {
                return a * b;
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return vjp.apply(g, n);
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return null;
            }
        };
    }

    @Test
    void seedsMustMatchTheOutputsInNumber() {
        Tensor x = Tensor.scalar(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tape.gradient(new Tensor[] {y, y}, new Tensor[] {null}, x));
            assertEquals("gradient: 2 outputs but 1 seeds", e.getMessage());
        }
    }

    @Test
    void nullOutputsAndInputsAreNamed() {
        Tensor x = Tensor.scalar(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            RuntimeException out = assertThrows(RuntimeException.class,
                    () -> tape.gradient(new Tensor[] {y, null}, new Tensor[] {null, null}, x));
            assertEquals("gradient: output 1 is null", out.getMessage());
            RuntimeException in = assertThrows(RuntimeException.class, () -> tape.gradient(y, x, null));
            assertEquals("gradient: input 1 is null", in.getMessage());
        }
    }

    @Test
    void anUnrecordedOutputIsNamedWithItsPositionAmongSeveral() {
        Tensor x = Tensor.scalar(1).requiresGrad();
        Tensor constant = Tensor.vector(2).named("c");
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> tape.gradient(constant, x));
            assertTrue(one.getMessage().startsWith("gradient: output (tensor 'c' of shape [1]) was not recorded"),
                    one.getMessage());
            IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                    () -> tape.gradient(new Tensor[] {y, constant}, new Tensor[] {null, null}, x));
            assertTrue(two.getMessage().startsWith("gradient: output 1 (tensor 'c' of shape [1]) was not recorded"),
                    two.getMessage());
        }
    }

    @Test
    void theGradientOfAVariableWithRespectToItselfIsItsSeed() {
        Tensor w = Tensor.vector(3, 4).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor[] g = tape.gradient(new Tensor[] {w}, new Tensor[] {Tensor.vector(5, 6)}, w);
            assertArrayEquals(new double[] {5, 6}, g[0].data(), 0.0);
            Tensor s = Tensor.scalar(2).requiresGrad();
            assertEquals(1.0, tape.gradient(s, s)[0].item());
        }
    }

    @Test
    void aPlainBackwardPassRecordsNothing() {
        Tensor x = Tensor.vector(0.3, 0.4).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = sin(mul(x, x));
            assertEquals(2, tape.size());
            tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, x);
            assertEquals(2, tape.size(), "the VJPs' own ops were not recorded");
            assertTrue(Tape.isRecording());
        }
    }

    @Test
    void theFirstRequestedIntermediateGetsItsCotangent() {
        Tensor x = Tensor.scalar(0.7).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor s = sin(x);
            Tensor y = mul(s, s);
            Tensor[] g = tape.gradient(y, s, x);
            assertEquals(2 * Math.sin(0.7), g[0].item(), EXACT);
            assertEquals(2 * Math.sin(0.7) * Math.cos(0.7), g[1].item(), EXACT);
        }
    }

    @Test
    void backwardReleasesTheEntriesRecordedAfterTheOutputAndThoseOffItsPath() {
        Tensor x = Tensor.scalar(0.2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor side = cos(x); // before y, not on its path
            Tensor y = sin(x);
            Tensor later = mul(x, x); // after y
            assertEquals(Math.cos(0.2), tape.gradient(y, x)[0].item(), EXACT);
            assertEquals(0, tape.size());
            for (Tensor t : new Tensor[] {side, later}) {
                assertTrue(t.node().isReleased());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(t, x));
                assertTrue(e.getMessage().contains("released by an earlier backward pass"), e.getMessage());
            }
        }
        Tensor v = Tensor.scalar(0.2).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor side = cos(v);
            Tensor y = sin(v);
            Tensor later = mul(v, v);
            tape.gradient(y, v);
            assertEquals(-Math.sin(0.2), tape.gradient(side, v)[0].item(), EXACT);
            assertEquals(0.4, tape.gradient(later, v)[0].item(), EXACT);
        }
    }

    @Test
    void aValueFromAReleasedSegmentIsCaughtEvenWhenItsSlotIsReused() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor a = mul(x, x); // slot 0 of the first segment
            tape.gradient(a, x); // releases it; the tape starts a new segment
            Tensor b = sin(a); // slot 0 of the new segment, with a released input
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(b, x));
            assertTrue(e.getMessage().contains("op 'mul'") && e.getMessage().contains("released"), e.getMessage());
        }
    }

    @Test
    void askingForAReleasedIntermediateThrows() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor a = mul(x, x);
            tape.gradient(a, x);
            Tensor y = sin(x);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x, a));
            assertTrue(e.getMessage().contains("op 'mul'") && e.getMessage().contains("released"), e.getMessage());
        }
    }

    @Test
    void releaseDropsEverythingRecordedSoFar() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            assertEquals(1, tape.size());
            tape.release();
            assertEquals(0, tape.size());
            assertEquals(0, tape.retainedBytes());
            assertTrue(y.node().isReleased());
            assertThrows(IllegalStateException.class,
                    () -> tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, x));
            Tensor z = cos(x);
            assertArrayEquals(new double[] {-Math.sin(1), -Math.sin(2)},
                    tape.gradient(new Tensor[] {z}, new Tensor[] {Tensor.ones(2)}, x)[0].data(), EXACT);
        }
    }

    @Test
    void aVjpMustReturnOneCotangentPerInput() {
        Primitive none = mulWithVjp("nullvjp", (g, n) -> null);
        Primitive one = mulWithVjp("shortvjp", (g, n) -> new Tensor[] {g});
        Tensor a = Tensor.scalar(2).requiresGrad();
        Tensor b = Tensor.scalar(3);
        try (Tape tape = Tape.openRetained()) {
            Tensor y1 = none.apply(a, b);
            Tensor y2 = one.apply(a, b);
            IllegalStateException e1 = assertThrows(IllegalStateException.class, () -> tape.gradient(y1, a));
            assertEquals("nullvjp: vjp returned null for 2 inputs", e1.getMessage());
            IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> tape.gradient(y2, a));
            assertEquals("shortvjp: vjp returned 1 cotangents for 2 inputs", e2.getMessage());
        }
    }

    @Test
    void aVjpCotangentMustHaveItsInputsShape() {
        Primitive wrong = mulWithVjp("badshape", (g, n) -> new Tensor[] {Tensor.zeros(3), null});
        Tensor a = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = wrong.apply(a, Tensor.vector(3, 4));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, a));
            assertEquals("badshape: vjp returned a cotangent of shape [3] for input 0 of shape [2]", e.getMessage());
        }
    }

    @Test
    void aNullCotangentMeansNoGradientFromThatPath() {
        // y = a*b with a VJP that gives a nothing: a's gradient comes from the other path only.
        Primitive onlyB = mulWithVjp("onlyb", (g, n) -> new Tensor[] {null, mul(g, n.input(0))});
        Tensor a = Tensor.scalar(2).requiresGrad();
        Tensor b = Tensor.scalar(3).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = add(onlyB.apply(a, b), sin(a));
            Tensor[] g = tape.gradient(y, a, b);
            assertEquals(Math.cos(2), g[0].item(), EXACT);
            assertEquals(2.0, g[1].item(), EXACT);
        }
    }

    @Test
    void threeContributionsToOneIntermediateAreSummed() {
        Tensor x = Tensor.scalar(0.4).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor s = sin(x);
            // y = s*s + s = s^2 + s: s receives three cotangents (two from mul, one from add).
            Tensor y = add(mul(s, s), s);
            double ds = 2 * Math.sin(0.4) + 1;
            assertEquals(ds, tape.gradient(y, s)[0].item(), EXACT);
        }
        try (Tape tape = Tape.open()) {
            Tensor s = sin(x);
            Tensor y = add(add(s, s), add(s, s));
            assertEquals(4 * Math.cos(0.4), tape.gradient(y, x)[0].item(), EXACT);
        }
    }

    @Test
    void aRecordedBackwardSumsFanOutWithRecordedOps() {
        // y = sin(x)^2 through an intermediate used twice: dy/dx = sin(2x), d2y/dx2 = 2 cos(2x).
        Tensor x = Tensor.scalar(0.3).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor s = sin(x);
            Tensor y = mul(s, s);
            Tensor g = tape.recordedGradient(y, x)[0];
            assertEquals(Math.sin(0.6), g.item(), EXACT);
            assertEquals(2 * Math.cos(0.6), tape.gradient(g, x)[0].item(), 1e-14);
        }
        // The same through a leaf used twice: y = x*x*x, d2y/dx2 = 6x.
        try (Tape tape = Tape.openRetained()) {
            Tensor y = mul(mul(x, x), x);
            Tensor g = tape.recordedGradient(y, x)[0];
            assertEquals(3 * 0.09, g.item(), EXACT);
            assertEquals(6 * 0.3, tape.gradient(g, x)[0].item(), 1e-14);
        }
    }

    @Test
    void gradientsAccumulatedIntoLeavesNeverAliasAVariable() {
        // y = a * b with a VJP that hands out the other input itself (right for a unit seed): the
        // engine must copy it, or an optimiser's update of b would change a's gradient.
        Primitive inner = mulWithVjp("inner", (g, n) -> new Tensor[] {n.input(1), n.input(0)});
        Tensor a = Tensor.vector(1, 2).requiresGrad();
        Tensor b = Tensor.vector(3, 4).requiresGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(inner.apply(a, b), Tensor.ones(2));
        }
        assertArrayEquals(new double[] {3, 4}, a.grad().data(), 0.0);
        assertArrayEquals(new double[] {1, 2}, b.grad().data(), 0.0);
        b.mutableData()[0] = 100;
        a.mutableData()[1] = 100;
        assertArrayEquals(new double[] {3, 4}, a.grad().data(), 0.0);
        assertArrayEquals(new double[] {1, 2}, b.grad().data(), 0.0);
    }

    @Test
    void aSeedHandedToAVariableOutputIsCopied() {
        Tensor w = Tensor.vector(1, 2).requiresGrad();
        Tensor seed = Tensor.vector(0.5, 0.25);
        try (Tape tape = Tape.open()) {
            tape.backward(w, seed);
            tape.backward(w, seed);
        }
        assertArrayEquals(new double[] {1, 0.5}, w.grad().data(), 0.0);
        assertArrayEquals(new double[] {0.5, 0.25}, seed.data(), 0.0);
    }

    @Test
    void aSumMadeByTheEngineBecomesTheLeafGradient() {
        // x gets two cotangents (fan-out): their sum is a fresh buffer; a second backward adds into grad.
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        Tensor c = Tensor.vector(3, 5);
        for (int round = 0; round < 2; round++) {
            try (Tape tape = Tape.open()) {
                tape.backward(add(mul(x, c), mul(x, x)), Tensor.ones(2));
            }
        }
        assertArrayEquals(new double[] {2 * (3 + 2), 2 * (5 + 4)}, x.grad().data(), 0.0);
        assertArrayEquals(new double[] {3, 5}, c.data(), 0.0);
    }

    @Test
    void backwardNamesItselfInItsErrors() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            ShapeException e = assertThrows(ShapeException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().startsWith("backward: output 0 has shape [2]"), e.getMessage());
        }
    }

    @Test
    void aScalarBackwardsIntoItsVariables() {
        Tensor x = Tensor.scalar(0.25).requiresGrad();
        try (Tape tape = Tape.open()) {
            mul(x, x).backward();
        }
        assertEquals(0.5, x.grad().item());
    }

    @Test
    void aGradientTakenInsideAPauseRecordsNothing() {
        Tensor x = Tensor.vector(0.3).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = sin(mul(x, x));
            try (Tape.Scope p = Tape.pause()) {
                assertEquals(2 * 0.3 * Math.cos(0.09), tape.gradient(y, x)[0].item(), EXACT);
            }
            assertEquals(2, tape.size());
        }
    }

    @Test
    void oneCotangentHandedToTwoLeavesIsCopiedForTheSecond() {
        // z = sin(a + b): add's VJP gives the same fresh cotangent to a and b.
        Tensor a = Tensor.vector(0.1, 0.2).requiresGrad();
        Tensor b = Tensor.vector(0.3, 0.4).requiresGrad();
        for (int round = 0; round < 2; round++) {
            try (Tape tape = Tape.open()) {
                tape.backward(sin(add(a, b)), Tensor.ones(2));
            }
        }
        double[] expected = {2 * Math.cos(0.4), 2 * Math.cos(0.6)};
        assertArrayEquals(expected, a.grad().data(), EXACT);
        assertArrayEquals(expected, b.grad().data(), EXACT);
        a.grad().data()[0] = 9; // an optimiser clipping one gradient in place
        assertArrayEquals(expected, b.grad().data(), EXACT);
    }
}
