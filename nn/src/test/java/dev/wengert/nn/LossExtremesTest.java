package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import org.junit.jupiter.api.Test;

/**
 * The losses built on the softmax family at the extremes. Exact values are from 40-digit arithmetic
 * (commons-math3 Dfp): {@code softplus(-20) = log(1 + e^-20) = 2.0611536203143807e-9},
 * {@code σ(-20) = e^-20 / (1 + e^-20) = 2.0611536181902037e-9}, and both {@code softplus(-40)} and
 * {@code σ(-40)} round to {@code 4.248354255291589e-18} (they differ from {@code e^-40} by about e^-80).
 */
class LossExtremesTest {
    private static final double SOFTPLUS_M20 = 2.061153620314381e-9;
    private static final double SIGMA_M20 = 2.0611536181902037e-9;
    private static final double SOFTPLUS_M40 = 4.248354255291589e-18;
    private static final double SIGMA_M40 = 4.248354255291589e-18;
    private static final double LN2 = 0.6931471805599453;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Within two ulps of the exact value (exactly, for zeros and infinities). */
    private static void near(double expected, double actual, String what) {
        assertEquals(expected, actual, 2 * Math.ulp(expected), what);
    }

    @Test
    void softplusIsLogOnePlusExpAtEveryMagnitude() {
        double[] z = {-40, -20, 0, 1e16, 1e308, -1e308, INF, -INF};
        double[] value = {SOFTPLUS_M40, SOFTPLUS_M20, LN2, 1e16, 1e308, 0, INF, 0};
        // d/dz log(1 + e^z) = σ(z); σ(+∞) = 1, σ(-∞) = 0.
        double[] slope = {SIGMA_M40, SIGMA_M20, 0.5, 1, 1, 0, 1, 0};
        Tensor x = Tensor.vector(z).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = Loss.softplus(x);
            double[] g = tape.gradient(Ops.sum(y), x)[0].data();
            for (int i = 0; i < z.length; i++) {
                near(value[i], y.data()[i], "softplus(" + z[i] + ")");
                near(slope[i], g[i], "softplus'(" + z[i] + ")");
            }
        }
    }

    /**
     * {@code ℓ = y softplus(-z) + (1 - y) softplus(z)}, {@code ∂ℓ/∂z = σ(z) - y}. The old form
     * {@code softplus(z) - y z} cancelled: at z = 20, y = 1 it lost all but six digits, at z = 40 everything,
     * and at z = ±∞ it gave ∞ - ∞.
     */
    @Test
    void binaryCrossEntropyWithLogitsDoesNotCancel() {
        double[] z = {20, 40, -20, 1e16, 1e16, -1e308, 1e308, INF, -INF, INF};
        double[] y = {1, 1, 0, 0.5, 1, 0, 1, 1, 0, 0};
        double[] loss = {SOFTPLUS_M20, SOFTPLUS_M40, SOFTPLUS_M20, 0.5e16, 0, 0, 0, 0, 0, INF};
        double[] slope = {-SIGMA_M20, -SIGMA_M40, SIGMA_M20, 0.5, 0, 0, 0, 0, 0, 1};
        for (int i = 0; i < z.length; i++) {
            Tensor zi = Tensor.scalar(z[i]).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor l = Loss.binaryCrossEntropyWithLogits(zi, Tensor.scalar(y[i]));
                String at = "z = " + z[i] + ", y = " + y[i];
                near(loss[i], l.item(), "loss at " + at);
                near(slope[i], tape.gradient(l, zi)[0].item(), "∂ℓ/∂z at " + at);
            }
        }
    }

    /** The targets' gradient {@code ∂ℓ/∂y = softplus(-z) - softplus(z) = -z}. */
    @Test
    void binaryCrossEntropyWithLogitsTargetGradientIsMinusTheLogit() {
        double[] z = {-3, 0.5, 20, 1e16};
        for (double v : z) {
            Tensor y = Tensor.scalar(0.25).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor l = Loss.binaryCrossEntropyWithLogits(Tensor.scalar(v), y);
                near(-v, tape.gradient(l, y)[0].item(), "∂ℓ/∂y at z = " + v);
            }
        }
    }

    /** Cross-entropy against labels and targets goes through the fused op: ln 2 at equal huge logits. */
    @Test
    void crossEntropyAtEqualHugeLogitsIsLnTwo() {
        for (double big : new double[] {1e16, 1e308, -1e308}) {
            Tensor z = Tensor.matrix(new double[][] {{big, big}});
            near(LN2, Loss.crossEntropy(z, 0).item(), "labels at " + big);
            near(LN2, Loss.crossEntropy(z, Tensor.matrix(new double[][] {{0.5, 0.5}})).item(), "targets at " + big);
        }
    }

}
