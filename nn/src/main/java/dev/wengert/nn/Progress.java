package dev.wengert.nn;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The trainer's progress within an epoch. On a terminal (the JVM's console is {@code System.out}) one line is
 * redrawn in place with {@code \r} at most five times a second; anywhere else (a log file, a pipe, a test's
 * stream) whole lines are written, at most one every ten seconds, so logs get no control characters.
 */
final class Progress implements AutoCloseable {
    private static final long TERMINAL_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 10_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String task;
    private final int max;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private int done;
    private String extra = "";

    Progress(PrintStream out, boolean terminal, String task, int max) {
        this.out = out;
        this.terminal = terminal;
        this.task = task;
        this.max = max;
        if (terminal) draw();
    }

    /** Whether {@code out} is the terminal the JVM runs in. */
    static boolean isTerminal(PrintStream out) {
        return out == System.out && System.console() != null;
    }

    /** One more unit done, with a message shown after the bar. */
    void step(String message) {
        done++;
        extra = message;
        long now = System.nanoTime();
        if (now - lastDraw >= (terminal ? TERMINAL_NANOS : LOG_NANOS)) {
            lastDraw = now;
            draw();
        }
    }

    private void draw() {
        String f = frame(task, done, max, extra, (System.nanoTime() - start) / 1e9);
        if (terminal) {
            out.print("\r" + f);
            out.flush();
        } else {
            out.println(f);
        }
    }

    /** {@code task  37% [===========>                  ] 320/860, message, 3.2 s}: the bar is empty at 0. */
    static String frame(String task, int done, int max, String message, double seconds) {
        double fraction = max <= 0 ? 1.0 : Math.min(1.0, (double) done / max);
        int filled = (int) Math.floor(fraction * WIDTH);
        StringBuilder bar = new StringBuilder(WIDTH);
        for (int i = 0; i < WIDTH; i++) bar.append(i < filled ? '=' : i == filled && done > 0 ? '>' : ' ');
        return String.format(Locale.ROOT, "%s %3d%% [%s] %d/%d%s, %.1f s", task, (int) Math.floor(100 * fraction), bar,
                done, max, message, seconds);
    }

    @Override
    public void close() {
        if (terminal) {
            draw();
            out.println();
        }
    }
}
