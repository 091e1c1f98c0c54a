package dev.wengert.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JSON-lines output of the anchor scripts in {@code ../shared/anchors} (PyTorch, NumPy, OpenBLAS run on
 * the same machine), read so the report can pair each workload with its anchor. Each line is a flat JSON
 * object such as {@code {"w": "matmul", "lib": "numpy", "n": 512, "threads": 1, "gflops": 35.8, ...}}.
 */
final class Anchors {
    private final List<Map<String, String>> rows = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    /** No anchors: every look-up finds nothing (NaN, null). */
    static Anchors none() {
        return new Anchors();
    }

    /** Anchors from JSON lines given directly (tests, synthetic figures). */
    static Anchors ofLines(String... lines) {
        Anchors a = new Anchors();
        for (String l : lines) a.rows.add(parseFlat(l.trim()));
        return a;
    }

    /** Reads every {@code *.jsonl} file in {@code dir} (or the single file {@code dir}). */
    static Anchors load(Path dir) {
        Anchors a = new Anchors();
        try {
            List<Path> paths = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(paths::add);
                }
            } else {
                paths.add(dir);
            }
            if (paths.isEmpty()) throw new IllegalArgumentException("anchors: no .jsonl files in " + dir);
            for (Path p : paths) {
                a.files.add(p);
                int line = 0;
                for (String l : Files.readAllLines(p)) {
                    line++;
                    l = l.trim();
                    if (l.isEmpty() || l.startsWith("#")) continue;
                    try {
                        a.rows.add(parseFlat(l));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("anchors: " + p + " line " + line + ": " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("anchors: cannot read " + dir, e);
        }
        return a;
    }

    List<Path> files() {
        return files;
    }

    private static final Pattern PAIR = Pattern.compile(
            "\"([^\"]+)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9.eE+\\-]+|true|false|null|NaN|-?Infinity|\\[[^\\]]*\\])");

    /** A flat JSON object's fields as strings (string values unquoted). */
    static Map<String, String> parseFlat(String line) {
        if (!line.startsWith("{") || !line.endsWith("}")) throw new IllegalArgumentException("not a JSON object: " + line);
        Map<String, String> m = new LinkedHashMap<>();
        Matcher mt = PAIR.matcher(line);
        while (mt.find()) {
            String v = mt.group(2);
            if (v.startsWith("\"")) v = v.substring(1, v.length() - 1);
            m.put(mt.group(1), v);
        }
        if (m.isEmpty()) throw new IllegalArgumentException("no fields: " + line);
        return m;
    }

    /** The rows whose fields include every given key=value pair. */
    List<Map<String, String>> find(String... keyValues) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            boolean ok = true;
            for (int i = 0; i < keyValues.length; i += 2) {
                String v = r.get(keyValues[i]);
                if (v == null || !sameValue(v, keyValues[i + 1])) {
                    ok = false;
                    break;
                }
            }
            if (ok) out.add(r);
        }
        return out;
    }

    private static boolean sameValue(String a, String b) {
        if (a.equals(b)) return true;
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The median of a numeric field over the matching rows (repeated runs), or NaN when none match. */
    double median(String field, String... keyValues) {
        List<Map<String, String>> rs = find(keyValues);
        double[] v = rs.stream().map(r -> r.get(field)).filter(s -> s != null).mapToDouble(Double::parseDouble).sorted()
                .toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    /** The smallest value of a field over matching rows (e.g. the fastest of several implementations). */
    double min(String field, String... keyValues) {
        return find(keyValues).stream().map(r -> r.get(field)).filter(s -> s != null).mapToDouble(Double::parseDouble)
                .min().orElse(Double.NaN);
    }

    /** The value of {@code field} in the row where it is smallest, and that row's {@code label} field. */
    String argmin(String field, String label, String... keyValues) {
        Map<String, String> best = null;
        for (Map<String, String> r : find(keyValues)) {
            if (r.get(field) == null) continue;
            if (best == null || Double.parseDouble(r.get(field)) < Double.parseDouble(best.get(field))) best = r;
        }
        return best == null ? null : best.get(label);
    }
}
