package dev.wengert.ops.kernel;

/**
 * Elementwise transcendental functions over arrays: the hot loops of tanh, sigmoid, exp and softmax.
 * Two implementations, plain Java ({@link ScalarElementwise}, which defines the results) and the Vector API
 * ({@code VectorElementwise}), chosen at run time by {@link MathKernels}; both give the same bits.
 */
interface ElementwiseKernel {
    /** {@code y[yOff + i] = tanh(x[xOff + i])}, {@code i < n}. */
    void tanh(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[yOff + i] = 1 / (1 + exp(-x[xOff + i]))}, without overflow. */
    void sigmoid(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[yOff + i] = exp(x[xOff + i] - shift)}, {@code i < n}. */
    void exp(double[] x, int xOff, double shift, double[] y, int yOff, int n);

    /**
     * {@link #exp} and the sum of the results, added in the fixed order of {@link ScalarElementwise#sum8}
     * (for softmax).
     */
    double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n);
}
