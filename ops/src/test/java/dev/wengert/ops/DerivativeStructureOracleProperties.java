package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * An independent oracle: random scalar expressions in two variables, built once with Wengert's ops
 * and once with commons-math3's {@link DerivativeStructure} (forward-mode automatic differentiation
 * by a different implementation); values, first derivatives (reverse and forward mode) and second
 * derivatives (reverse over reverse) must agree.
 */
class DerivativeStructureOracleProperties {
    private static final double TOLERANCE = 1e-9;

    /** One expression, both ways. */
    private static final class Expr {
        final Tensor w;
        final DerivativeStructure ds;
        final String text;

        Expr(Tensor w, DerivativeStructure ds, String text) {
            this.w = w;
            this.ds = ds;
            this.text = text;
        }
    }

    /**
     * A random smooth expression. Arguments that need a domain are guarded (log of 1 + e², division by
     * 2 + tanh e, powers of a positive base) so that every expression is defined and moderate.
     */
    private static Expr build(Random rng, int depth, Expr a, Expr b) {
        return build(rng, depth, a, b, true);
    }

    private static Expr build(Random rng, int depth, Expr a, Expr b, boolean root) {
        if (depth == 0 || (!root && rng.nextInt(5) == 0)) {
            int leaf = rng.nextInt(3);
            if (leaf == 0) return a;
            if (leaf == 1) return b;
            double c = Math.round(rng.nextGaussian() * 100) / 100.0;
            return new Expr(Tensor.scalar(c), a.ds.getField().getZero().add(c), Double.toString(c));
        }
        Expr x = build(rng, depth - 1, a, b, false);
        switch (rng.nextInt(13)) {
            case 0: {
                Expr y = build(rng, depth - 1, a, b, false);
                return new Expr(Ops.add(x.w, y.w), x.ds.add(y.ds), "(" + x.text + " + " + y.text + ")");
            }
            case 1: {
                Expr y = build(rng, depth - 1, a, b, false);
                return new Expr(Ops.sub(x.w, y.w), x.ds.subtract(y.ds), "(" + x.text + " - " + y.text + ")");
            }
            case 2:
            case 3: {
                Expr y = build(rng, depth - 1, a, b, false);
                return new Expr(Ops.mul(x.w, y.w), x.ds.multiply(y.ds), "(" + x.text + " * " + y.text + ")");
            }
            case 4: {
                Expr y = build(rng, depth - 1, a, b, false);
                Tensor den = Ops.add(2.0, Ops.tanh(y.w));
                return new Expr(Ops.div(x.w, den), x.ds.divide(y.ds.tanh().add(2.0)),
                        "(" + x.text + " / (2 + tanh " + y.text + "))");
            }
            case 5:
                return new Expr(Ops.neg(x.w), x.ds.negate(), "-" + x.text);
            case 6:
                return new Expr(Ops.exp(Ops.tanh(x.w)), x.ds.tanh().exp(), "exp(tanh " + x.text + ")");
            case 7:
                return new Expr(Ops.log(Ops.add(1.0, Ops.square(x.w))), x.ds.multiply(x.ds).add(1.0).log(),
                        "log(1 + " + x.text + "²)");
            case 8:
                return new Expr(Ops.sqrt(Ops.add(1.0, Ops.square(x.w))), x.ds.multiply(x.ds).add(1.0).sqrt(),
                        "sqrt(1 + " + x.text + "²)");
            case 9:
                return new Expr(Ops.tanh(x.w), x.ds.tanh(), "tanh " + x.text);
            case 10: {
                // The oracle in the form that cannot overflow: 1/(1+e^−x) for x ≥ 0, e^x/(1+e^x) below
                // (the first form gives Inf/Inf = NaN derivatives at x ≈ −800).
                DerivativeStructure sigma;
                if (x.ds.getValue() >= 0) {
                    sigma = x.ds.getField().getOne().divide(x.ds.negate().exp().add(1.0));
                } else {
                    DerivativeStructure ex = x.ds.exp();
                    sigma = ex.divide(ex.add(1.0));
                }
                return new Expr(Ops.sigmoid(x.w), sigma, "σ(" + x.text + ")");
            }
            case 11: {
                Expr y = build(rng, depth - 1, a, b, false);
                // (1 + x²)^(tanh y): a positive base and a bounded exponent
                Tensor base = Ops.add(1.0, Ops.square(x.w));
                DerivativeStructure dsBase = x.ds.multiply(x.ds).add(1.0);
                return new Expr(Ops.pow(base, Ops.tanh(y.w)), dsBase.pow(y.ds.tanh()),
                        "(1 + " + x.text + "²)^tanh " + y.text);
            }
            default: {
                double p = 1 + rng.nextInt(3);
                // DerivativeStructure's integer power: its pow(double) is NaN at a zero base.
                return new Expr(Ops.pow(x.w, p), x.ds.pow((int) p), x.text + "^" + (int) p);
            }
        }
    }

    private static void close(String what, double expected, double actual, double scale, String expr) {
        double err = Math.abs(expected - actual);
        assertTrue(err <= TOLERANCE * Math.max(Math.abs(expected), scale), what + ": DerivativeStructure "
                + expected + ", Wengert " + actual + " for " + expr);
    }

    @Property(tries = 400)
    void valuesFirstAndSecondDerivativesAgree(@ForAll long seed) {
        Random rng = new Random(seed);
        double av = rng.nextGaussian();
        double bv = rng.nextGaussian();
        DerivativeStructure da = new DerivativeStructure(2, 2, 0, av);
        DerivativeStructure db = new DerivativeStructure(2, 2, 1, bv);
        Tensor a = Tensor.scalar(av).requiresGrad();
        Tensor b = Tensor.scalar(bv).requiresGrad();
        int depth = 1 + rng.nextInt(5);
        try (Tape tape = Tape.openRetained()) {
            Expr e = build(rng, depth, new Expr(a, da, "a"), new Expr(b, db, "b"));
            boolean trivial = e.w.isLeaf(); // a constant or a bare variable: nothing to differentiate
            Statistics.label("expression").collect(trivial ? "trivial" : "compared");
            Statistics.label("expression").coverage(c -> c.check("compared").percentage(p -> p > 80));
            if (trivial) return;
            DerivativeStructure d = e.ds;
            double scale = Math.max(1.0, Math.abs(d.getValue()));
            close("value", d.getValue(), e.w.item(), scale, e.text);

            Tensor[] g = tape.recordedGradient(e.w, a, b);
            double ga = d.getPartialDerivative(1, 0);
            double gb = d.getPartialDerivative(0, 1);
            double gScale = Math.max(1.0, Math.max(Math.abs(ga), Math.abs(gb)));
            close("d/da", ga, g[0].item(), gScale, e.text);
            close("d/db", gb, g[1].item(), gScale, e.text);

            double haa = d.getPartialDerivative(2, 0);
            double hab = d.getPartialDerivative(1, 1);
            double hbb = d.getPartialDerivative(0, 2);
            double hScale = Math.max(gScale, Math.max(Math.abs(haa), Math.max(Math.abs(hab), Math.abs(hbb))));
            Tensor[] hA = secondRow(tape, g[0], a, b);
            Tensor[] hB = secondRow(tape, g[1], a, b);
            close("d²/da²", haa, hA[0].item(), hScale, e.text);
            close("d²/dadb", hab, hA[1].item(), hScale, e.text);
            close("d²/dbda", hab, hB[0].item(), hScale, e.text);
            close("d²/db²", hbb, hB[1].item(), hScale, e.text);

            // Forward mode, both directions at once.
            Expr[] holder = new Expr[1];
            ForwardMode.Result r = ForwardMode.jvpBatch(2, in -> {
                Random again = new Random(seed);
                again.nextGaussian();
                again.nextGaussian();
                again.nextInt(5);
                holder[0] = build(again, depth, new Expr(in[0], da, "a"), new Expr(in[1], db, "b"));
                return new Tensor[] {holder[0].w};
            }, new Tensor[] {Tensor.scalar(av), Tensor.scalar(bv)},
                    new Tensor[] {Tensor.vector(1, 0), Tensor.vector(0, 1)});
            close("jvp d/da", ga, r.tangent().data()[0], gScale, e.text);
            close("jvp d/db", gb, r.tangent().data()[1], gScale, e.text);
        }
    }

    /** The gradient of a recorded first derivative; zeros where it does not depend on a variable. */
    private static Tensor[] secondRow(Tape tape, Tensor first, Tensor a, Tensor b) {
        if (first.isLeaf()) return new Tensor[] {Tensor.scalar(0), Tensor.scalar(0)};
        return tape.recordedGradient(first, a, b);
    }
}
