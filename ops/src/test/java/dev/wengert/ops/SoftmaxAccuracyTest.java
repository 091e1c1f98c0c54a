package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The worst error, in ulps, of the softmax family over 400 seeded random rows of every magnitude
 * against {@link Exact}: values, VJPs and JVPs of logSumExp, softmax, logSoftmax and the cross-entropy
 * with a label and with targets. Rows are a base (0, ±1, ±1000, ±1e5, ±1e16, ±1e300, ±MAX/2) plus
 * offsets of random size (1e-300 to 1e300), sometimes with repeated entries. Errors are in ulps of the
 * larger of the exact value and the scale of its terms ({@link Exact}); the table is printed, so a run
 * on other code measures it too.
 */
class SoftmaxAccuracyTest {
    private static final int ROWS = 400;
    private static final double BOUND = 8;
    private static final double[] BASES = {0, 1, -1, 1000, -1000, 1e5, -1e5, 1e16, -1e16, 1e300, -1e300,
        Double.MAX_VALUE / 2, -Double.MAX_VALUE / 2};
    private static final double[] SPREADS = {1e-300, 1e-8, 1, 5, 30, 300, 1e16, 1e300};

    static double[] randomRow(Random rng) {
        int n = 1 + rng.nextInt(6);
        double base = BASES[rng.nextInt(BASES.length)];
        double spread = SPREADS[rng.nextInt(SPREADS.length)];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = base + spread * (2 * rng.nextDouble() - 1);
            if (!Double.isFinite(z[i])) z[i] = Math.copySign(Double.MAX_VALUE, z[i]);
        }
        if (n > 1 && rng.nextInt(4) == 0) z[rng.nextInt(n)] = z[rng.nextInt(n)];
        return z;
    }

    private final Map<String, Double> worst = new LinkedHashMap<>();

    private void record(String what, Exact.Expect e, double[] actual, double[] z) {
        for (int i = 0; i < actual.length; i++) {
            double unit = Math.ulp(Math.max(Math.abs(e.value[i]), e.scale[i]));
            double u = Double.isFinite(e.value[i]) && Double.isFinite(actual[i])
                    ? Math.abs(actual[i] - e.value[i]) / unit : Exact.ulps(actual[i], e.value[i]);
            if (u > worst.getOrDefault(what, 0.0)) worst.put(what, u);
            int at = i;
            assertTrue(u <= BOUND || !print(), () -> what + " at " + Arrays.toString(z) + ", element " + at + ": "
                    + actual[at] + " vs exact " + e.value[at] + " (" + u + " ulps)");
        }
    }

    /** Whether to stop at the first error beyond the bound (not when measuring other code: -Dwengert.measure). */
    private static boolean print() {
        return !Boolean.getBoolean("wengert.measure");
    }

    private void measure(String op, UnaryOperator<Tensor> f, double[] z, double[] w, double[] t, Exact.Expect value,
            Exact.Expect vjp, Exact.Expect jvp) {
        try (Tape tape = Tape.open()) {
            Tensor x = Tensor.vector(z).requiresGrad();
            Tensor y = f.apply(x);
            record(op + " value", value, y.data(), z);
            Tensor seed = Tensor.wrap(w.clone(), y.shape());
            record(op + " VJP", vjp, tape.gradient(new Tensor[] {y}, new Tensor[] {seed}, x)[0].data(), z);
        }
        record(op + " JVP", jvp, ForwardMode.jvp(f, Tensor.vector(z), Tensor.vector(t)).tangent().data(), z);
    }

    @Test
    void worstUlpsOverRandomRowsOfEveryMagnitude() {
        Random rng = new Random(20240611);
        for (int row = 0; row < ROWS; row++) {
            double[] z = randomRow(rng);
            int n = z.length;
            Exact.Row r = new Exact.Row(z);
            double[] w = new double[n];
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = rng.nextGaussian();
                t[i] = rng.nextGaussian();
            }
            double g = 0.5 + rng.nextDouble();
            int label = rng.nextInt(n);
            double[] tau = new double[n];
            if (rng.nextBoolean()) {
                tau[label] = 1;
            } else {
                for (int i = 0; i < n; i++) tau[i] = rng.nextDouble();
            }
            Tensor tauT = Tensor.vector(tau);
            measure("logSumExp", x -> Ops.reshape(Ops.logSumExp(x), 1), z, new double[] {g}, t, r.lse(), r.lseVjp(g),
                    r.lseJvp(t));
            measure("softmax", Ops::softmax, z, w, t, r.softmax(), r.softmaxVjp(w), r.softmaxJvp(t));
            measure("logSoftmax", Ops::logSoftmax, z, w, t, r.logSoftmax(), r.logSoftmaxVjp(w), r.logSoftmaxJvp(t));
            measure("crossEntropy(label)", x -> Ops.softmaxCrossEntropy(Ops.reshape(x, 1, n), label), z,
                    new double[] {g}, t, r.ceLabel(label), r.ceLabelVjp(label, g), r.ceLabelJvp(label, t));
            measure("crossEntropy(targets)", x -> Ops.reshape(Ops.softmaxCrossEntropy(x, tauT), 1), z,
                    new double[] {g}, t, r.ceTargets(tau), r.ceTargetsVjp(tau, g), r.ceTargetsJvp(tau, t));
        }
        StringBuilder table = new StringBuilder("worst ulps over " + ROWS + " random rows:\n");
        worst.forEach((k, v) -> table.append(String.format(Locale.ROOT, "  %-28s %.3g%n", k, v)));
        System.out.print(table);
        for (Map.Entry<String, Double> e : worst.entrySet()) {
            assertTrue(e.getValue() <= BOUND, e.getKey() + ": " + e.getValue() + " ulps\n" + table);
        }
    }
}
