package dev.wengert.bench.report;

import dev.wengert.ops.kernel.Gemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a report must say about the machine it ran on: CPU model, logical CPUs, the vector width (the
 * preferred {@code DoubleVector} species and the CPU's vector extensions), the JDK, the matmul kernel chosen
 * ({@code Gemm.implementation()}: its lanes decide which scalar-graph target applies), and the 1-minute load
 * average before and after the run, with a warning when the machine was busy (then the figures say more
 * about the other work than about Wengert).
 */
final class MachineRecord {
    /** A load average per logical CPU above this before the run makes the report warn. */
    static final double BUSY_PER_CPU = 0.5;
    /**
     * After the run the 1-minute average still counts the suite's own threads (up to one per CPU), so only
     * a load above this per CPU then says that other work ran too.
     */
    static final double BUSY_AFTER_PER_CPU = 1.0 + BUSY_PER_CPU;
    /** How long {@link #start} waits at most for the load average to fall (the anchors run just before). */
    static final long SETTLE_SECONDS = 120;

    private final double loadBefore;
    private final long waitedSeconds;
    private double loadAfter = Double.NaN;

    private MachineRecord(double loadBefore, long waitedSeconds) {
        this.loadBefore = loadBefore;
        this.waitedSeconds = waitedSeconds;
    }

    /**
     * Starts the record: waits up to {@link #SETTLE_SECONDS} for the 1-minute load average to fall to
     * {@link #BUSY_PER_CPU} per CPU (the anchor scripts, run just before as the docs say, leave it near the CPU
     * count for a minute), then reads it.
     */
    static MachineRecord start() {
        int cpus = Runtime.getRuntime().availableProcessors();
        long waited = settle(MachineRecord::loadAverage, BUSY_PER_CPU * cpus, SETTLE_SECONDS, 2, seconds -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new MachineRecord(loadAverage(), waited);
    }

    /**
     * Polls {@code load} every {@code step} seconds until it is at most {@code limit} (or unknown, NaN) or
     * {@code max} seconds have passed, printing one line per wait.
     *
     * @return the seconds waited
     */
    static long settle(java.util.function.DoubleSupplier load, double limit, long max, long step,
            java.util.function.LongConsumer sleep) {
        long waited = 0;
        double l = load.getAsDouble();
        while (l > limit && waited < max) {
            if (waited % 20 == 0) {
                System.out.printf(Locale.ROOT, "report: load average %.2f, waiting for it to fall to %.2f (%d s of "
                        + "at most %d)%n", l, limit, waited, max);
            }
            sleep.accept(step);
            waited += step;
            l = load.getAsDouble();
        }
        return waited;
    }

    /** Ends the record: reads the load average again. */
    void finish() {
        loadAfter = loadAverage();
    }

    /** The report's lines about the machine. */
    List<String> lines() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int lanes = preferredLanes();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "- Machine: %s, %d logical CPUs, max heap %.1f GB", cpuModel(), cpus,
                Runtime.getRuntime().maxMemory() / 1e9));
        out.add(String.format(Locale.ROOT, "- Vector width: preferred DoubleVector species %s; CPU extensions: %s",
                lanes == 0 ? "unknown (jdk.incubator.vector not present)" : lanes + " lanes (" + 64 * lanes + " bits)",
                vectorExtensions()));
        out.add(String.format(Locale.ROOT, "- JDK: %s %s (%s); matmul kernel: %s", System.getProperty("java.vm.name"),
                Runtime.version(), System.getProperty("java.vendor"), Gemm.implementation()));
        out.add(String.format(Locale.ROOT, "- Load average (1 min): %s before the run%s, %s after (which counts the "
                + "suite's own threads)", format(loadBefore), waitedSeconds == 0 ? "" : " (after waiting " + waitedSeconds
                + " s for it to fall)", format(loadAfter)));
        if (busy(loadBefore, loadAfter, cpus)) {
            out.add(String.format(Locale.ROOT, "- **Warning: the machine was busy** (load above %.1f per CPU before the "
                    + "run, or above %.1f after it): other work shared the cores, so these figures are not a "
                    + "measurement of Wengert alone. Run again on a quiet machine.", BUSY_PER_CPU, BUSY_AFTER_PER_CPU));
        }
        return out;
    }

    /** The double lanes of the matmul kernel in use (from {@code Gemm.implementation()}). */
    static int kernelLanes() {
        return lanesOf(Gemm.implementation());
    }

    private static final Pattern LANES = Pattern.compile("vector\\((\\d+) lanes");

    /**
     * The lanes named in a kernel description such as {@code "vector(8 lanes, 5x16 tile), 2 threads"}; 1 for
     * the scalar fallback or anything else without them.
     */
    static int lanesOf(String implementation) {
        Matcher m = LANES.matcher(implementation);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /** The doubles in the preferred vector species, 0 when jdk.incubator.vector is not present. */
    static int preferredLanes() {
        try {
            return jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        } catch (LinkageError e) {
            return 0;
        }
    }

    /** Which of avx512f, avx2 and fma the CPU reports (from /proc/cpuinfo), or "unknown". */
    static String vectorExtensions() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("flags")) return extensionsIn(l);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown";
    }

    /** The vector extensions among a /proc/cpuinfo flags line's words, widest first; "none" if none. */
    static String extensionsIn(String flags) {
        List<String> words = List.of(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
        List<String> out = new ArrayList<>();
        for (String f : new String[] {"avx512f", "avx2", "fma"}) if (words.contains(f)) out.add(f);
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    static boolean busy(double before, double after, int cpus) {
        return before > BUSY_PER_CPU * cpus || after > BUSY_AFTER_PER_CPU * cpus;
    }

    private static String format(double load) {
        return Double.isNaN(load) ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    /** The 1-minute load average from /proc/loadavg, or NaN where there is none. */
    static double loadAverage() {
        try {
            return parseLoadAverage(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The first field of /proc/loadavg's line ("0.52 0.58 0.59 1/123 4567"). */
    static double parseLoadAverage(String line) {
        return Double.parseDouble(line.trim().split("\\s+")[0]);
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
