package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorised elementwise kernels agree with java.lang.Math to a few ulp, at every length and at the edges. */
class MathKernelsTest {
    /** The vector exp and expm1 routines are within 1 ulp; the tanh formula adds a division: a few ulp. */
    private static final double ULPS = 4;

    private static double[] values(Random rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextGaussian() * (rng.nextBoolean() ? 1 : 8);
        double[] special = {0.0, -0.0, 1e-300, -1e-12, 3e-9, 20.0, -20.0, 710.0, -710.0, 1000.0, -1000.0};
        for (int i = 0; i < Math.min(n, special.length); i++) x[(i * 7) % n] = special[i];
        return x;
    }

    private static void close(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what);
            return;
        }
        double tol = ULPS * Math.ulp(expected);
        assertTrue(Math.abs(expected - actual) <= tol || expected == actual,
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void tanhSigmoidExpAgreeWithMathAtEveryLength() {
        Random rng = new Random(3);
        for (int n = 0; n <= 37; n++) {
            double[] x = values(rng, Math.max(n, 1));
            if (n == 0) x = new double[0];
            double[] y = new double[x.length];
            MathKernels.tanh(x, y);
            for (int i = 0; i < x.length; i++) close(Math.tanh(x[i]), y[i], "tanh(" + x[i] + ")");
            MathKernels.sigmoid(x, y);
            for (int i = 0; i < x.length; i++) close(ScalarElementwise.sigmoid(x[i]), y[i], "sigmoid(" + x[i] + ")");
            MathKernels.exp(x, y);
            for (int i = 0; i < x.length; i++) close(Math.exp(x[i]), y[i], "exp(" + x[i] + ")");
        }
    }

    @Test
    void expShiftedReturnsTheSumAndWritesAtOffsets() {
        double[] x = {9, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 9};
        double[] y = new double[10];
        double sum = MathKernels.expShifted(x, 1, 6.0, y, 2, 6);
        double expected = 0;
        for (int i = 0; i < 6; i++) {
            close(Math.exp(x[1 + i] - 6.0), y[2 + i], "exp at " + i);
            expected += Math.exp(x[1 + i] - 6.0);
        }
        assertEquals(expected, sum, 1e-15 * expected);
        assertEquals(0.0, y[0]);
        assertEquals(0.0, y[8]);
    }

    @Test
    void nanPropagatesAndSaturationIsExact() {
        double[] x = {Double.NaN, 1000, -1000, 40, -40, Double.NaN, 0.5, 7};
        double[] y = new double[x.length];
        MathKernels.tanh(x, y);
        assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[5]));
        assertEquals(1.0, y[1]);
        assertEquals(-1.0, y[2]);
        MathKernels.sigmoid(x, y);
        assertEquals(1.0, y[1]);
        assertEquals(0.0, y[2]);
        assertTrue(Double.isNaN(y[0]));
    }
}
