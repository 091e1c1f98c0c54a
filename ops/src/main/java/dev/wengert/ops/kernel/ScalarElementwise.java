package dev.wengert.ops.kernel;

/**
 * The plain-Java elementwise kernels, and the definition of their results: {@code VectorElementwise}
 * performs exactly the same operations lane by lane, so both give the same bits.
 *
 * <p>Why not {@code Math.exp} or {@code Math.tanh}: their results may differ between the interpreter and
 * compiled code, and between JDK versions and vendors (JDK 24 added an x86 intrinsic for Math.tanh, for
 * instance), and the Vector API's EXP and EXPM1 differ again once C2 compiles them to SIMD routines. Here
 * every function is built only from operations IEEE 754 rounds exactly ({@code + - * /}) and exact bit
 * manipulation, so its result is fixed by the Java language itself, in any JVM, mode or lane count.
 * The algorithms and constants are fdlibm's (the definition of {@link StrictMath}), with the branches
 * written so that a vector can take both sides and blend:
 *
 * <pre>
 *   exp(x):   x = k ln2 + r, k = rint(x / ln2), |r| ≤ ln2/2, ln2 = LN2_HI + LN2_LO (k·LN2_HI and
 *             hi = x − k·LN2_HI exact, lo = k·LN2_LO, r = hi − lo);
 *             c = r − r²(P1 + r²(P2 + r²(P3 + r²(P4 + r² P5))))     (Remez, |error| &lt; 2^-59)
 *             e^x = 2^k (1 − ((lo − r c / (2 − c)) − hi)), 2^k as two exact power-of-two factors so that
 *             a subnormal result is rounded once; 1 + x for |x| &lt; 2^-28
 *   expm1(u): the same reduction, c = (hi − r) − lo the rounding error of r; fdlibm's rational kernel
 *             hxs = r²/2, r1 = 1 + hxs(Q1 + ... + hxs Q5), t = 3 − r1 r/2,
 *             e = (r (hxs (r1 − t) / (6 − r t) − c) − c) − hxs, so that expm1(r + c) ≈ r − e; then
 *             k = 0: r − e     k = −1: (r − e)/2 − 1/2     k ≤ −2: 2^k (1 − (e − r)) − 1
 *             1 ≤ k &lt; 20: 2^k ((1 − 2^-k) − (e − r))      k ≥ 20: 2^k ((r − (e + 2^-k)) + 1)
 *   tanh(x):  a = |x|; a &lt; 1: −t / (t + 2) with t = expm1(−2a); a ≥ 1: 1 − 2 / (t + 2) with
 *             t = expm1(2 min(a, 22)) (tanh rounds to 1 long before 22); the sign of x
 *   σ(x):     E = exp(−|x|) in (0, 1]: 1 / (1 + E) for x ≥ 0, E / (1 + E) for x &lt; 0 (no overflow, and
 *             full relative accuracy down to the subnormal results of very negative x)
 * </pre>
 *
 * So exp and tanh give StrictMath's bits except where fdlibm picks k another way (its k is
 * {@code (int) (x / ln2 ± 1/2)}, and 0 up to a few ulp above ln2/2): there they differ by at most 1 ulp
 * (see {@code MathKernelsTest} for the measurements). σ is exactly the formula above on this exp.
 */
final class ScalarElementwise implements ElementwiseKernel {
    static final ScalarElementwise INSTANCE = new ScalarElementwise();

    private ScalarElementwise() {}

    // fdlibm's constants (e_exp.c, s_expm1.c), as exact hexadecimal literals.
    static final double LN2_HI = 0x1.62e42feep-1;
    static final double LN2_LO = 0x1.a39ef35793c76p-33;
    static final double INV_LN2 = 0x1.71547652b82fep0;
    /** Above this exp overflows to +∞ (fdlibm's o_threshold). */
    static final double EXP_OVERFLOW = 0x1.62e42fefa39efp9;
    /** Below this exp rounds to 0 (fdlibm's u_threshold). */
    static final double EXP_UNDERFLOW = -0x1.74910d52d3051p9;
    static final double P1 = 0x1.555555555553ep-3;
    static final double P2 = -0x1.6c16c16bebd93p-9;
    static final double P3 = 0x1.1566aaf25de2cp-14;
    static final double P4 = -0x1.bbd41c5d26bf1p-20;
    static final double P5 = 0x1.6376972bea4d0p-25;
    static final double Q1 = -0x1.11111111110f4p-5;
    static final double Q2 = 0x1.a01a019fe5585p-10;
    static final double Q3 = -0x1.4ce199eaadbb7p-14;
    static final double Q4 = 0x1.0cfca86e65239p-18;
    static final double Q5 = -0x1.afdb76e09c32dp-23;
    /**
     * 1.5·2^52: for |v| &lt; 2^51, {@code (v + SHIFT) - SHIFT} is v rounded to the nearest integer, and
     * the low bits of {@code v + SHIFT} hold that integer.
     */
    static final double SHIFT = 0x1.8p52;
    /** SHIFT + 1023: the low 11 bits of {@code k + EXP_BIAS_SHIFT} are the biased exponent of 2^k. */
    static final double EXP_BIAS_SHIFT = SHIFT + 1023;
    /** Below this |x|, fdlibm's exp returns 1 + x. */
    static final double EXP_TINY = 0x1p-28;
    /** Beyond this |x|, tanh(x) rounds to ±1 (fdlibm's cut-off); also keeps expm1 in range. */
    static final double TANH_SATURATION = 22.0;

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = tanh(x[xOff + i]);
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = sigmoid(x[xOff + i]);
    }

    @Override
    public void exp(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = exp(x[xOff + i] - shift);
    }

    @Override
    public double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        exp(x, xOff, shift, y, yOff, n);
        return sum8(y, yOff, n);
    }

    /**
     * The sum of {@code y[off .. off+n)} in a fixed order, whatever the vector width: element i goes to
     * partial sum {@code i mod 8}, and the eight are added as {@code ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7))}.
     */
    static double sum8(double[] y, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int j = off + i;
            s0 += y[j];
            s1 += y[j + 1];
            s2 += y[j + 2];
            s3 += y[j + 3];
            s4 += y[j + 4];
            s5 += y[j + 5];
            s6 += y[j + 6];
            s7 += y[j + 7];
        }
        int rest = n - i;
        int j = off + i;
        if (rest > 0) s0 += y[j];
        if (rest > 1) s1 += y[j + 1];
        if (rest > 2) s2 += y[j + 2];
        if (rest > 3) s3 += y[j + 3];
        if (rest > 4) s4 += y[j + 4];
        if (rest > 5) s5 += y[j + 5];
        if (rest > 6) s6 += y[j + 6];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** 2^k for an integer-valued k in [-1022, 1023], from its bits. */
    static double pow2(double k) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(k + EXP_BIAS_SHIFT) << 52);
    }

    /** e^x. NaN gives NaN, above {@link #EXP_OVERFLOW} +∞, below {@link #EXP_UNDERFLOW} +0. */
    static double exp(double x) {
        double k = (x * INV_LN2 + SHIFT) - SHIFT;
        double hi = x - k * LN2_HI;
        double lo = k * LN2_LO;
        double r = hi - lo;
        double t = r * r;
        double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        double er = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
        // 2^k in two factors, each a normal number for k in [-1075, 1024]: the first product is exact,
        // so a subnormal result is rounded once, as fdlibm does.
        double k1 = (k * 0.5 + SHIFT) - SHIFT;
        double e = er * pow2(k1) * pow2(k - k1);
        if (Math.abs(x) < EXP_TINY) e = 1.0 + x;
        if (x > EXP_OVERFLOW) e = Double.POSITIVE_INFINITY;
        if (x < EXP_UNDERFLOW) e = 0.0;
        if (x != x) e = x;
        return e;
    }

    /**
     * e^u − 1 for u in [-2, 0] and [2, 44], the arguments tanh needs: fdlibm's expm1 for every k but 1 (not
     * needed) and those above 56 (u above 56.5 ln 2 ≈ 39.2, where tanh rounds to 1 anyway), which the k ≥ 20 form
     * covers to within an ulp. Outside those ranges the result is not specified.
     */
    static double expm1(double u) {
        double k = (u * INV_LN2 + SHIFT) - SHIFT;
        double hi = u - k * LN2_HI;
        double lo = k * LN2_LO;
        double r = hi - lo;
        double c = (hi - r) - lo;
        double hfx = 0.5 * r;
        double hxs = r * hfx;
        double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - r * t));
        e = (r * (e - c) - c) - hxs;
        if (k == -1) return 0.5 * (r - e) - 0.5;
        if (k <= -2) return (1.0 - (e - r)) * pow2(k) - 1.0;
        double twoToMinusK = pow2(-k);
        double y = k < 20 ? (1.0 - twoToMinusK) - (e - r) : (r - (e + twoToMinusK)) + 1.0;
        return y * pow2(k);
    }

    /** tanh x, odd (tanh(−0) = −0), ±1 beyond ±22 and at ±∞, NaN for NaN. */
    static double tanh(double x) {
        double a = Math.abs(x);
        boolean small = a < 1.0;
        double t = expm1(small ? -2.0 * a : 2.0 * Math.min(a, TANH_SATURATION));
        double d = t + 2.0;
        double z = small ? -t / d : 1.0 - 2.0 / d;
        if (x != x) return x;
        return Math.copySign(z, x);
    }

    /** σ(x) = 1 / (1 + e^{−x}), evaluated so that neither sign of x overflows. */
    static double sigmoid(double x) {
        double e = exp(-Math.abs(x));
        return (x < 0 ? e : 1.0) / (1.0 + e);
    }
}
