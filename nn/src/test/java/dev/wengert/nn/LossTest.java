package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossTest {
    private static final long SEED = 3;
    private static final double EXACT = 1e-14;

    private static Tensor probabilities(Random rng, int... shape) {
        return Tensor.uniform(rng, 0.05, 0.95, shape);
    }

    @Test
    void everyLossPassesAllGradientChecks() {
        Random rng = new Random(SEED);
        Tensor z = Tensor.randn(rng, 5, 4);
        int[] labels = {0, 3, 1, 1, 2};
        Tensor soft = Ops.softmax(Tensor.randn(rng, 5, 4));
        Tensor bits = Tensor.uniform(rng, 0, 1, 5, 4);
        Tensor p = probabilities(rng, 5, 4);
        Tensor yhat = Tensor.randn(rng, 5, 4);
        Tensor y = Tensor.randn(rng, 5, 4);
        for (Loss.Reduction r : Loss.Reduction.values()) {
            check("crossEntropy(labels) " + r, GradCheck.of(x -> Loss.crossEntropy(x[0], labels, r), z));
            check("crossEntropy(targets) " + r, GradCheck.of(x -> Loss.crossEntropy(x[0], x[1], r), z, soft));
            check("bceWithLogits " + r, GradCheck.of(x -> Loss.binaryCrossEntropyWithLogits(x[0], x[1], r), z, bits));
            check("bce " + r, GradCheck.of(x -> Loss.binaryCrossEntropy(x[0], x[1], r), p, bits));
            check("squared " + r, GradCheck.of(x -> Loss.squared(x[0], x[1], r), yhat, y));
        }
        Tensor w1 = Tensor.randn(rng, 3, 2);
        Tensor w2 = Tensor.randn(rng, 4);
        check("l2", GradCheck.of(x -> Loss.l2(List.of(x[0], x[1])), w1, w2));
        check("l1", GradCheck.of(x -> Loss.l1(List.of(x[0], x[1])), w1, w2));
    }

    private static void check(String what, GradCheck c) {
        GradCheck.Report r = c.checkAll();
        assertTrue(r.passed(), what + ": " + r);
    }

    @Test
    void crossEntropyIsTheMeanNegativeLogSoftmaxOfTheLabel() {
        Tensor z = Tensor.matrix(new double[][] {{1, 2, 3}, {0, 0, 0}});
        int[] y = {2, 0};
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        double l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, Loss.crossEntropy(z, y).item(), EXACT);
        assertEquals(l0 + l1, Loss.crossEntropy(z, y, Loss.Reduction.SUM).item(), EXACT);
        Tensor oneHot = Tensor.matrix(new double[][] {{0, 0, 1}, {1, 0, 0}});
        assertEquals((l0 + l1) / 2, Loss.crossEntropy(z, oneHot).item(), EXACT);
        assertArrayEquals(new double[] {l0, l1}, Loss.crossEntropy(z, y, Loss.Reduction.NONE).data(), EXACT);
    }

    @Test
    void binaryCrossEntropyFromLogitsIsStableAndAgreesWithTheProbabilityForm() {
        Tensor z = Tensor.vector(-1000, -3, 0, 2.5, 1000);
        Tensor y = Tensor.vector(1, 0, 1, 1, 0);
        Tensor perExample = Loss.binaryCrossEntropyWithLogits(z, y, Loss.Reduction.NONE);
        assertEquals(1000, perExample.data()[0], 0);
        assertEquals(Math.log1p(Math.exp(-3)), perExample.data()[1], EXACT);
        assertEquals(Math.log(2), perExample.data()[2], EXACT);
        assertEquals(1000, perExample.data()[4], 0);
        // Gradient σ(z) - y, exact even at ±1000.
        Tensor zv = z.copy().requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor g = tape.gradient(Loss.binaryCrossEntropyWithLogits(zv, y, Loss.Reduction.SUM), zv)[0];
            assertArrayEquals(new double[] {-1, 1 / (1 + Math.exp(3)), -0.5, 1 / (1 + Math.exp(-2.5)) - 1, 1}, g.data(), EXACT);
        }
        Tensor zm = Tensor.vector(-3, 0, 2.5);
        Tensor ym = Tensor.vector(0.2, 1, 0);
        assertEquals(Loss.binaryCrossEntropyWithLogits(zm, ym).item(), Loss.binaryCrossEntropy(Ops.sigmoid(zm), ym).item(),
                1e-14);
        // The probability form is clamped: a saturated unit gives a large finite loss.
        assertEquals(-Math.log(Loss.CLAMP), Loss.binaryCrossEntropy(Tensor.vector(0.0), Tensor.vector(1.0)).item(), 1e-9);
    }

    @Test
    void squaredLossSumsOverOutputsAndSumsOrAveragesOverExamples() {
        Tensor yhat = Tensor.matrix(new double[][] {{1, 2}, {0, -1}, {3, 3}});
        Tensor y = Tensor.matrix(new double[][] {{0, 2}, {1, 1}, {3, 0}});
        double sum = 1 + 0 + 1 + 4 + 0 + 9;
        assertEquals(sum, Loss.squared(yhat, y).item(), 0);
        assertEquals(sum / 3, Loss.meanSquared(yhat, y).item(), EXACT);
        assertArrayEquals(new double[] {1, 5, 9}, Loss.squared(yhat, y, Loss.Reduction.NONE).data(), 0);
        Tensor v = yhat.copy().requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor g = tape.gradient(Loss.squared(v, y), v)[0];
            assertArrayEquals(Ops.mul(Ops.sub(yhat, y), 2.0).data(), g.data(), 0, "∂L/∂ŷ = 2(ŷ − y)");
        }
    }

    @Test
    void penaltiesAreSumsOfAbsoluteValuesAndSquares() {
        Tensor a = Tensor.vector(1, -2);
        Tensor b = Tensor.matrix(new double[][] {{0.5, -0.5}});
        assertEquals(4, Loss.l1(List.of(a, b)).item(), 0);
        assertEquals(5.5, Loss.l2(List.of(a, b)).item(), 0);
        assertEquals(0, Loss.l2(List.of()).item(), 0);
    }

    /** Lecture 002, eq 30 and 3.1.1: at z = −5 with y = 1 the squared loss's gradient vanishes, cross-entropy's does not. */
    @Test
    void saturationGradientsAreTheNotesClosedForms() {
        double sigma = 1 / (1 + Math.exp(5));
        Tensor z = Tensor.scalar(-5).requiresGrad();
        Tensor y = Tensor.scalar(1);
        try (Tape tape = Tape.open()) {
            double sq = tape.gradient(Loss.squared(Ops.sigmoid(z), y), z)[0].item();
            assertEquals(2 * (sigma - 1) * sigma * (1 - sigma), sq, 1e-16);
        }
        try (Tape tape = Tape.open()) {
            double ce = tape.gradient(Loss.binaryCrossEntropyWithLogits(z, y), z)[0].item();
            assertEquals(sigma - 1, ce, 1e-16);
        }
    }

    @Test
    void shapeMismatchesNameTheLossAndShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> Loss.squared(Tensor.zeros(3, 2), Tensor.zeros(3, 4)));
        assertTrue(e.getMessage().startsWith("squared") && e.getMessage().contains("[3,4]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Loss.crossEntropy(Tensor.zeros(3, 2), new int[] {0, 1}));
    }
}
