package dev.wengert.examples.nn;

import java.nio.file.Path;

/** Where the examples write plots and parameter files. */
public final class Reports {
    private Reports() {}

    /**
     * The output folder: the system property {@code wengert.reports}, else the environment variable
     * {@code WENGERT_REPORTS}, else {@code reports/} under the working directory.
     *
     * @return the folder; it may not exist yet
     */
    public static Path dir() {
        String p = System.getProperty("wengert.reports");
        if (p == null || p.isBlank()) p = System.getenv("WENGERT_REPORTS");
        return Path.of(p == null || p.isBlank() ? "reports" : p);
    }
}
