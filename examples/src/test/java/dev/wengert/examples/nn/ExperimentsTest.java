package dev.wengert.examples.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/** The notes' small experiments: their figures, measured. */
class ExperimentsTest {
    private static final long SEED = 1;

    /** Lecture 002, 3.1.1: z = −5, target 1. */
    @Test
    void saturationGradientIsTinyUnderSquaredLossAndLargeUnderCrossEntropy() {
        Saturation.Result r = Saturation.run();
        double a = 1 / (1 + Math.exp(5));
        assertEquals(a, r.a(), 1e-16);
        assertEquals(2 * (a - 1) * a * (1 - a), r.squaredGradZ(), 1e-16);
        assertEquals(-0.013207, r.squaredGradZ(), 1e-6);
        assertEquals(a - 1, r.crossEntropyGradZ(), 1e-16);
        assertEquals(-0.993307, r.crossEntropyGradZ(), 1e-6);
        assertTrue(r.crossEntropyGradZ() / r.squaredGradZ() > 70);
        assertTrue(r.aAfterCrossEntropy() > r.aAfterSquared());
    }

    /** Sheet 001, 3.2.4: the printed w₆ = 6 does not give XOR; w₆ = −6 does. */
    @Test
    void sheetXorWeightsWorkOnlyWithANegativeW6() {
        double[] plus = Xor.sheetSums(6);
        double[] minus = Xor.sheetSums(-6);
        double s1 = 1 / (1 + Math.exp(-1));
        double s2 = 1 / (1 + Math.exp(-2));
        double s10 = 1 / (1 + Math.exp(-10));
        double s20 = 1 / (1 + Math.exp(-20));
        assertArrayEquals(new double[] {5.5, 5 * s10 + 6 * s1, 5 * s10 + 6 * s1, 5 * s20 + 6 * s2}, plus, 1e-12);
        assertArrayEquals(new double[] {-0.5, 5 * s10 - 6 * s1, 5 * s10 - 6 * s1, 5 * s20 - 6 * s2}, minus, 1e-12);
        assertFalse(Xor.computesXor(plus));
        assertTrue(Xor.computesXor(minus));
        assertEquals(4, Xor.train(3), "seed 3 learns XOR with two sigmoid hidden units");
    }

    @Test
    void toyProblemDefeatsLogisticRegressionButNotTwoTanhUnits() {
        ToyProblem.Result r = ToyProblem.run(SEED);
        assertTrue(r.logisticRegression() < 0.6, "logistic regression " + r.logisticRegression());
        assertTrue(r.mlp() > 0.97, "MLP " + r.mlp());
    }

    @Test
    void sigmoidGradientsVanishWithDepthAndReluGradientsDoNot() {
        double[] sigmoid = VanishingGradients.layerGradientNorms("sigmoid", 8, SEED);
        double[] relu = VanishingGradients.layerGradientNorms("relu", 8, SEED);
        assertEquals(9, sigmoid.length);
        assertTrue(sigmoid[0] / sigmoid[8] < 1e-4, "sigmoid first/last " + sigmoid[0] / sigmoid[8]);
        for (int l = 0; l < 8; l++) assertTrue(sigmoid[l] < sigmoid[l + 1], "sigmoid norms grow towards the output");
        assertTrue(relu[0] / relu[8] > 0.1, "relu first/last " + relu[0] / relu[8]);
    }

    @Test
    void identityActivationsCollapseToARankFourMap() {
        LinearCollapse.Result r = LinearCollapse.run(LinearCollapse.randomData(SEED).head(2000), null, SEED);
        assertEquals(4, r.rank());
        assertEquals(10, r.logisticRank());
        assertTrue(r.singularValues()[4] < 1e-12 * r.singularValues()[0]);
        assertTrue(r.maxDifference() < 1e-10, "network vs collapsed map " + r.maxDifference());
    }

    /** The Jacobi singular values against commons-math3's SVD, an independent implementation. */
    @Test
    void singularValuesAgreeWithCommonsMath() {
        Random rng = new Random(SEED);
        for (int[] shape : new int[][] {{7, 3}, {3, 7}, {30, 10}, {5, 5}}) {
            double[][] a = new double[shape[0]][shape[1]];
            for (double[] row : a) for (int j = 0; j < row.length; j++) row[j] = rng.nextGaussian();
            double[] ours = Linalg.singularValues(a);
            double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(a)).getSingularValues();
            assertArrayEquals(ref, ours, 1e-12 * ref[0]);
            assertEquals(Math.min(shape[0], shape[1]), Linalg.rank(a));
        }
        // A 20 x 6 matrix of rank 2.
        double[][] u = new double[20][2];
        double[][] v = new double[2][6];
        for (double[] row : u) for (int j = 0; j < 2; j++) row[j] = rng.nextGaussian();
        for (double[] row : v) for (int j = 0; j < 6; j++) row[j] = rng.nextGaussian();
        double[][] a = new double[20][6];
        for (int i = 0; i < 20; i++) for (int j = 0; j < 6; j++) a[i][j] = u[i][0] * v[0][j] + u[i][1] * v[1][j];
        assertEquals(2, Linalg.rank(a));
        assertEquals(2, new SingularValueDecomposition(new Array2DRowRealMatrix(a)).getRank());
    }
}
