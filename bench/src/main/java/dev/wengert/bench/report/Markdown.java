package dev.wengert.bench.report;

import java.util.Locale;

/** The report's Markdown text as it is written, section by section. */
final class Markdown {
    private final StringBuilder text = new StringBuilder();

    /** Appends one line, formatted with {@link String#format} in the root locale. */
    void line(String fmt, Object... args) {
        text.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }

    /** Appends text as it is (lines already terminated). */
    void append(CharSequence s) {
        text.append(s);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
