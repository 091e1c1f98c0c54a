package dev.wengert.bench.report;

import java.util.Locale;

/** How the report prints numbers: three significant figures or so, times and bytes with their units. */
final class Format {
    private Format() {}

    /** A number to about three significant figures; "–" for NaN. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "–";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A time given in milliseconds, in µs, ms or s. */
    static String ms(double millis) {
        if (Double.isNaN(millis)) return "–";
        if (millis < 0.01) return fmt(millis * 1e3) + " µs";
        if (millis >= 1000) return fmt(millis / 1000) + " s";
        return fmt(millis) + " ms";
    }

    /** A measurement's median time with its 25th–75th percentile range in milliseconds. */
    static String range(Measurement m) {
        return ms(m.millis()) + " [" + fmt(m.q1Millis()) + "–" + fmt(m.q3Millis()) + "]";
    }

    /** A byte count in B, kB, MB or GB (powers of 1000). */
    static String bytes(double b) {
        if (Double.isNaN(b)) return "–";
        if (b >= 1e9) return fmt(b / 1e9) + " GB";
        if (b >= 1e6) return fmt(b / 1e6) + " MB";
        if (b >= 1e3) return fmt(b / 1e3) + " kB";
        return fmt(b) + " B";
    }

    /** A ratio with its × sign, "–" for NaN. */
    static String ratio(double r) {
        return Double.isNaN(r) ? "–" : fmt(r) + "×";
    }

    /** "1 thread" or "N threads". */
    static String threads(String t) {
        return t + (t.equals("1") ? " thread" : " threads");
    }
}
