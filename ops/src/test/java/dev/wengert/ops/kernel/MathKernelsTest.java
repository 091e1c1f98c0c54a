package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The elementwise kernels give the same bits on every path (vector or scalar, any lane count, interpreted
 * or compiled, any JDK), sum in a fixed order, and agree with {@link StrictMath} to within 2 ulp.
 */
class MathKernelsTest {
    private static final ElementwiseKernel SCALAR = ScalarElementwise.INSTANCE;
    private static final ElementwiseKernel VECTOR = vectorKernel();

    /** The Vector API kernel, reflectively (as MathKernels loads it), or null without the module. */
    private static ElementwiseKernel vectorKernel() {
        if (ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isEmpty()) return null;
        try {
            var create = Class.forName("dev.wengert.ops.kernel.VectorElementwise").getDeclaredMethod("create");
            create.setAccessible(true);
            return (ElementwiseKernel) create.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static final double LN2 = 0.6931471805599453;
    private static final double EXP_OVERFLOW = 0x1.62e42fefa39efp9;
    private static final double EXP_UNDERFLOW = -0x1.74910d52d3051p9;

    /** Values at the edges of every branch and range of the three functions. */
    static double[] specials() {
        List<Double> v = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -1e-300, 0x1p-28, 0x1p-54, -0x1p-55, 0x1p-56, 0x1p-600,
                0.5 * LN2, -0.5 * LN2, 1.5 * LN2, 1.0, -1.0, Math.nextDown(1.0), -Math.nextDown(1.0), Math.nextUp(1.0),
                19.06, 19.1, -19.1, 22.0, -22.0, Math.nextDown(22.0), 36.0, 37.0, -37.0, 40.0, 44.0, 700.0, -700.0,
                708.39, -708.39, -708.4, -709.0, -720.0, -740.0, -744.0, -745.0, -745.1, 710.0, -746.0, 1000.0,
                -1000.0, 1e300, -1e300));
        for (double edge : new double[] {EXP_OVERFLOW, EXP_UNDERFLOW, 0.5 * LN2, 1.5 * LN2, 1.0, 22.0}) {
            double x = edge;
            for (int i = 0; i < 3; i++) x = Math.nextDown(x);
            for (int i = 0; i < 7; i++, x = Math.nextUp(x)) {
                v.add(x);
                v.add(-x);
            }
        }
        // Halfway points of the argument reduction x = k ln 2 + r.
        for (int k = -1075; k <= 1025; k += 37) v.add((k + 0.5) * LN2);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    /** A mixture of scales: Gaussians, log-uniform magnitudes from 2^-80 to 2^10, the whole exp range. */
    static double[] randomInputs(Random rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            switch (rng.nextInt(5)) {
                case 0: x[i] = rng.nextGaussian(); break;
                case 1: x[i] = rng.nextGaussian() * 8; break;
                case 2: x[i] = rng.nextGaussian() * 100; break;
                case 3: x[i] = (rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextDouble(), rng.nextInt(91) - 80); break;
                default: x[i] = -750 + 1460 * rng.nextDouble(); break;
            }
        }
        return x;
    }

    /** Distance in units in the last place, counting the representable doubles between a and b. */
    static long ulps(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits >= 0 ? bits : Long.MIN_VALUE - bits;
    }

    private interface ArrayOp {
        double apply(ElementwiseKernel k, double[] x, int xOff, double[] y, int yOff, int n);
    }

    private static final Map<String, ArrayOp> OPS = new LinkedHashMap<>();

    static {
        OPS.put("tanh", (k, x, xo, y, yo, n) -> {
            k.tanh(x, xo, y, yo, n);
            return 0;
        });
        OPS.put("sigmoid", (k, x, xo, y, yo, n) -> {
            k.sigmoid(x, xo, y, yo, n);
            return 0;
        });
        OPS.put("exp", (k, x, xo, y, yo, n) -> k.expShifted(x, xo, 0.0, y, yo, n));
        OPS.put("expShifted(3.25)", (k, x, xo, y, yo, n) -> k.expShifted(x, xo, 3.25, y, yo, n));
    }

    private static void assertSameBits(double expected, double actual, String what) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
            throw new AssertionError(what + ": " + expected + " (" + Long.toHexString(Double.doubleToRawLongBits(expected))
                    + ") vs " + actual + " (" + Long.toHexString(Double.doubleToRawLongBits(actual)) + ")");
        }
    }

    @Test
    void vectorAndScalarKernelsGiveTheSameBits() {
        assumeTrue(VECTOR != null, "jdk.incubator.vector is not in this JVM: only the scalar kernel exists");
        Random rng = new Random(11);
        double[] special = specials();
        List<double[]> inputs = new ArrayList<>();
        inputs.add(special);
        for (int n = 0; n <= 70; n++) inputs.add(randomInputs(rng, n));
        inputs.add(randomInputs(rng, 100_003));
        for (double[] x : inputs) {
            for (var op : OPS.entrySet()) {
                for (int off = 0; off < (x.length < 100 ? 3 : 1); off++) {
                    int n = Math.max(0, x.length - off);
                    double[] ys = new double[n + 2];
                    double[] yv = new double[n + 2];
                    double ss = op.getValue().apply(SCALAR, x, off, ys, 1, n);
                    double sv = op.getValue().apply(VECTOR, x, off, yv, 1, n);
                    for (int i = 0; i < ys.length; i++) {
                        assertSameBits(ys[i], yv[i], op.getKey() + "(" + (i >= 1 && i <= n ? x[off + i - 1] : "outside")
                                + ") at " + i + " of " + n);
                    }
                    assertSameBits(ss, sv, op.getKey() + " sum of " + n);
                }
            }
        }
    }

    @Test
    void inPlaceGivesTheSameBits() {
        Random rng = new Random(13);
        for (ElementwiseKernel k : VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR)) {
            for (int n : new int[] {0, 5, 8, 37, 513, 1500}) {
                double[] x = randomInputs(rng, n);
                for (var op : OPS.entrySet()) {
                    double[] y = new double[n];
                    double sum = op.getValue().apply(k, x, 0, y, 0, n);
                    double[] z = x.clone();
                    double sumInPlace = op.getValue().apply(k, z, 0, z, 0, n);
                    for (int i = 0; i < n; i++) assertSameBits(y[i], z[i], op.getKey() + " in place at " + i + " of " + n);
                    assertSameBits(sum, sumInPlace, op.getKey() + " sum in place");
                }
            }
        }
    }

    @Test
    void scalarFunctionsGiveTheBitsOfTheArrayFunctions() {
        double[] x = concat(specials(), randomInputs(new Random(17), 20_000));
        double[] y = new double[x.length];
        MathKernels.exp(x, y);
        for (int i = 0; i < x.length; i++) assertSameBits(y[i], MathKernels.exp(x[i]), "exp(" + x[i] + ")");
        MathKernels.tanh(x, y);
        for (int i = 0; i < x.length; i++) assertSameBits(y[i], MathKernels.tanh(x[i]), "tanh(" + x[i] + ")");
        MathKernels.sigmoid(x, y);
        for (int i = 0; i < x.length; i++) assertSameBits(y[i], MathKernels.sigmoid(x[i]), "sigmoid(" + x[i] + ")");
    }

    /** tanh's expm1 is fdlibm's on the arguments tanh gives it, up to k = 56 (u ≈ 39.2; beyond, tanh is 1). */
    @Test
    void expm1IsStrictMathsOnTanhsArguments() {
        Random rng = new Random(19);
        double[] u = concat(uniform(rng, 300_000, -2, 0), uniform(rng, 300_000, 2, 39),
                logUniform(rng, 100_000, -60, 0));
        long worst = 0;
        double at = Double.NaN;
        int differing = 0;
        for (double v : u) {
            double arg = v > 0 && v < 2 ? -v : v;
            long d = ulps(StrictMath.expm1(arg), ScalarElementwise.expm1(arg));
            if (d != 0) differing++;
            if (d > worst) {
                worst = d;
                at = arg;
            }
        }
        System.out.printf(Locale.ROOT, "expm1 on [-2, 0] and [2, 39]: max %d ulp (at %s), %d of %d differ from StrictMath%n",
                worst, at, differing, u.length);
        assertTrue(worst <= 1, "expm1: " + worst + " ulp at " + at);
    }

    /** The sum the kernels must return: 8 partial sums, element i into sum i mod 8, added in a fixed tree. */
    static double treeSum(double[] y, int off, int n) {
        double[] s = new double[8];
        for (int i = 0; i < n; i++) s[i % 8] += y[off + i];
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }

    @Test
    void expShiftedAddsEightPartialSumsInAFixedTree() {
        Random rng = new Random(5);
        for (ElementwiseKernel k : VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR)) {
            for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 31, 33, 64, 100, 1001, 4099}) {
                double[] x = new double[n + 3];
                for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian() * 3;
                double[] y = new double[n + 1];
                double sum = k.expShifted(x, 3, 1.5, y, 1, n);
                assertSameBits(treeSum(y, 1, n), sum, k.getClass().getSimpleName() + " n=" + n);
            }
        }
    }

    @Test
    void sum8ReadsExactlyItsRangeForEveryRemainder() {
        // Every n mod 8, with values on both sides of the range that would show in the sum if read.
        Random rng = new Random(6);
        for (int n = 0; n <= 24; n++) {
            double[] y = new double[n + 4];
            java.util.Arrays.fill(y, 1e300);
            for (int i = 0; i < n; i++) y[2 + i] = rng.nextGaussian();
            assertSameBits(treeSum(y, 2, n), ScalarElementwise.sum8(y, 2, n), "sum8 n=" + n);
        }
    }

    @Test
    void withinTwoUlpOfStrictMath() {
        Random rng = new Random(7);
        StringBuilder report = new StringBuilder();
        double[] x = concat(specials(), randomInputs(rng, 400_000), logUniform(rng, 200_000, -60, 5),
                uniform(rng, 100_000, -745.2, -700), uniform(rng, 100_000, 700, 709.8), uniform(rng, 100_000, -2, 2),
                uniform(rng, 100_000, 0.9, 1.1), uniform(rng, 100_000, 18, 23));
        double[] y = new double[x.length];
        for (ElementwiseKernel k : VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR)) {
            k.expShifted(x, 0, 0.0, y, 0, x.length);
            report.append(maxUlps(k, "exp", x, y, StrictMath::exp));
            k.tanh(x, 0, y, 0, x.length);
            report.append(maxUlps(k, "tanh", x, y, StrictMath::tanh));
            k.sigmoid(x, 0, y, 0, x.length);
            report.append(maxUlps(k, "sigmoid", x, y, MathKernelsTest::strictSigmoid));
        }
        System.out.print(report);
    }

    /** σ from StrictMath.exp, in the overflow-free form. */
    static double strictSigmoid(double v) {
        if (v >= 0) return 1 / (1 + StrictMath.exp(-v));
        double e = StrictMath.exp(v);
        return e / (1 + e);
    }

    private static String maxUlps(ElementwiseKernel k, String name, double[] x, double[] y,
            java.util.function.DoubleUnaryOperator reference) {
        long worst = 0;
        double at = Double.NaN;
        long differing = 0;
        for (int i = 0; i < x.length; i++) {
            long d = ulps(reference.applyAsDouble(x[i]), y[i]);
            if (d != 0) differing++;
            if (d > worst) {
                worst = d;
                at = x[i];
            }
        }
        String line = String.format(Locale.ROOT, "%s %s: max %d ulp (at x = %s), %d of %d differ from StrictMath%n",
                k.getClass().getSimpleName(), name, worst, at, differing, x.length);
        assertTrue(worst <= 2, line);
        return line;
    }

    static double[] uniform(Random rng, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rng.nextDouble();
        return x;
    }

    static double[] logUniform(Random rng, int n, int minExp, int maxExp) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextDouble(), minExp + rng.nextInt(maxExp - minExp + 1));
        }
        return x;
    }

    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void specialValuesOfTheArrayKernels() {
        double[] x = {Double.NaN, 1000, -1000, 40, -40, Double.NaN, 0.5, 7, 0.0, -0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 22, -22, 1e-300, -1e-300};
        double[] y = new double[x.length];
        MathKernels.tanh(x, y);
        assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[5]));
        assertEquals(1.0, y[1]);
        assertEquals(-1.0, y[2]);
        assertSameBits(0.0, y[8], "tanh(+0)");
        assertSameBits(-0.0, y[9], "tanh(-0)");
        assertEquals(1.0, y[10]);
        assertEquals(-1.0, y[11]);
        assertEquals(1.0, y[12]);
        assertEquals(-1.0, y[13]);
        assertEquals(1e-300, y[14]);
        assertEquals(-1e-300, y[15]);
        MathKernels.sigmoid(x, y);
        assertTrue(Double.isNaN(y[0]));
        assertEquals(1.0, y[1]);
        assertEquals(0.0, y[2]);
        assertEquals(0.5, y[8]);
        assertEquals(0.5, y[9]);
        assertEquals(1.0, y[10]);
        assertSameBits(0.0, y[11], "sigmoid(-inf)");
        MathKernels.exp(x, y);
        assertTrue(Double.isNaN(y[0]));
        assertEquals(Double.POSITIVE_INFINITY, y[1]);
        assertSameBits(0.0, y[2], "exp(-1000)");
        assertEquals(1.0, y[8]);
        assertEquals(1.0, y[9]);
        assertEquals(Double.POSITIVE_INFINITY, y[10]);
        assertSameBits(0.0, y[11], "exp(-inf)");
        double[] edges = {EXP_OVERFLOW, Math.nextUp(EXP_OVERFLOW), EXP_UNDERFLOW, Math.nextDown(EXP_UNDERFLOW)};
        double[] e = new double[4];
        MathKernels.exp(edges, e);
        assertEquals(StrictMath.exp(EXP_OVERFLOW), e[0]);
        assertTrue(e[0] < Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, e[1]);
        assertEquals(Double.MIN_VALUE, e[2], "exp at the underflow threshold is the smallest subnormal");
        assertSameBits(0.0, e[3], "exp below the underflow threshold");
    }

    @Test
    void sigmoidOfVeryNegativeInputsKeepsItsRelativeAccuracy() {
        double[] x = {-30, -37, -38, -50, -100, -300, -700, -708, -709, -720, -740, -744, -745};
        double[] y = new double[x.length];
        MathKernels.sigmoid(x, y);
        for (int i = 0; i < x.length; i++) {
            double ref = strictSigmoid(x[i]);
            assertTrue(ulps(ref, y[i]) <= 2, "sigmoid(" + x[i] + ") = " + y[i] + ", StrictMath gives " + ref);
            assertTrue(y[i] > 0, "sigmoid(" + x[i] + ") underflowed to 0");
            // Below -37.5 the 1 in 1 + e^x absorbs e^x, so σ(x) is e^x itself, subnormal ones included.
            if (x[i] < -37.5) assertTrue(ulps(StrictMath.exp(x[i]), y[i]) <= 1, "sigmoid(" + x[i] + ") = " + y[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The same bits in other JVMs: interpreted, C1 only, C2, other lane counts, without the module, JDK 25.

    /** The JVMs compared, by their extra options; the first is the reference. */
    private static final List<List<String>> CHILD_CONFIGS = List.of(
            List.of("--add-modules=jdk.incubator.vector"),
            List.of("--add-modules=jdk.incubator.vector", "-Xint"),
            List.of("--add-modules=jdk.incubator.vector", "-XX:TieredStopAtLevel=1"),
            List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector.bits=128"),
            List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector.bits=256"),
            List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector.bits=512"),
            List.of("--add-modules=jdk.incubator.vector", "-Dwengert.vector=false"),
            List.of());

    static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** Runs {@link #main} in a child JVM; returns its "HASH ..." line after checking it reported no drift. */
    static String childHash(String java, List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MathKernelsTest.class.getName());
        // The interpreter is about 100 times slower: fewer repetitions there (nothing gets compiled anyway).
        cmd.add(options.contains("-Xint") ? "2" : options.contains("-XX:TieredStopAtLevel=1") ? "100" : "1000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + "\n" + text);
        assertTrue(text.contains("DRIFT 0\n"), "results changed from call to call in " + cmd + "\n" + text);
        for (String line : text.split("\n")) if (line.startsWith("HASH ")) return line;
        throw new AssertionError("no hash from " + cmd + "\n" + text);
    }

    @Test
    void sameBitsInEveryJvmConfiguration() throws Exception {
        String java = currentJava();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (List<String> options : CHILD_CONFIGS) hashes.put(String.join(" ", options), childHash(java, options));
        if (Files.isExecutable(Path.of(TEMURIN_25))) {
            hashes.put("Temurin 25 " + CHILD_CONFIGS.get(0), childHash(TEMURIN_25, CHILD_CONFIGS.get(0)));
            hashes.put("Temurin 25 without the module", childHash(TEMURIN_25, List.of()));
        } else {
            System.out.println("MathKernelsTest: " + TEMURIN_25 + " not present; the JDK 25 comparison is skipped");
        }
        String reference = hashes.values().iterator().next();
        for (var e : hashes.entrySet()) assertEquals(reference, e.getValue(), "JVM options [" + e.getKey() + "]: " + hashes);
    }

    /**
     * Child-JVM entry point: applies every kernel to a fixed [50, 64] input (plus the special values) the
     * given number of times, prints {@code DRIFT n} (how many calls gave other bits than the first) and
     * {@code HASH} of the outputs of the first call.
     */
    public static void main(String[] args) throws NoSuchAlgorithmException {
        int reps = Integer.parseInt(args[0]);
        double[] x = concat(randomInputs(new Random(42), 50 * 64), specials());
        double[] first = null;
        long drift = 0;
        double[] out = new double[4 * x.length + 1];
        double[] y = new double[x.length];
        for (int r = 0; r < reps; r++) {
            MathKernels.tanh(x, y);
            System.arraycopy(y, 0, out, 0, x.length);
            MathKernels.sigmoid(x, y);
            System.arraycopy(y, 0, out, x.length, x.length);
            MathKernels.exp(x, y);
            System.arraycopy(y, 0, out, 2 * x.length, x.length);
            out[4 * x.length] = MathKernels.expShifted(x, 0, 2.0, y, 0, x.length);
            System.arraycopy(y, 0, out, 3 * x.length, x.length);
            if (first == null) {
                first = out.clone();
            } else {
                for (int i = 0; i < out.length; i++) {
                    if (Double.doubleToLongBits(out[i]) != Double.doubleToLongBits(first[i])) drift++;
                }
            }
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (double v : first) {
            long bits = Double.doubleToLongBits(v);
            for (int b = 0; b < 8; b++) sha.update((byte) (bits >>> (8 * b)));
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) hex.append(String.format("%02x", b));
        System.out.println("vectorized " + MathKernels.vectorized());
        System.out.println("DRIFT " + drift);
        System.out.println("HASH " + hex);
    }
}
