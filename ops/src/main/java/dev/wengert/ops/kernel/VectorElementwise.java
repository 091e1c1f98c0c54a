package dev.wengert.ops.kernel;

import static dev.wengert.ops.kernel.ScalarElementwise.EXP_BIAS_SHIFT;
import static dev.wengert.ops.kernel.ScalarElementwise.EXP_OVERFLOW;
import static dev.wengert.ops.kernel.ScalarElementwise.EXP_TINY;
import static dev.wengert.ops.kernel.ScalarElementwise.EXP_UNDERFLOW;
import static dev.wengert.ops.kernel.ScalarElementwise.INV_LN2;
import static dev.wengert.ops.kernel.ScalarElementwise.LN2_HI;
import static dev.wengert.ops.kernel.ScalarElementwise.LN2_LO;
import static dev.wengert.ops.kernel.ScalarElementwise.P1;
import static dev.wengert.ops.kernel.ScalarElementwise.P2;
import static dev.wengert.ops.kernel.ScalarElementwise.P3;
import static dev.wengert.ops.kernel.ScalarElementwise.P4;
import static dev.wengert.ops.kernel.ScalarElementwise.P5;
import static dev.wengert.ops.kernel.ScalarElementwise.Q1;
import static dev.wengert.ops.kernel.ScalarElementwise.Q2;
import static dev.wengert.ops.kernel.ScalarElementwise.Q3;
import static dev.wengert.ops.kernel.ScalarElementwise.Q4;
import static dev.wengert.ops.kernel.ScalarElementwise.Q5;
import static dev.wengert.ops.kernel.ScalarElementwise.SHIFT;
import static dev.wengert.ops.kernel.ScalarElementwise.TANH_SATURATION;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise kernels of {@link ScalarElementwise} on {@code jdk.incubator.vector}: every lane goes
 * through exactly the operations the scalar code performs on one value, in the same order (the branches
 * become blends of both sides), so the two give the same bits for every input, at any lane count. Only
 * lanewise add, subtract, multiply, divide, compare, blend and bit operations are used: never the Vector
 * API's transcendental operations (EXP, EXPM1, TANH), whose results change once C2 replaces them with
 * SIMD library routines. Tails shorter than a vector go to the scalar code. Loaded reflectively by
 * {@link MathKernels} only when the module is present; the species is {@link VectorMicroKernels#S}.
 */
final class VectorElementwise implements ElementwiseKernel {
    private static final VectorSpecies<Double> S = VectorMicroKernels.S;
    private static final int L = S.length();
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);
    private static final DoubleVector THREE = DoubleVector.broadcast(S, 3.0);
    private static final DoubleVector SIX = DoubleVector.broadcast(S, 6.0);
    private static final long SIGN = Long.MIN_VALUE;

    VectorElementwise() {}

    /** Entry point for {@link MathKernels}: null when vectors have fewer than two lanes. */
    static ElementwiseKernel create() {
        return L >= 2 ? new VectorElementwise() : null;
    }

    static int lanes() {
        return L;
    }

    /**
     * In three passes over blocks of {@link #BLOCK} elements, each a small loop: C2 gives up inlining the
     * Vector API's methods once a method has too many operations (its NodeCountInliningCutoff), and every
     * operation that is not inlined allocates its vectors, which made a one-pass tanh ten times slower.
     * The intermediate results go to y (to a temporary array when y is x); the second pass recomputes the
     * argument reduction rather than storing it.
     */
    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        int up = S.loopBound(n);
        boolean inPlace = x == y;
        double[] tmp = inPlace ? new double[Math.min(up, BLOCK)] : y;
        for (int b = 0; b < up; b += BLOCK) {
            int len = Math.min(BLOCK, up - b);
            int tOff = inPlace ? 0 : yOff + b;
            tanhCorrections(x, xOff + b, tmp, tOff, len);
            tanhExpm1(x, xOff + b, tmp, tOff, len);
            tanhFinish(x, xOff + b, tmp, tOff, y, yOff + b, len);
        }
        ScalarElementwise.INSTANCE.tanh(x, xOff + up, y, yOff + up, n - up);
    }

    /** Elements per block of the multi-pass kernels: the intermediate array stays in L1. */
    private static final int BLOCK = 512;

    /** tanh's argument for expm1: −2|x| below 1, else 2 min(|x|, 22). */
    private static DoubleVector tanhArgument(DoubleVector x) {
        DoubleVector a = x.abs();
        return a.min(TANH_SATURATION).mul(2.0).blend(a.mul(-2.0), a.compare(VectorOperators.LT, 1.0));
    }

    /** Pass 1: e, fdlibm's expm1 correction, for tanh's argument. */
    private static void tanhCorrections(double[] x, int xOff, double[] e, int eOff, int len) {
        for (int i = 0; i < len; i += L) {
            DoubleVector u = tanhArgument(DoubleVector.fromArray(S, x, xOff + i));
            DoubleVector k = u.mul(INV_LN2).add(SHIFT).sub(SHIFT);
            DoubleVector hi = u.sub(k.mul(LN2_HI));
            DoubleVector lo = k.mul(LN2_LO);
            DoubleVector r = hi.sub(lo);
            expm1Correction(r, hi.sub(r).sub(lo)).intoArray(e, eOff + i);
        }
    }

    /** Pass 2: t = expm1 of tanh's argument, from the corrections (replaced by t). */
    private static void tanhExpm1(double[] x, int xOff, double[] et, int etOff, int len) {
        for (int i = 0; i < len; i += L) {
            DoubleVector u = tanhArgument(DoubleVector.fromArray(S, x, xOff + i));
            DoubleVector k = u.mul(INV_LN2).add(SHIFT).sub(SHIFT);
            DoubleVector r = u.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            expm1Assemble(k, r, DoubleVector.fromArray(S, et, etOff + i)).intoArray(et, etOff + i);
        }
    }

    /** Pass 3: tanh from t: −t / (t + 2) below 1, 1 − 2 / (t + 2) above, with the sign of x. */
    private static void tanhFinish(double[] x, int xOff, double[] t, int tOff, double[] y, int yOff, int len) {
        for (int i = 0; i < len; i += L) {
            DoubleVector xv = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector tv = DoubleVector.fromArray(S, t, tOff + i);
            VectorMask<Double> small = xv.abs().compare(VectorOperators.LT, 1.0);
            DoubleVector q = TWO.blend(tv.neg(), small).div(tv.add(2.0));
            DoubleVector z = ONE.sub(q).blend(q, small);
            LongVector signOfX = xv.viewAsIntegralLanes().and(SIGN);
            DoubleVector signed = z.viewAsIntegralLanes().and(~SIGN).or(signOfX).viewAsFloatingLanes();
            signed.blend(xv, xv.test(VectorOperators.IS_NAN)).intoArray(y, yOff + i);
        }
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            sigmoid(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        ScalarElementwise.INSTANCE.sigmoid(x, xOff + i, y, yOff + i, n - i);
    }

    @Override
    public void exp(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            exp(DoubleVector.fromArray(S, x, xOff + i).sub(shift)).intoArray(y, yOff + i);
        }
        ScalarElementwise.INSTANCE.exp(x, xOff + i, shift, y, yOff + i, n - i);
    }

    @Override
    public double expShifted(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        exp(x, xOff, shift, y, yOff, n);
        // A second pass over y (still in L1) so the order of the sum does not depend on the lane count.
        return ScalarElementwise.sum8(y, yOff, n);
    }

    /** {@link ScalarElementwise#pow2}: 2^k from the bits of k + SHIFT + 1023. */
    private static DoubleVector pow2(DoubleVector k) {
        return k.add(EXP_BIAS_SHIFT).viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
    }

    /** {@link ScalarElementwise#exp}, lane by lane. */
    private static DoubleVector exp(DoubleVector x) {
        DoubleVector k = x.mul(INV_LN2).add(SHIFT).sub(SHIFT);
        DoubleVector hi = x.sub(k.mul(LN2_HI));
        DoubleVector lo = k.mul(LN2_LO);
        DoubleVector r = hi.sub(lo);
        DoubleVector t = r.mul(r);
        DoubleVector poly = t.mul(P5).add(P4).mul(t).add(P3).mul(t).add(P2).mul(t).add(P1);
        DoubleVector c = r.sub(t.mul(poly));
        DoubleVector er = ONE.sub(lo.sub(r.mul(c).div(TWO.sub(c))).sub(hi));
        DoubleVector k1 = k.mul(0.5).add(SHIFT).sub(SHIFT);
        DoubleVector e = er.mul(pow2(k1)).mul(pow2(k.sub(k1)));
        return e.blend(x.add(1.0), x.abs().compare(VectorOperators.LT, EXP_TINY))
                .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_OVERFLOW))
                .blend(0.0, x.compare(VectorOperators.LT, EXP_UNDERFLOW))
                .blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** fdlibm's rational kernel: e with {@code expm1(r + c) ≈ r - e}. */
    private static DoubleVector expm1Correction(DoubleVector r, DoubleVector c) {
        DoubleVector hfx = r.mul(0.5);
        DoubleVector hxs = r.mul(hfx);
        DoubleVector r1 = hxs.mul(Q5).add(Q4).mul(hxs).add(Q3).mul(hxs).add(Q2).mul(hxs).add(Q1).mul(hxs).add(1.0);
        DoubleVector t = THREE.sub(r1.mul(hfx));
        DoubleVector e = hxs.mul(r1.sub(t).div(SIX.sub(r.mul(t))));
        return r.mul(e.sub(c)).sub(c).sub(hxs);
    }

    /** expm1(k ln2 + r) from k, r and the correction e, by the formula for k's range. */
    private static DoubleVector expm1Assemble(DoubleVector k, DoubleVector r, DoubleVector e) {
        DoubleVector twoToK = pow2(k);
        DoubleVector twoToMinusK = pow2(k.neg());
        DoubleVector below20 = ONE.sub(twoToMinusK).sub(e.sub(r));
        DoubleVector from20 = r.sub(e.add(twoToMinusK)).add(1.0);
        DoubleVector minus2OrLess = ONE.sub(e.sub(r)).mul(twoToK).sub(1.0);
        DoubleVector minus1 = r.sub(e).mul(0.5).sub(0.5);
        return below20.blend(from20, k.compare(VectorOperators.GE, 20.0)).mul(twoToK)
                .blend(minus2OrLess, k.compare(VectorOperators.LE, -2.0))
                .blend(minus1, k.compare(VectorOperators.EQ, -1.0));
    }

    /** {@link ScalarElementwise#sigmoid}, lane by lane. */
    private static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = exp(x.abs().neg());
        return ONE.blend(e, x.compare(VectorOperators.LT, 0.0)).div(e.add(1.0));
    }
}
