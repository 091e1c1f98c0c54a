package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationTest {
    private static final long SEED = 11;
    private static final double EXACT = 1e-15;

    /** Values away from ReLU's kink at 0 by more than the finite-difference stencil. */
    private static Tensor awayFromZero(Random rng, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        double[] d = t.mutableData();
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i]) < 0.05) d[i] = d[i] < 0 ? -0.5 : 0.5;
        return t;
    }

    @Test
    void everyActivationPassesAllGradientChecks() {
        Random rng = new Random(SEED);
        Tensor x = awayFromZero(rng, 4, 5);
        for (Activation a : new Activation[] {Activation.identity(), Activation.sigmoid(), Activation.tanh(),
                Activation.relu(), Activation.softmax(), Activation.softmax(2.5), Activation.softmax(0.3)}) {
            GradCheck.Report r = GradCheck.of(xs -> a.forward(xs[0]), x).checkAll();
            assertTrue(r.passed(), a + ": " + r);
            assertTrue(r.checked() > 0, a + ": nothing compared");
        }
    }

    @Test
    void valuesAreTheDefinitions() {
        Tensor z = Tensor.vector(-2, 0, 3);
        assertArrayEquals(new double[] {-2, 0, 3}, Activation.identity().forward(z).data(), 0);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))},
                Activation.sigmoid().forward(z).data(), EXACT);
        assertArrayEquals(new double[] {Math.tanh(-2), 0, Math.tanh(3)}, Activation.tanh().forward(z).data(), EXACT);
        assertArrayEquals(new double[] {0, 0, 3}, Activation.relu().forward(z).data(), 0);
    }

    /** Sheet 004, 1(a) and 1(d): f(u) = (15, 0) at x = (3, 14); β = 1 and β = 3. */
    @Test
    void inverseTemperatureSharpensTheSoftmaxAsInSheet004() {
        Tensor u = Tensor.matrix(new double[][] {{15, 0}});
        double o2 = Activation.softmax().forward(u).get(0, 1);
        assertEquals(Math.exp(-15) / (1 + Math.exp(-15)), o2, 1e-20);
        double o2beta3 = Activation.softmax(3).forward(u).get(0, 1);
        assertEquals(Math.exp(-45) / (1 + Math.exp(-45)), o2beta3, 1e-33);
        // β → 0: uniform; β large: the one-hot argmax.
        assertArrayEquals(new double[] {0.5, 0.5}, Activation.softmax(1e-12).forward(u).data(), 1e-10);
        assertArrayEquals(new double[] {1, 0}, Activation.softmax(1e3).forward(u).data(), 0);
    }

    @Test
    void softmaxWithBetaIsSoftmaxOfBetaTimesZ() {
        Tensor z = Tensor.randn(new Random(SEED), 3, 4);
        assertArrayEquals(Ops.softmax(Ops.mul(z, 1.7)).data(), Activation.softmax(1.7).forward(z).data(), 0);
    }

    @Test
    void badBetaAndNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Activation.softmax(0));
        assertThrows(IllegalArgumentException.class, () -> Activation.softmax(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.named("swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
        assertSame(Activation.tanh(), Activation.named("tanh"));
    }
}
