package dev.wengert.ops.kernel;

import java.lang.reflect.Method;

/**
 * Elementwise tanh, sigmoid and exp over arrays, on the Vector API when the JVM has
 * {@code jdk.incubator.vector} (loaded reflectively, as for {@link Gemm}; {@code -Dwengert.vector=false}
 * forces plain Java), else in plain Java. Results agree with {@code java.lang.Math} to a few ulp; the
 * vector path's sums (for softmax) add in a different order.
 */
public final class MathKernels {
    private MathKernels() {}

    private static final ElementwiseKernel KERNEL = load();

    private static ElementwiseKernel load() {
        String prop = System.getProperty("wengert.vector");
        if (prop != null && prop.trim().equalsIgnoreCase("false")) return ScalarElementwise.INSTANCE;
        if (ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isEmpty()) return ScalarElementwise.INSTANCE;
        try {
            Class<?> cls = Class.forName("dev.wengert.ops.kernel.VectorElementwise");
            Method create = cls.getDeclaredMethod("create");
            create.setAccessible(true);
            ElementwiseKernel k = (ElementwiseKernel) create.invoke(null);
            return k != null ? k : ScalarElementwise.INSTANCE;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return ScalarElementwise.INSTANCE;
        }
    }

    /** Whether the Vector API path is in use. */
    public static boolean vectorized() {
        return KERNEL != ScalarElementwise.INSTANCE;
    }

    /** {@code y[i] = tanh(x[i])} over the whole of x (y as long as x). */
    public static void tanh(double[] x, double[] y) {
        KERNEL.tanh(x, 0, y, 0, x.length);
    }

    /** {@code y[i] = σ(x[i]) = 1 / (1 + e^{-x[i]})}, without overflow for either sign. */
    public static void sigmoid(double[] x, double[] y) {
        KERNEL.sigmoid(x, 0, y, 0, x.length);
    }

    /** {@code y[i] = e^{x[i]}}. */
    public static void exp(double[] x, double[] y) {
        KERNEL.expShifted(x, 0, 0.0, y, 0, x.length);
    }

    /** {@code y[yOff + i] = e^{x[xOff + i] - shift}} for {@code i < n}; returns their sum. */
    public static double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        return KERNEL.expShifted(x, xOff, shift, y, yOff, n);
    }

    /** σ(v) for one value, without overflow for either sign. */
    public static double sigmoid(double v) {
        return ScalarElementwise.sigmoid(v);
    }
}
