package dev.wengert.nn;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * Central finite differences with respect to the parameters a module holds (GradCheck differentiates
 * with respect to function inputs; parameters are fields of the layer under test, so they are perturbed
 * in place here). Fourth-order stencil {@code (f(-2h) - 8f(-h) + 8f(h) - f(2h)) / 12h}.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    static final double STEP = 1e-4;

    /** The numeric gradient of the scalar {@code loss} with respect to every element of {@code p}. */
    static double[] gradient(Supplier<Tensor> loss, Tensor p) {
        double[] g = new double[p.size()];
        for (int i = 0; i < g.length; i++) {
            double x0 = p.data()[i];
            double h = STEP * Math.max(1, Math.abs(x0));
            double[] f = new double[4];
            double[] offsets = {-2, -1, 1, 2};
            for (int s = 0; s < 4; s++) {
                p.mutableData()[i] = x0 + offsets[s] * h;
                try (var pause = Tape.pause()) {
                    f[s] = loss.get().item();
                }
            }
            p.mutableData()[i] = x0;
            g[i] = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
        }
        return g;
    }

    /** The gradients of {@code loss} with respect to {@code params} by reverse mode (backward into grad()). */
    static double[][] backward(Supplier<Tensor> loss, List<Tensor> params) {
        for (Tensor p : params) p.zeroGrad();
        try (Tape tape = Tape.open()) {
            tape.backward(loss.get());
        }
        double[][] out = new double[params.size()][];
        for (int i = 0; i < out.length; i++) {
            Tensor g = params.get(i).grad();
            out[i] = g == null ? new double[params.get(i).size()] : g.toArray();
            params.get(i).zeroGrad();
        }
        return out;
    }

    /**
     * The worst disagreement between reverse-mode and finite-difference gradients over all parameter
     * elements: relative error, except that elements whose absolute error is below {@code 1e-9} times the
     * largest gradient pass (finite differences cannot resolve values at rounding level).
     */
    static double worstRelativeError(Supplier<Tensor> loss, List<Tensor> params) {
        double[][] analytic = backward(loss, params);
        double scale = 1e-300;
        for (double[] a : analytic) for (double v : a) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        for (int k = 0; k < params.size(); k++) {
            double[] numeric = gradient(loss, params.get(k));
            for (int i = 0; i < numeric.length; i++) {
                if (Math.abs(analytic[k][i] - numeric[i]) <= 1e-9 * Math.max(1, scale)) continue;
                worst = Math.max(worst, GradCheck.relativeError(analytic[k][i], numeric[i]));
            }
        }
        return worst;
    }
}
