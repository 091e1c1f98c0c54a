package dev.wengert.ops.kernel;

/**
 * Elementwise transcendental functions over arrays: the hot loops of tanh, sigmoid and exp layers.
 * Two implementations: plain Java ({@link ScalarElementwise}) and the Vector API
 * ({@code VectorElementwise}), chosen at run time by {@link MathKernels}.
 */
interface ElementwiseKernel {
    /** {@code y[yOff + i] = tanh(x[xOff + i])}, {@code i < n}. */
    void tanh(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[yOff + i] = 1 / (1 + exp(-x[xOff + i]))}, without overflow. */
    void sigmoid(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[yOff + i] = exp(x[xOff + i] - shift)}; returns the sum of the results (for softmax). */
    double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n);
}
