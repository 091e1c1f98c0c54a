package dev.wengert.ops.kernel;

import java.lang.reflect.Method;

/**
 * Elementwise exp, tanh and sigmoid whose results are the same bits in every JVM: interpreted or compiled,
 * with or without the Vector API, at any vector width, on any JDK version or vendor. Each function is
 * fdlibm's algorithm (the one {@link StrictMath} specifies) written with nothing but exactly rounded IEEE
 * operations ({@code + - * /}) and exact bit manipulation; see {@code ScalarElementwise} for the formulas.
 * Measured against {@link StrictMath} on 1.1 million inputs over every range and special region: tanh gave
 * the same bits on all of them, exp on all but 3 (1 ulp off, where fdlibm rounds x / ln 2 to its k another
 * way), σ within 1 ulp of {@code 1 / (1 + StrictMath.exp(-x))} (in its overflow-free form). So the accuracy is
 * fdlibm's: exp below 1 ulp, tanh within about 2.1 ulp of the exact value.
 *
 * <p>The array functions run on the Vector API when the JVM has {@code jdk.incubator.vector} (loaded
 * reflectively, as for {@link Gemm}; {@code -Dwengert.vector=false} forces plain Java), which performs the
 * same operations lane by lane; the scalar functions give the same bits as the array ones. Sums (for
 * softmax) are added in a fixed order that does not depend on the lane count.
 *
 * <p>Special values: exp(NaN) = NaN, exp(+∞) = +∞ (and above 709.782712893384), exp(−∞) = +0 (and below
 * −745.1332191019411), subnormal results rounded once; tanh(±0) = ±0, tanh(±∞) = ±1 (and for |x| ≥ 22),
 * tanh(NaN) = NaN; σ(±∞) = 1 and +0, σ(NaN) = NaN, σ(x) = e^x for x below about −37, down to the
 * subnormals.
 */
public final class MathKernels {
    private MathKernels() {}

    private static final ElementwiseKernel KERNEL = load();

    private static ElementwiseKernel load() {
        String prop = System.getProperty("wengert.vector");
        if (prop != null && prop.trim().equalsIgnoreCase("false")) {
            FallbackNotice.fallback("disabled by -Dwengert.vector=false", true);
            return ScalarElementwise.INSTANCE;
        }
        if (ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isEmpty()) {
            FallbackNotice.fallback(Kernels.VECTOR_MODULE + " not present", false);
            return ScalarElementwise.INSTANCE;
        }
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

    /**
     * Whether the Vector API path is in use (the results are the same either way).
     *
     * @return true when the functions run on {@code jdk.incubator.vector}
     */
    public static boolean vectorized() {
        return KERNEL != ScalarElementwise.INSTANCE;
    }

    /**
     * {@code y[i] = tanh(x[i])} over the whole of x.
     *
     * @param x the arguments, not written (unless it is y)
     * @param y the results, at least as long as x; may be x itself (in place)
     */
    public static void tanh(double[] x, double[] y) {
        KERNEL.tanh(x, 0, y, 0, x.length);
    }

    /**
     * {@code y[yOff + i] = tanh(x[xOff + i])} for {@code i < n}, the same bits as the whole-array form; x and y
     * may be the same array at the same offset (in place).
     *
     * @param x    the arguments
     * @param xOff where they start in x
     * @param y    where the results go
     * @param yOff where they start in y
     * @param n    how many
     */
    public static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        KERNEL.tanh(x, xOff, y, yOff, n);
    }

    /**
     * {@code y[yOff + i] = σ(x[xOff + i])} for {@code i < n}, in place allowed, as
     * {@link #tanh(double[], int, double[], int, int)}.
     *
     * @param x    the arguments
     * @param xOff where they start in x
     * @param y    where the results go
     * @param yOff where they start in y
     * @param n    how many
     */
    public static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        KERNEL.sigmoid(x, xOff, y, yOff, n);
    }

    /**
     * {@code y[i] = σ(x[i]) = 1 / (1 + e^{-x[i]})}, without overflow for either sign.
     *
     * @param x the arguments, not written (unless it is y)
     * @param y the results, at least as long as x; may be x itself (in place)
     */
    public static void sigmoid(double[] x, double[] y) {
        KERNEL.sigmoid(x, 0, y, 0, x.length);
    }

    /**
     * {@code y[i] = e^{x[i]}}.
     *
     * @param x the arguments, not written (unless it is y)
     * @param y the results, at least as long as x; may be x itself (in place)
     */
    public static void exp(double[] x, double[] y) {
        KERNEL.exp(x, 0, 0.0, y, 0, x.length);
    }

    /**
     * {@code y[yOff + i] = e^{x[xOff + i] - shift}} for {@code i < n}; returns their sum, added as eight
     * partial sums (element i into sum {@code i mod 8}, each in order of i) combined as
     * {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}.
     *
     * @param x     the arguments
     * @param xOff  where they start in x
     * @param shift subtracted from each argument before the exponential (a softmax's maximum)
     * @param y     where the exponentials go
     * @param yOff  where they start in y
     * @param n     how many
     * @return the sum of the n exponentials, in the order above
     */
    public static double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        return KERNEL.expShifted(x, xOff, shift, y, yOff, n);
    }

    /**
     * e^v for one value: the same bits as {@link #exp(double[], double[])}.
     *
     * @param v the argument
     * @return e^v
     */
    public static double exp(double v) {
        return ScalarElementwise.exp(v);
    }

    /**
     * tanh v for one value: the same bits as {@link #tanh(double[], double[])}.
     *
     * @param v the argument
     * @return tanh v
     */
    public static double tanh(double v) {
        return ScalarElementwise.tanh(v);
    }

    /**
     * σ(v) for one value, without overflow for either sign: the same bits as {@link #sigmoid(double[], double[])}.
     *
     * @param v the argument
     * @return 1 / (1 + e^(−v))
     */
    public static double sigmoid(double v) {
        return ScalarElementwise.sigmoid(v);
    }
}
