package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.add;
import static dev.wengert.core.testing.TestOps.cos;
import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;

import dev.wengert.core.testing.TestOps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reverse mode: the tape, accumulation, subsets, seeds, release, scopes, detach, in-place updates. */
class TapeTest {
    private static final double EXACT = 1e-14;

    @Test
    void aHundredThousandStepChainBackpropagatesWithoutRecursion() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        Tensor factor = Tensor.scalar(1.00001);
        int steps = 100_000;
        try (Tape tape = Tape.open()) {
            Tensor y = x;
            for (int i = 0; i < steps; i++) y = mul(y, factor);
            assertEquals(steps, tape.size());
            double dydx = tape.gradient(y, x)[0].item();
            assertEquals(Math.pow(1.00001, steps), dydx, 1e-9 * dydx);
        }
    }

    @Test
    void gradientsAccumulateOverFanOut() {
        Tensor x = Tensor.vector(1.5, -2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            // y = x*x + x*x*x: the node x is used four times; dy/dx = 2x + 3x^2
            Tensor sq = mul(x, x);
            Tensor y = add(sq, mul(sq, x));
            Tensor g = tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, x)[0];
            assertArrayEquals(new double[] {2 * 1.5 + 3 * 2.25, 2 * -2.0 + 3 * 4.0}, g.data(), EXACT);
        }
    }

    @Test
    void gradientsWithRespectToAnySubsetIncludingIntermediatesAndUnusedVariables() {
        Tensor a = Tensor.scalar(2.0).requiresGrad();
        Tensor b = Tensor.scalar(3.0).requiresGrad();
        Tensor unused = Tensor.vector(1, 2, 3).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor ab = mul(a, b);
            Tensor y = mul(ab, ab); // (ab)^2
            Tensor[] g = tape.gradient(y, b, ab, unused);
            assertEquals(2 * 6.0 * 2.0, g[0].item(), EXACT); // 2 ab * a
            assertEquals(2 * 6.0, g[1].item(), EXACT); // dy/d(ab)
            assertArrayEquals(new double[3], g[2].data(), 0.0);
            assertArrayEquals(new int[] {3}, g[2].shape());
        }
    }

    @Test
    void severalOutputsWithSeeds() {
        Tensor x = Tensor.vector(0.3, 0.7).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y1 = sin(x);
            Tensor y2 = mul(x, x);
            Tensor u1 = Tensor.vector(1, 2);
            Tensor u2 = Tensor.vector(-1, 0.5);
            Tensor g = tape.gradient(new Tensor[] {y1, y2}, new Tensor[] {u1, u2}, x)[0];
            assertEquals(1 * Math.cos(0.3) - 1 * 2 * 0.3, g.data()[0], EXACT);
            assertEquals(2 * Math.cos(0.7) + 0.5 * 2 * 0.7, g.data()[1], EXACT);
        }
    }

    @Test
    void nonScalarOutputNeedsASeedOfItsShape() {
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = sin(x);
            ShapeException missing = assertThrows(ShapeException.class, () -> tape.gradient(y, x));
            assertTrue(missing.getMessage().contains("output 0 has shape [2]"), missing.getMessage());
            assertTrue(missing.getMessage().contains("needs a seed"), missing.getMessage());
            ShapeException wrong = assertThrows(ShapeException.class,
                    () -> tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(3)}, x));
            assertTrue(wrong.getMessage().contains("seed of shape [3] does not match output 0 of shape [2]"),
                    wrong.getMessage());
        }
    }

    @Test
    void aSecondBackwardOverAReleasedTapeThrows() {
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = sin(x);
            tape.gradient(y, x);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));
            assertTrue(e.getMessage().contains("released by an earlier backward"), e.getMessage());
            assertTrue(e.getMessage().contains("'sin'"), e.getMessage());
            // The tape records afresh afterwards: a new graph differentiates fine.
            Tensor z = cos(x);
            assertEquals(-Math.sin(1.0), tape.gradient(z, x)[0].item(), EXACT);
        }
    }

    @Test
    void aRetainedTapeDifferentiatesTwice() {
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = sin(x);
            assertEquals(Math.cos(1.0), tape.gradient(y, x)[0].item(), EXACT);
            assertEquals(Math.cos(1.0), tape.gradient(y, x)[0].item(), EXACT);
        }
    }

    @Test
    void backwardAccumulatesIntoGradUntilZeroed() {
        Tensor x = Tensor.vector(0.1, 0.2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, x);
            y.backward(Tensor.ones(2));
            Tensor z = sin(x);
            tape.backward(z, Tensor.ones(2));
        }
        assertArrayEquals(new double[] {0.2 + Math.cos(0.1), 0.4 + Math.cos(0.2)}, x.grad().data(), EXACT);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void accumulatedGradientsNeverAliasEachOtherOrTheSeed() {
        // y = a + b: the VJP hands the same cotangent object to both inputs.
        Tensor a = Tensor.vector(1, 2).requiresGrad();
        Tensor b = Tensor.vector(3, 4).requiresGrad();
        Tensor seed = Tensor.vector(1, 1);
        for (int round = 1; round <= 2; round++) {
            try (Tape tape = Tape.open()) {
                tape.backward(TestOps.add(a, b), seed);
            }
        }
        assertArrayEquals(new double[] {2, 2}, a.grad().data(), 0.0);
        assertArrayEquals(new double[] {2, 2}, b.grad().data(), 0.0);
        assertArrayEquals(new double[] {1, 1}, seed.data(), 0.0);
        assertTrue(a.grad() != b.grad() && a.grad() != seed && b.grad() != seed);
    }

    @Test
    void backwardOfAnUnrecordedTensorExplainsHowToRecord() {
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        Tensor y = sin(x); // no tape open
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("Tape.open()"), e.getMessage());
    }

    @Test
    void pausedScopesRecordNothing() {
        Tensor x = Tensor.scalar(1.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y;
            try (Tape.Scope p = Tape.pause()) {
                assertTrue(!Tape.isRecording());
                y = sin(x);
            }
            assertEquals(0, tape.size());
            assertTrue(Tape.isRecording());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, x));
            assertTrue(e.getMessage().contains("was not recorded on this tape"), e.getMessage());
        }
    }

    @Test
    void aTapeOpenedInsideAPauseRecordsAndAPauseInsideItStopsIt() {
        Tensor x = Tensor.scalar(0.4).requiresGrad();
        try (Tape outer = Tape.open(); Tape.Scope p = Tape.pause()) {
            // A function that computes gradients of its own, called where nothing is recorded.
            try (Tape inner = Tape.open()) {
                assertTrue(Tape.isRecording());
                Tensor y = sin(x);
                assertEquals(Math.cos(0.4), inner.gradient(y, x)[0].item(), EXACT);
                try (Tape.Scope q = Tape.pause()) {
                    assertTrue(!Tape.isRecording());
                }
                assertTrue(Tape.isRecording());
            }
            assertTrue(!Tape.isRecording());
            assertEquals(0, outer.size());
        }
    }

    @Test
    void detachCutsTheGradient() {
        Tensor x = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor h = mul(x, x);
            Tensor y = mul(h.detach(), x); // d/dx = h = 4 (h treated as a constant)
            assertEquals(4.0, tape.gradient(y, x)[0].item(), EXACT);
        }
    }

    @Test
    void askingForTheGradientOfAnUntrackedInputIsAnError() {
        Tensor x = Tensor.scalar(2.0).requiresGrad();
        Tensor c = Tensor.scalar(3.0).named("c");
        try (Tape tape = Tape.open()) {
            Tensor y = mul(x, c);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, x, c));
            assertTrue(e.getMessage().contains("input 1 (tensor 'c' of shape [])"), e.getMessage());
            assertTrue(e.getMessage().contains("requiresGrad()"), e.getMessage());
        }
    }

    @Test
    void anInPlaceUpdateAfterRecordingIsCaughtAtBackward() {
        Tensor w = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(w, w);
            w.mutableData()[0] = 5.0; // an optimiser step too early
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, w));
            assertTrue(e.getMessage().contains("in-place update of its input 0"), e.getMessage());
        }
    }

    @Test
    void onlyLeavesCanBeUpdatedInPlace() {
        Tensor w = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(w, w);
            IllegalStateException e = assertThrows(IllegalStateException.class, y::mutableData);
            assertTrue(e.getMessage().contains("'mul'"), e.getMessage());
        }
    }

    @Test
    void aGradientPathIntoAnotherTapeIsAnError() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        Tensor h;
        try (Tape first = Tape.open()) {
            h = sin(x);
        }
        try (Tape second = Tape.open()) {
            Tensor y = mul(h, x); // x is tracked here, h belongs to the first tape
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.gradient(y, x));
            assertTrue(e.getMessage().contains("another tape"), e.getMessage());
            assertTrue(e.getMessage().contains("detach()"), e.getMessage());
        }
    }

    @Test
    void nestedTapesRecordOnTheInnermost() {
        Tensor x = Tensor.scalar(0.5).requiresGrad();
        try (Tape outer = Tape.open()) {
            try (Tape inner = Tape.open()) {
                Tensor y = sin(x);
                assertEquals(1, inner.size());
                assertEquals(0, outer.size());
                assertEquals(Math.cos(0.5), inner.gradient(y, x)[0].item(), EXACT);
            }
            assertTrue(Tape.current() == outer);
        }
    }

    @Test
    void tapesCloseInnermostFirst() {
        Tape outer = Tape.open();
        Tape inner = Tape.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("innermost first"), e.getMessage());
        inner.close();
        outer.close();
        assertNull(Tape.current());
    }

    @Test
    void arityAndNullInputsAreCheckedForEveryOp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.wengert.core.testing.TestOps.ADD.apply(Tensor.scalar(1)));
        assertEquals("add: expects 2 inputs, got 1", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> dev.wengert.core.testing.TestOps.SIN.apply((Tensor) null));
        assertEquals("sin: input 0 is null", n.getMessage());
    }
}
