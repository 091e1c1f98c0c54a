package dev.wengert.ops;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;
import org.apache.commons.math3.dfp.DfpMath;

/**
 * An independent reference for the softmax family on one row of logits: every quantity is evaluated in
 * 40-digit decimal arithmetic (commons-math3 {@link Dfp}) from the formulas below, and only the final
 * result is rounded to the nearest double. With {@code m = max z} at k, {@code u = z - m} (exact in 40
 * digits), {@code r = Σ_{j≠k} e^{u_j}}, {@code s = 1 + r}, {@code p = e^u / s}, {@code log p = u - log1p(r)},
 * {@code lse = m + log1p(r)} and, for a tangent t and a cotangent w:
 * <pre>
 *   δ_i = t_i - <p, t> = Σ_j p_j (t_i - t_j)
 *   logSumExp:       VJP w p                      JVP <p, t>          HVP w p ⊙ δ
 *   softmax:         VJP p ⊙ (w - <w, p>)         JVP p ⊙ δ           HVP p ⊙ δ ⊙ (w - <w, p>) - p <w, p ⊙ δ>
 *   logSoftmax:      VJP w - p Σw                 JVP δ               HVP -(Σw) p ⊙ δ
 *   CE, label c:     VJP w (p - e_c)              JVP -δ_c            HVP w p ⊙ δ
 *   CE, targets τ:   VJP w ((Στ) p - τ)           JVP <(Στ) p - τ, t> HVP w (Στ) p ⊙ δ
 * </pre>
 * HVP is the Hessian of {@code <w, f>} times t, i.e. the derivative of the VJP along t; the softmax rows
 * follow from {@code dp = p ⊙ δ} (the Jacobian {@code diag(p) - p pᵀ} applied to t) by the product rule.
 *
 * <p>Differences against {@code <p, ·>} are evaluated with {@code Σ p = 1} folded in (as in δ above,
 * {@code 1 - p_i = Σ_{j≠i} p_j}, {@code w_i - p_i Σw = w_i Σ_{j≠i} p_j - p_i Σ_{j≠i} w_j}), and
 * {@code log1p} by its series where r is small: in 40 digits, {@code 1 - p_0} at {@code [700, 0, -700]}
 * (about 1e-304) would otherwise be lost entirely.
 *
 * <p>Each first-order result comes with a scale: the sum of the magnitudes of the terms of its defining
 * sum (for δ_i, {@code Σ_j p_j |t_i - t_j|}). A result computed from rounded terms cannot be expected
 * closer than a few ulps of that scale when its terms cancel (the targets {@code [0.25, 0.75, 1.25]}
 * against {@code p ≈ [0.12, 0.88, 0.002]} give {@code 2.25 p_0 - 0.25 = 0.013}); where they do not
 * (every case with a dominant probability) the scale is the result itself.
 */
final class Exact {
    private Exact() {}

    static final DfpField F = new DfpField(40);

    /** The double nearest to d: through the decimal string, which (unlike {@link Dfp#toDouble}) keeps subnormals. */
    static double round(Dfp d) {
        if (d.isNaN()) return Double.NaN;
        if (d.isInfinite()) return d.negativeOrNull() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        return Double.parseDouble(d.toString());
    }

    static double[] round(Dfp[] d) {
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) out[i] = round(d[i]);
        return out;
    }

    static Dfp of(double v) {
        return F.newDfp(v);
    }

    /** An exact result, rounded, and per element the scale its accuracy is judged against. */
    static final class Expect {
        final double[] value;
        final double[] scale;

        Expect(Dfp[] value, Dfp[] scale) {
            this.value = round(value);
            this.scale = round(scale);
        }

        /** A result whose terms do not cancel: judged against itself. */
        Expect(Dfp[] value) {
            this.value = round(value);
            this.scale = new double[value.length];
            for (int i = 0; i < value.length; i++) scale[i] = Math.abs(this.value[i]);
        }

        static Expect scalar(Dfp value, Dfp scale) {
            return new Expect(new Dfp[] {value}, new Dfp[] {scale});
        }
    }

    /** {@code log(1 + r)}, by its series below 1e-8 (where 40-digit {@code 1 + r} would drop digits of r). */
    static Dfp log1p(Dfp r) {
        if (r.lessThan(of(1e-8))) {
            Dfp sum = F.getZero();
            Dfp power = r;
            for (int n = 1; n <= 6; n++) {
                Dfp term = power.divide(n);
                sum = n % 2 == 1 ? sum.add(term) : sum.subtract(term);
                power = power.multiply(r);
            }
            return sum;
        }
        return DfpMath.log(F.getOne().add(r));
    }

    /** The softmax quantities of one row of logits without NaN, exactly (to 40 digits). */
    static final class Row {
        final Dfp[] p;
        final Dfp[] logP;
        final Dfp lse;
        final double m;
        final Dfp logS;

        /**
         * The row's quantities. Infinite logits follow the limits the ops document: with m the maximum,
         * the entries equal to m share the mass equally even when m is ±∞ (the limit of shifting a
         * row of equal values), and an entry below an infinite maximum, or a -∞ entry below a finite
         * one, has probability 0 and log-probability -∞. NaN logits are the caller's business.
         */
        Row(double[] z) {
            double m = Double.NEGATIVE_INFINITY;
            int k = 0;
            for (int i = 0; i < z.length; i++) {
                if (z[i] > m) {
                    m = z[i];
                    k = i;
                }
            }
            Dfp[] u = new Dfp[z.length];
            Dfp[] e = new Dfp[z.length];
            Dfp r = F.getZero();
            for (int i = 0; i < z.length; i++) {
                if (z[i] == m) {
                    u[i] = F.getZero();
                } else if (Double.isInfinite(z[i]) || Double.isInfinite(m)) {
                    u[i] = null; // no mass: p = 0, log p = -∞
                } else {
                    u[i] = of(z[i]).subtract(of(m));
                }
                // e^u below 10^-40000 cannot change any rounded result; Dfp's exp would take long.
                e[i] = u[i] == null || u[i].lessThan(of(-1e5)) ? F.getZero() : DfpMath.exp(u[i]);
                if (i != k) r = r.add(e[i]);
            }
            Dfp s = F.getOne().add(r);
            this.m = m;
            this.logS = log1p(r);
            p = new Dfp[z.length];
            logP = new Dfp[z.length];
            for (int i = 0; i < z.length; i++) {
                p[i] = e[i].divide(s);
                logP[i] = u[i] == null ? of(Double.NEGATIVE_INFINITY) : u[i].subtract(logS);
            }
            lse = Double.isInfinite(m) ? of(m) : of(m).add(logS);
        }

        int n() {
            return p.length;
        }

        static Dfp abs(Dfp d) {
            return d.negativeOrNull() ? d.negate() : d;
        }

        /** {@code Σ_{j≠i} p_j}. */
        Dfp others(int i) {
            Dfp s = F.getZero();
            for (int j = 0; j < n(); j++) {
                if (j != i) s = s.add(p[j]);
            }
            return s;
        }

        /** {@code v_i - <p, v> = Σ_j p_j (v_i - v_j)} in [0], its scale {@code Σ_j p_j |v_i - v_j|} in [1]. */
        Dfp[] centered(int i, double[] v) {
            Dfp c = F.getZero();
            Dfp scale = F.getZero();
            for (int j = 0; j < n(); j++) {
                Dfp term = p[j].multiply(of(v[i]).subtract(of(v[j])));
                c = c.add(term);
                scale = scale.add(abs(term));
            }
            return new Dfp[] {c, scale};
        }

        Dfp[] delta(double[] t) {
            Dfp[] d = new Dfp[n()];
            for (int i = 0; i < d.length; i++) d[i] = centered(i, t)[0];
            return d;
        }

        // ---------------------------------------------------------------- logSumExp (w a scalar cotangent)

        Expect lse() {
            // m + log s cancels where m < 0 < log s: judged against |m| + log s.
            return Expect.scalar(lse, Double.isInfinite(m) ? F.getZero() : abs(of(m)).add(logS));
        }

        Expect lseVjp(double w) {
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = p[i].multiply(of(w));
            return new Expect(out);
        }

        Expect lseJvp(double[] t) {
            Dfp v = F.getZero();
            Dfp scale = F.getZero();
            for (int i = 0; i < n(); i++) {
                Dfp term = p[i].multiply(of(t[i]));
                v = v.add(term);
                scale = scale.add(abs(term));
            }
            return Expect.scalar(v, scale);
        }

        double[] lseHvp(double w, double[] t) {
            Dfp[] d = delta(t);
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = p[i].multiply(d[i]).multiply(of(w));
            return round(out);
        }

        // ---------------------------------------------------------------- softmax

        Expect softmax() {
            return new Expect(p);
        }

        Expect softmaxVjp(double[] w) {
            Dfp[] out = new Dfp[n()];
            Dfp[] scale = new Dfp[n()];
            for (int i = 0; i < out.length; i++) {
                Dfp[] c = centered(i, w);
                out[i] = p[i].multiply(c[0]);
                scale[i] = p[i].multiply(c[1]);
            }
            return new Expect(out, scale);
        }

        Expect softmaxJvp(double[] t) {
            return softmaxVjp(t); // the Jacobian is symmetric
        }

        double[] softmaxHvp(double[] w, double[] t) {
            Dfp[] d = delta(t);
            Dfp[] pd = new Dfp[n()];
            for (int i = 0; i < pd.length; i++) pd[i] = p[i].multiply(d[i]);
            Dfp wpd = F.getZero();
            for (int j = 0; j < n(); j++) wpd = wpd.add(pd[j].multiply(of(w[j])));
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) {
                out[i] = pd[i].multiply(centered(i, w)[0]).subtract(p[i].multiply(wpd));
            }
            return round(out);
        }

        // ---------------------------------------------------------------- logSoftmax

        Expect logSoftmax() {
            return new Expect(logP);
        }

        Expect logSoftmaxVjp(double[] w) {
            Dfp[] out = new Dfp[n()];
            Dfp[] scale = new Dfp[n()];
            for (int i = 0; i < out.length; i++) {
                Dfp wOthers = F.getZero();
                Dfp wOthersAbs = F.getZero();
                for (int j = 0; j < n(); j++) {
                    if (j == i) continue;
                    wOthers = wOthers.add(of(w[j]));
                    wOthersAbs = wOthersAbs.add(abs(of(w[j])));
                }
                Dfp a = of(w[i]).multiply(others(i));
                Dfp b = p[i].multiply(wOthers);
                out[i] = a.subtract(b);
                scale[i] = abs(a).add(p[i].multiply(wOthersAbs));
            }
            return new Expect(out, scale);
        }

        Expect logSoftmaxJvp(double[] t) {
            Dfp[] out = new Dfp[n()];
            Dfp[] scale = new Dfp[n()];
            for (int i = 0; i < out.length; i++) {
                Dfp[] c = centered(i, t);
                out[i] = c[0];
                scale[i] = c[1];
            }
            return new Expect(out, scale);
        }

        double[] logSoftmaxHvp(double[] w, double[] t) {
            Dfp[] d = delta(t);
            Dfp sw = F.getZero();
            for (double v : w) sw = sw.add(of(v));
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = p[i].multiply(d[i]).multiply(sw).negate();
            return round(out);
        }

        // ---------------------------------------------------------------- cross-entropy, label c

        Expect ceLabel(int c) {
            return new Expect(new Dfp[] {logP[c].negate()});
        }

        Expect ceLabelVjp(int c, double w) {
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = (i == c ? others(i).negate() : p[i]).multiply(of(w));
            return new Expect(out);
        }

        Expect ceLabelJvp(int c, double[] t) {
            Dfp[] d = centered(c, t);
            return Expect.scalar(d[0].negate(), d[1]);
        }

        // ---------------------------------------------------------------- cross-entropy, targets τ

        /** {@code Σ_c τ_c (-log p_c)}, a zero target adding nothing even where log p = -∞. */
        Expect ceTargets(double[] tau) {
            Dfp s = F.getZero();
            for (int i = 0; i < n(); i++) {
                if (tau[i] != 0) s = s.subtract(of(tau[i]).multiply(logP[i]));
            }
            return new Expect(new Dfp[] {s});
        }

        /** {@code (Στ) p_i - τ_i = p_i Σ_{j≠i} τ_j - τ_i Σ_{j≠i} p_j}: values in [0], scales in [1]. */
        Dfp[][] ceTargetsSlope(double[] tau) {
            Dfp[] out = new Dfp[n()];
            Dfp[] scale = new Dfp[n()];
            for (int i = 0; i < out.length; i++) {
                Dfp tauOthers = F.getZero();
                for (int j = 0; j < n(); j++) {
                    if (j != i) tauOthers = tauOthers.add(of(tau[j]));
                }
                Dfp a = p[i].multiply(tauOthers);
                Dfp b = of(tau[i]).multiply(others(i));
                out[i] = a.subtract(b);
                scale[i] = abs(a).add(abs(b));
            }
            return new Dfp[][] {out, scale};
        }

        Expect ceTargetsVjp(double[] tau, double w) {
            Dfp[][] s = ceTargetsSlope(tau);
            for (int i = 0; i < n(); i++) {
                s[0][i] = s[0][i].multiply(of(w));
                s[1][i] = abs(s[1][i].multiply(of(w)));
            }
            return new Expect(s[0], s[1]);
        }

        Expect ceTargetsJvp(double[] tau, double[] t) {
            Dfp[][] s = ceTargetsSlope(tau);
            Dfp v = F.getZero();
            Dfp scale = F.getZero();
            for (int i = 0; i < n(); i++) {
                v = v.add(s[0][i].multiply(of(t[i])));
                scale = scale.add(abs(s[1][i].multiply(of(t[i]))));
            }
            return Expect.scalar(v, scale);
        }

        /** {@code ∂ loss / ∂τ = -log p}, times w. */
        Expect ceTargetsVjpTargets(double w) {
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = logP[i].negate().multiply(of(w));
            return new Expect(out);
        }

        /** {@code Σ_c (-log p_c) t_c}: terms of both signs when t has both. */
        Expect ceTargetsJvpTargets(double[] t) {
            Dfp v = F.getZero();
            Dfp scale = F.getZero();
            for (int i = 0; i < n(); i++) {
                Dfp term = logP[i].negate().multiply(of(t[i]));
                v = v.add(term);
                scale = scale.add(abs(term));
            }
            return Expect.scalar(v, scale);
        }

        /** The HVP of both label and target cross-entropy with respect to the logits: {@code w (Στ) p ⊙ δ}. */
        double[] ceHvp(double scale, double[] t) {
            Dfp[] d = delta(t);
            Dfp[] out = new Dfp[n()];
            for (int i = 0; i < out.length; i++) out[i] = p[i].multiply(d[i]).multiply(of(scale));
            return round(out);
        }
    }

    // ---------------------------------------------------------------- ulps

    /**
     * The distance of {@code actual} from the correctly rounded {@code expected} in units of the latter's
     * last place: 0 when equal (infinities and NaN included), infinite when only one is infinite or NaN.
     */
    static double ulps(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (actual == expected) return 0;
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return Double.POSITIVE_INFINITY;
        return Math.abs(actual - expected) / Math.ulp(expected);
    }
}
