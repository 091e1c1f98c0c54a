package dev.wengert.bench.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One benchmarked combination: which benchmark method, its {@code @Param} values, the median and the
 * quartiles of its per-iteration scores, the unit, and the bytes JMH's GC profiler saw allocated per
 * operation (NaN when not profiled); plus, for the recurrent suite, the bytes kept alive at the peak.
 */
public final class Measurement {
    final String benchmark;
    final Map<String, String> params;
    final double median;
    final double q1;
    final double q3;
    final String unit;
    final double allocBytes;
    double stateBytes = Double.NaN;

    Measurement(String benchmark, Map<String, String> params, double median, double q1, double q3, String unit,
            double allocBytes) {
        this.benchmark = benchmark;
        this.params = new TreeMap<>(params);
        this.median = median;
        this.q1 = q1;
        this.q3 = q3;
        this.unit = unit;
        this.allocBytes = allocBytes;
    }

    /** The short benchmark name, e.g. {@code BenchmarkMatMul.multiply}. */
    String name() {
        int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
        return benchmark.substring(dot + 1);
    }

    String param(String key) {
        return params.get(key);
    }

    int intParam(String key) {
        return Integer.parseInt(params.get(key));
    }

    /** The median converted to milliseconds (scores are average times). */
    double millis() {
        return median * scale(unit);
    }

    double q1Millis() {
        return q1 * scale(unit);
    }

    double q3Millis() {
        return q3 * scale(unit);
    }

    private static double scale(String unit) {
        switch (unit) {
            case "ns/op":
                return 1e-6;
            case "us/op":
                return 1e-3;
            case "ms/op":
                return 1.0;
            case "s/op":
                return 1e3;
            default:
                throw new IllegalArgumentException("report: unexpected unit " + unit);
        }
    }

    /** The measurements of one benchmark method (short name, as {@link #name()}) that pass a filter. */
    static List<Measurement> select(List<Measurement> ms, String method, Predicate<Measurement> p) {
        return ms.stream().filter(m -> m.name().equals(method) && p.test(m)).collect(Collectors.toList());
    }

    /** The first measurement of a method that passes a filter, or null. */
    static Measurement first(List<Measurement> ms, String method, Predicate<Measurement> p) {
        List<Measurement> s = select(ms, method, p);
        return s.isEmpty() ? null : s.get(0);
    }

    /** The fastest of some measurements, or null when there are none. */
    static Measurement fastest(List<Measurement> ms) {
        return ms.stream().min((a, b) -> Double.compare(a.millis(), b.millis())).orElse(null);
    }

    @Override
    public String toString() {
        return name() + params + " " + median + " " + unit;
    }
}
