package dev.wengert.examples;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} command-line options of the examples and experiments, with defaults. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    /**
     * Parses the options.
     *
     * @param args the command line, each argument {@code key=value}
     * @throws IllegalArgumentException naming the argument when one has no {@code =} or an empty key
     */
    public Args(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    /**
     * An integer option.
     *
     * @param key the option's name
     * @param def its value when absent
     * @return the value
     * @throws NumberFormatException when the value is not an integer
     */
    public int integer(String key, int def) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : def;
    }

    /**
     * A real-valued option.
     *
     * @param key the option's name
     * @param def its value when absent
     * @return the value
     * @throws NumberFormatException when the value is not a number
     */
    public double real(String key, double def) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : def;
    }

    /**
     * A text option.
     *
     * @param key the option's name
     * @param def its value when absent
     * @return the value
     */
    public String string(String key, String def) {
        return values.getOrDefault(key, def);
    }
}
