package dev.wengert.examples.nn;

import java.util.Arrays;

/**
 * The singular values and the numerical rank of a small dense matrix, by one-sided Jacobi rotations
 * (Hestenes): columns are rotated pairwise until all are orthogonal; their norms are then the singular
 * values. Accurate to a few ulps relative to the largest singular value, and short.
 */
public final class Linalg {
    private Linalg() {}

    /**
     * The singular values of the m × n matrix {@code a} (rows), largest first.
     *
     * @param a the matrix, m rows of n entries; not modified
     * @return a new array of the min(m, n) singular values, in decreasing order
     */
    public static double[] singularValues(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        boolean transpose = n > m;
        // Work on columns of the tall orientation: at most min(m, n) nonzero singular values either way.
        int rows = transpose ? n : m;
        int cols = transpose ? m : n;
        double[][] c = new double[cols][rows];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (transpose) c[i][j] = a[i][j];
                else c[j][i] = a[i][j];
            }
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = dot(c[p], c[p]);
                    double beta = dot(c[q], c[q]);
                    double gamma = dot(c[p], c[q]);
                    if (gamma == 0) continue;
                    off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double cs = 1 / Math.sqrt(1 + t * t);
                    double sn = cs * t;
                    for (int k = 0; k < rows; k++) {
                        double x = c[p][k];
                        double y = c[q][k];
                        c[p][k] = cs * x - sn * y;
                        c[q][k] = sn * x + cs * y;
                    }
                }
            }
            if (off < 1e-15) break;
        }
        double[] s = new double[cols];
        for (int j = 0; j < cols; j++) s[j] = Math.sqrt(dot(c[j], c[j]));
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    /**
     * The numerical rank: the number of singular values above {@code max(m, n) · ε · σ_max} (NumPy's
     * {@code matrix_rank} default, ε the float64 machine epsilon).
     *
     * @param a the matrix, m rows of n entries; not modified
     * @return the rank, from 0 to min(m, n)
     */
    public static int rank(double[][] a) {
        double[] s = singularValues(a);
        double tol = Math.max(a.length, a[0].length) * Math.ulp(1.0) * s[0];
        int r = 0;
        for (double v : s) if (v > tol) r++;
        return r;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
