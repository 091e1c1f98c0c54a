package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Gradients of the layers against finite differences: with respect to inputs (GradCheck) and parameters. */
class LayerGradientTest {
    private static final long SEED = 5;
    private static final double TOL = 1e-6;

    @Test
    void linearInputGradientPassesAllChecks() {
        Random rng = new Random(SEED);
        Linear l = new Linear(4, 3, rng);
        Tensor x = Tensor.randn(rng, 5, 4);
        GradCheck.of(xs -> l.forward(xs[0]), x).checkAll().assertPassed();
    }

    @Test
    void linearParameterGradientsMatchFiniteDifferences() {
        Random rng = new Random(SEED);
        Linear l = new Linear(4, 3, rng);
        Tensor x = Tensor.randn(rng, 5, 4);
        Tensor u = Tensor.randn(rng, 5, 3);
        Supplier<Tensor> loss = () -> Ops.sum(Ops.mul(u, Ops.tanh(l.forward(x))));
        assertTrue(FiniteDifferences.worstRelativeError(loss, l.parameters()) < TOL);
    }

    @Test
    void mlpParametersOfEveryLayerMatchFiniteDifferences() {
        Random rng = new Random(SEED);
        Sequential net = Mlp.builder(3).hidden(4, Activation.sigmoid()).hidden(4, Activation.tanh()).output(2).build(rng);
        Tensor x = Tensor.randn(rng, 6, 3);
        int[] y = {0, 1, 1, 0, 1, 0};
        Supplier<Tensor> loss = () -> Loss.crossEntropy(net.forward(x), y);
        assertTrue(FiniteDifferences.worstRelativeError(loss, net.parameters()) < TOL);
    }

    // ---------------------------------------------------------------- batch norm

    @Test
    void batchNormInTrainingModePassesAllChecksWithRespectToItsInput() {
        Random rng = new Random(SEED);
        BatchNorm bn = new BatchNorm(3);
        bn.gamma().assign(Tensor.vector(1.5, -0.7, 0.9));
        bn.beta().assign(Tensor.vector(0.1, 0.2, -0.3));
        Tensor h = Tensor.randn(rng, 6, 3);
        GradCheck.Report r = GradCheck.of(xs -> bn.forward(xs[0]), h).checkAll();
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void batchNormParameterGradientsMatchFiniteDifferences() {
        Random rng = new Random(SEED);
        BatchNorm bn = new BatchNorm(4);
        Tensor h = Tensor.randn(rng, 5, 4);
        Tensor u = Tensor.randn(rng, 5, 4);
        Supplier<Tensor> loss = () -> Ops.sum(Ops.mul(u, Ops.sigmoid(bn.forward(h))));
        assertTrue(FiniteDifferences.worstRelativeError(loss, bn.parameters()) < TOL);
    }

    /**
     * Sheet 001, eqs 36–39: ∂L/∂h = g γ ((σ²+ε)^{-1/2} − (1/N)(h−μ)²(σ²+ε)^{-3/2}), which drops the paths
     * through the batch mean and the cross-example paths through the variance. Finite differences reject
     * it; the layer's gradient (the full derivation in BatchNorm's Javadoc) agrees with them.
     */
    @Test
    void sheet001BatchNormBackwardDisagreesWithFiniteDifferences() {
        Random rng = new Random(SEED);
        int n = 6;
        int f = 3;
        double eps = 1e-5;
        BatchNorm bn = new BatchNorm(f, eps, 0.1);
        bn.gamma().assign(Tensor.vector(1.5, -0.7, 0.9));
        Tensor h = Tensor.randn(rng, n, f).requiresGrad();
        Tensor g = Tensor.randn(rng, n, f); // ∂L/∂y for L = Σ g ⊙ y
        Supplier<Tensor> loss = () -> Ops.sum(Ops.mul(g, bn.forward(h)));
        double[] numeric = FiniteDifferences.gradient(loss, h);
        double[] ours = FiniteDifferences.backward(loss, java.util.List.of(h))[0];

        double[] hd = h.data();
        double[] sheet = new double[n * f];
        double[] ref = new double[n * f]; // the full formula, written out independently of the layer
        for (int l = 0; l < f; l++) {
            double mu = 0;
            for (int k = 0; k < n; k++) mu += hd[k * f + l] / n;
            double var = 0;
            for (int k = 0; k < n; k++) var += (hd[k * f + l] - mu) * (hd[k * f + l] - mu) / n;
            double s = Math.sqrt(var + eps);
            double gamma = bn.gamma().data()[l];
            double meanG = 0;
            double meanGh = 0;
            for (int k = 0; k < n; k++) {
                double hHat = (hd[k * f + l] - mu) / s;
                meanG += g.data()[k * f + l] / n;
                meanGh += g.data()[k * f + l] * hHat / n;
            }
            for (int k = 0; k < n; k++) {
                int i = k * f + l;
                double c = hd[i] - mu;
                sheet[i] = g.data()[i] * gamma * (1 / s - c * c / n / (s * s * s));
                ref[i] = gamma / s * (g.data()[i] - meanG - c / s * meanGh);
            }
        }
        double worstOurs = 0;
        double worstRef = 0;
        double worstSheet = 0;
        for (int i = 0; i < numeric.length; i++) {
            worstOurs = Math.max(worstOurs, GradCheck.relativeError(ours[i], numeric[i]));
            worstRef = Math.max(worstRef, GradCheck.relativeError(ref[i], numeric[i]));
            worstSheet = Math.max(worstSheet, GradCheck.relativeError(sheet[i], numeric[i]));
        }
        assertTrue(worstOurs < TOL, "the layer's gradient: " + worstOurs);
        assertTrue(worstRef < TOL, "the full formula: " + worstRef);
        assertTrue(worstSheet > 0.1, "sheet 001's eqs 36-39 should be far off, max relative error " + worstSheet);
    }

    @Test
    void batchNormNormalisesInTrainingAndUsesRunningStatisticsInEvaluation() {
        Random rng = new Random(SEED);
        BatchNorm bn = new BatchNorm(2, 1e-5, 0.5);
        Tensor h = Ops.add(Ops.mul(Tensor.randn(rng, 50, 2), 3.0), 7.0);
        Tensor y = bn.forward(h);
        Tensor mean = Ops.mean(y, 0);
        Tensor var = Ops.mean(Ops.square(Ops.sub(y, mean)), 0);
        for (int l = 0; l < 2; l++) {
            assertEquals(0, mean.data()[l], 1e-12);
            assertEquals(1, var.data()[l], 1e-5);
        }
        // Running statistics after one step with momentum 0.5: halfway from (0, 1) to the batch's.
        Tensor mu = Ops.mean(h, 0);
        Tensor unbiased = Ops.div(Ops.sum(Ops.square(Ops.sub(h, mu)), 0), 49.0);
        for (int l = 0; l < 2; l++) {
            assertEquals(0.5 * mu.data()[l], bn.runningMean().data()[l], 1e-12);
            assertEquals(0.5 + 0.5 * unbiased.data()[l], bn.runningVar().data()[l], 1e-12);
        }
        bn.eval();
        Tensor one = Tensor.matrix(new double[][] {{1.0, 2.0}});
        Tensor out = bn.forward(one);
        for (int l = 0; l < 2; l++) {
            double expect = (one.data()[l] - bn.runningMean().data()[l]) / Math.sqrt(bn.runningVar().data()[l] + 1e-5);
            assertEquals(expect, out.data()[l], 1e-12);
        }
        // Evaluation mode is a fixed affine map: its input gradient passes the checks too.
        GradCheck.of(xs -> bn.forward(xs[0]), Tensor.randn(rng, 3, 2)).checkAll().assertPassed();
        assertTrue(bn.state().containsKey("running_mean") && bn.state().containsKey("running_var"));
    }

    @Test
    void batchNormRejectsWrongShapesAndSingleExamplesInTraining() {
        BatchNorm bn = new BatchNorm(3);
        ShapeException e = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().startsWith("batchNorm") && e.getMessage().contains("[4,2]"), e.getMessage());
        assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(1, 3)));
    }

    // ---------------------------------------------------------------- dropout

    @Test
    void dropoutWithAFixedMaskPassesAllChecks() {
        Random rng = new Random(SEED);
        Dropout d = new Dropout(0.5, rng);
        Tensor x = Tensor.randn(rng, 4, 6);
        Tensor mask = d.sampleMask(4, 6);
        GradCheck.Report r = GradCheck.of(xs -> Ops.tanh(d.forward(xs[0], mask)), x).checkAll();
        assertTrue(r.passed(), r.toString());
        // And the gradient is exactly mask ⊙ g.
        Tensor xv = x.copy().requiresGrad();
        try (dev.wengert.core.Tape tape = dev.wengert.core.Tape.open()) {
            Tensor gx = tape.gradient(Ops.sum(d.forward(xv, mask)), xv)[0];
            org.junit.jupiter.api.Assertions.assertArrayEquals(mask.data(), gx.data(), 0);
        }
    }

    @Test
    void dropoutIsInvertedSeededAndTheIdentityInEvaluation() {
        double p = 0.3;
        Dropout a = new Dropout(p, 99L);
        Dropout b = new Dropout(p, 99L);
        Tensor x = Tensor.ones(200, 100);
        Tensor ya = a.forward(x);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ya.data(), b.forward(x).data(), 0, "same seed, same mask");
        int zeros = 0;
        double sum = 0;
        for (double v : ya.data()) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-15);
            sum += v;
        }
        int n = x.size();
        // 20,000 draws: the dropped fraction within 4 standard deviations of p, the mean within the same of 1.
        double sd = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, (double) zeros / n, 4 * sd);
        assertEquals(1.0, sum / n, 4 * sd / (1 - p));
        a.eval();
        org.junit.jupiter.api.Assertions.assertSame(x, a.forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, 1L));
    }
}
