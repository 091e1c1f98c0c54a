package dev.wengert.spark.examples;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} command-line options of the examples, with defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    int integer(String key, int def) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : def;
    }

    double real(String key, double def) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : def;
    }

    String string(String key, String def) {
        return values.getOrDefault(key, def);
    }
}
