package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * Gradients and full Hessians of logSumExp, every softmax and log-softmax output and the cross-entropy
 * with a label, on rows of every magnitude ({@link SoftmaxAccuracyTest#randomRow}, up to ±MAX/2 with
 * offsets from 1e-300 to 1e300), against commons-math3's {@link DerivativeStructure}: an independent
 * forward-mode implementation, run on the shifted row {@code u = z - max z} (the softmax family is
 * invariant under the shift, and logSumExp moves by the constant max z), so that its plain
 * {@code log Σ exp u} cannot overflow. The Hessians here come from differentiating Wengert's recorded
 * gradient, reverse over reverse.
 *
 * <p>DerivativeStructure works in plain double arithmetic along the textbook chain rule, so it cancels
 * where Wengert does not ({@code p (1 - p)} at {@code p ≈ 1}); the comparison is therefore absolute, at
 * the scale of the terms (probabilities, at most 1): it checks that the formulas are right, and
 * {@link ExtremesTest} and {@link SoftmaxAccuracyTest} check the last few ulps against 40-digit values.
 */
class SoftmaxFamilyOracleProperties {
    private static final double TOLERANCE = 1e-12;

    /** One scalar output of the row, both ways: Wengert's op and its DerivativeStructure formula in u. */
    private record Output(String name, Function<Tensor, Tensor> wengert,
            Function<DerivativeStructure[], DerivativeStructure> oracle) {}

    private static DerivativeStructure logSumExp(DerivativeStructure[] u) {
        DerivativeStructure s = u[0].exp();
        for (int i = 1; i < u.length; i++) s = s.add(u[i].exp());
        return s.log();
    }

    @Property(tries = 300)
    void gradientsAndHessiansAgreeWithDerivativeStructure(@ForAll long seed) {
        Random rng = new Random(seed);
        double[] z = SoftmaxAccuracyTest.randomRow(rng);
        int n = z.length;
        double m = Arrays.stream(z).max().getAsDouble();
        int j = rng.nextInt(n);
        Output[] outputs = {
            new Output("logSumExp", x -> Ops.logSumExp(x), SoftmaxFamilyOracleProperties::logSumExp),
            new Output("softmax_" + j, x -> Ops.gather(Ops.softmax(x), 0, j),
                    u -> u[j].exp().divide(logSumExp(u).exp())),
            new Output("logSoftmax_" + j, x -> Ops.gather(Ops.logSoftmax(x), 0, j), u -> u[j].subtract(logSumExp(u))),
            new Output("crossEntropy, label " + j,
                    x -> Ops.softmaxCrossEntropy(Ops.reshape(x, 1, n), j), u -> logSumExp(u).subtract(u[j])),
        };
        DerivativeStructure[] u = new DerivativeStructure[n];
        for (int i = 0; i < n; i++) u[i] = new DerivativeStructure(n, 2, i, z[i] - m);
        for (Output out : outputs) {
            DerivativeStructure d = out.oracle().apply(u);
            double[] grad = new double[n];
            double[][] hess = new double[n][n];
            for (int a = 0; a < n; a++) {
                int[] order = new int[n];
                order[a] = 1;
                grad[a] = d.getPartialDerivative(order);
                for (int b = 0; b < n; b++) {
                    int[] second = new int[n];
                    second[a]++;
                    second[b]++;
                    hess[a][b] = d.getPartialDerivative(second);
                }
            }
            try (Tape tape = Tape.openRetained()) {
                Tensor x = Tensor.vector(z).requiresGrad();
                Tensor g = tape.recordedGradient(Ops.reshape(out.wengert().apply(x), new int[0]), x)[0];
                String at = out.name() + " at " + Arrays.toString(z);
                close(at + ": gradient", grad, g.data());
                for (int a = 0; a < n; a++) {
                    double[] unit = new double[n];
                    unit[a] = 1;
                    double[] row = g.isLeaf() ? new double[n]
                            : tape.gradient(new Tensor[] {g}, new Tensor[] {Tensor.vector(unit)}, x)[0].data();
                    close(at + ": Hessian row " + a, hess[a], row);
                }
            }
        }
    }

    /** Every element within TOLERANCE of the largest magnitude in the exact vector, or of 1. */
    private static void close(String what, double[] expected, double[] actual) {
        double scale = 1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            double s = scale;
            assertTrue(Math.abs(expected[i] - actual[i]) <= TOLERANCE * s, () -> what + ", element " + at
                    + ": DerivativeStructure " + expected[at] + ", Wengert " + actual[at] + " (scale " + s + ")");
        }
    }
}
