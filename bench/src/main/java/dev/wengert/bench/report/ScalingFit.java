package dev.wengert.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Fits to the recurrent grid: least-squares scaling exponents on log-log axes, and the straight line
 * through BPTT's state against T that gives the memory crossover with RTRL.
 */
final class ScalingFit {
    private ScalingFit() {}

    /** A straight line {@code y = intercept + slope·x}. */
    record Line(double slope, double intercept) {
        /** Where the line reaches {@code y}. */
        double xAt(double y) {
            return (y - intercept) / slope;
        }
    }

    /** Measurements sorted by n, then by T. */
    static List<Measurement> sorted(List<Measurement> ms) {
        List<Measurement> s = new ArrayList<>(ms);
        s.sort((a, b) -> a.intParam("n") != b.intParam("n") ? Integer.compare(a.intParam("n"), b.intParam("n"))
                : Integer.compare(a.intParam("steps"), b.intParam("steps")));
        return s;
    }

    /** The slope of log y against log n over the three largest n at the T with most points; [slope, T]. */
    static double[] slopeInN(List<Measurement> ms, ToDoubleFunction<Measurement> y) {
        Map<Integer, List<Measurement>> byT = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("steps")));
        List<Measurement> best = byT.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElse(null);
        if (best == null || best.size() < 2) return null;
        List<Measurement> s = sorted(best);
        s = s.subList(Math.max(0, s.size() - 3), s.size());
        double[] x = s.stream().mapToDouble(m -> Math.log(m.intParam("n"))).toArray();
        double[] v = s.stream().mapToDouble(m -> Math.log(y.applyAsDouble(m))).toArray();
        return new double[] {leastSquaresSlope(x, v), s.get(0).intParam("steps")};
    }

    /** The slope of log y against log T at the n with most T values; [slope, n]. */
    static double[] slopeInT(List<Measurement> ms, ToDoubleFunction<Measurement> y) {
        Map<Integer, List<Measurement>> byN = ms.stream().collect(Collectors.groupingBy(m -> m.intParam("n")));
        List<Measurement> best = byN.values().stream().max((a, b) -> a.size() != b.size()
                ? Integer.compare(a.size(), b.size()) : Integer.compare(a.get(0).intParam("n"), b.get(0).intParam("n")))
                .orElse(null);
        if (best == null || best.size() < 2) return null;
        double[] x = best.stream().mapToDouble(m -> Math.log(m.intParam("steps"))).toArray();
        double[] v = best.stream().mapToDouble(m -> Math.log(y.applyAsDouble(m))).toArray();
        return new double[] {leastSquaresSlope(x, v), best.get(0).intParam("n")};
    }

    /** The least-squares slope of y against x; NaN when x does not vary. */
    static double leastSquaresSlope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * BPTT's state against T: the least-squares line through two or more points, a line through the origin
     * for one point, null for none.
     */
    static Line stateAgainstT(List<Measurement> bptt) {
        if (bptt.isEmpty()) return null;
        if (bptt.size() == 1) return new Line(bptt.get(0).stateBytes / bptt.get(0).intParam("steps"), 0);
        double[] x = bptt.stream().mapToDouble(m -> m.intParam("steps")).toArray();
        double[] y = bptt.stream().mapToDouble(m -> m.stateBytes).toArray();
        double slope = leastSquaresSlope(x, y);
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        return new Line(slope, my - slope * mx);
    }
}
