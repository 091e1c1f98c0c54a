package dev.wengert.ops.kernel;

/** The plain-Java elementwise kernels: always available, used for short arrays and without the Vector API. */
final class ScalarElementwise implements ElementwiseKernel {
    static final ScalarElementwise INSTANCE = new ScalarElementwise();

    private ScalarElementwise() {}

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.tanh(x[xOff + i]);
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = sigmoid(x[xOff + i]);
    }

    /** σ(v) evaluated so that neither sign of v overflows. */
    static double sigmoid(double v) {
        if (v >= 0) return 1.0 / (1.0 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    @Override
    public double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[xOff + i] - shift);
            y[yOff + i] = e;
            sum += e;
        }
        return sum;
    }
}
