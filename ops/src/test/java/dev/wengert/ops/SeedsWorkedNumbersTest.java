package dev.wengert.ops;

import static dev.wengert.ops.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The worked numbers of the lecture notes and problem sheets in ../shared/seeds, reproduced; and the
 * two derivations the seeds index marks as wrong, shown wrong.
 */
class SeedsWorkedNumbersTest {
    private static final double EXACT = 1e-12;

    /**
     * Sheet 000, eqs 1.1–1.11: multiclass logistic regression z = W x + b, a = softmax(z),
     * ℓ = −log a_y. Then ∂ℓ/∂z = a − onehot(y), ∂ℓ/∂W = (∂ℓ/∂z) xᵀ, ∂ℓ/∂b = ∂ℓ/∂z; both through the fused
     * cross-entropy and through the composition −log(softmax(z))[y].
     */
    @Test
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHot() {
        double[][] w = {{0.2, -0.5, 1.0}, {0.7, 0.1, -0.3}, {-1.2, 0.4, 0.05}, {0.0, 0.9, 0.6}};
        double[] x = {1.5, -0.5, 2.0};
        double[] b = {0.1, -0.2, 0.3, 0.0};
        int y = 2;
        double[] z = new double[4];
        for (int i = 0; i < 4; i++) {
            z[i] = b[i];
            for (int j = 0; j < 3; j++) z[i] += w[i][j] * x[j];
        }
        double max = java.util.Arrays.stream(z).max().getAsDouble();
        double norm = 0;
        for (double zi : z) norm += Math.exp(zi - max);
        double[] dz = new double[4];
        for (int i = 0; i < 4; i++) dz[i] = Math.exp(z[i] - max) / norm - (i == y ? 1 : 0);

        for (boolean fused : new boolean[] {true, false}) {
            Tensor wt = Tensor.matrix(w).requiresGrad();
            Tensor bt = Tensor.vector(b).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor logits = add(matmul(wt, Tensor.vector(x)), bt);
                Tensor loss = fused ? softmaxCrossEntropy(logits, y) : neg(gather(log(softmax(logits)), 0, y));
                Tensor[] g = tape.gradient(sum(loss), wt, bt, logits);
                assertArrayEquals(dz, g[2].data(), EXACT, "∂ℓ/∂z = a − onehot(y) (eq 1.9)");
                assertArrayEquals(dz, g[1].data(), EXACT, "∂ℓ/∂b = ∂ℓ/∂z (eq 1.11)");
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(dz[i] * x[j], g[0].get(i, j), EXACT, "∂ℓ/∂W = (x ∂ℓ/∂z)ᵀ (eq 1.10)");
                    }
                }
            }
        }
    }

    /** Sheet 004, 1(a): the 2-4-2 ReLU network with softmax output at x = (3, 14). */
    @Test
    void reluNetworkOutputAtThreeFourteen() {
        Tensor x = Tensor.vector(3, 14);
        Tensor w = Tensor.matrix(new double[][] {{1, 0}, {0, 1}, {-1, 0}, {0, -1}}); // rows: W_1j, W_2j
        Tensor w0 = Tensor.vector(-1, -1, -1, -1);
        Tensor v = Tensor.matrix(new double[][] {{1, 1, 1, 1}, {-1, -1, -1, -1}});
        Tensor v0 = Tensor.vector(0, 2);
        Tensor hidden = relu(add(matmul(w, x), w0)); // f(z) = (2, 13, 0, 0)
        assertArrayEquals(new double[] {2, 13, 0, 0}, hidden.data(), 0.0);
        Tensor u = relu(add(matmul(v, hidden), v0)); // f(u) = (15, 0)
        assertArrayEquals(new double[] {15, 0}, u.data(), 0.0);
        Tensor o = softmax(u);
        assertEquals(0.999999694097773, o.data()[0], EXACT);
        assertEquals(3.059022269256247e-07, o.data()[1], 1e-19);
        // 1(d): inverse temperature β = 3 sharpens it: o_2 = e^{-45} / (1 + e^{-45}).
        Tensor o3 = softmax(mul(3.0, u));
        assertEquals(Math.exp(-45) / (1 + Math.exp(-45)), o3.data()[1], 1e-30);
    }

    /**
     * Sheet 004, 3(d): z₁ = w₁x, a₁ = ReLU(z₁), z₂ = w₂a₁ + b, y = σ(z₂), C = ½(y − t)² with t = 1, x = 3,
     * w₁ = 0.01, w₂ = −5, b = −1: ∂C/∂w₂ = (y − t) y(1 − y) a₁ and ∂C/∂w₁ = (y − t) y(1 − y) w₂ x.
     */
    @Test
    void reluSigmoidChainDerivatives() {
        Tensor w1 = Tensor.scalar(0.01).requiresGrad();
        Tensor w2 = Tensor.scalar(-5).requiresGrad();
        Tensor b = Tensor.scalar(-1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor a1 = relu(mul(w1, 3.0));
            Tensor yv = sigmoid(add(mul(w2, a1), b));
            Tensor c = mul(0.5, square(sub(yv, 1.0)));
            Tensor[] g = tape.gradient(c, w1, w2, b);
            assertEquals(0.24048908305088898, yv.item(), EXACT);
            assertEquals(-0.00416183312434091, g[1].item(), EXACT);
            assertEquals(2.0809165621704553, g[0].item(), EXACT);
            double yy = yv.item();
            assertEquals((yy - 1) * yy * (1 - yy), g[2].item(), EXACT);
        }
    }

    /** Sheet 000, 4.2: h(x) = max(0, x − 3) − max(0, x − 4) gives h(3) = 0 and h(4) = 1. */
    @Test
    void twoReluNetworkValues() {
        Tensor w2 = Tensor.of(new double[] {1, 1}, 2, 1);
        Tensor b2 = Tensor.vector(-3, -4);
        Tensor w3 = Tensor.of(new double[] {1, -1}, 1, 2);
        for (double[] xy : new double[][] {{3, 0}, {4, 1}, {3.5, 0.5}, {10, 1}, {-2, 0}}) {
            Tensor h = matmul(w3, relu(add(matmul(w2, Tensor.vector(xy[0])), b2)));
            assertEquals(xy[1], h.item(), EXACT, "h(" + xy[0] + ")");
        }
    }

    /**
     * Sheet 001, eq 6 (marked wrong in the seeds index): it writes dσ/dz = ln σ · ln(1 − σ). The
     * derivative is σ(1 − σ).
     */
    @Test
    void sigmoidDerivativeIsSigmaTimesOneMinusSigmaNotTheSheetsFormula() {
        for (double z : new double[] {-2.0, 0.3, 1.7}) {
            Tensor zt = Tensor.scalar(z).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor s = sigmoid(zt);
                double d = tape.gradient(s, zt)[0].item();
                double sv = s.item();
                assertEquals(sv * (1 - sv), d, EXACT);
                assertNotEquals(Math.log(sv) * Math.log(1 - sv), d, 1e-3);
            }
        }
    }

    /**
     * Sheet 001, eqs 5–7 (marked wrong): they differentiate the log-likelihood y ln σ + (1 − y) ln(1 − σ)
     * and call it a loss, so the sign flips: its derivative is y − σ(z), while the loss to minimise,
     * the negated log-likelihood, has derivative σ(z) − y.
     */
    @Test
    void binaryCrossEntropyLossGradientIsSigmaMinusTarget() {
        double z = 0.8;
        double y = 1.0;
        Tensor zt = Tensor.scalar(z).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor s = sigmoid(zt);
            Tensor logLikelihood = add(mul(y, log(s)), mul(1 - y, log(sub(1.0, s))));
            Tensor loss = neg(logLikelihood);
            double dLoss = tape.gradient(loss, zt)[0].item();
            double sv = s.item();
            assertEquals(sv - y, dLoss, EXACT);
        }
    }
}
