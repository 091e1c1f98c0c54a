package dev.wengert.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs the JMH suite and writes a Markdown report with PNG plots: the engine workloads (matmul, MLP
 * training steps, scalar graphs, RNN forward + BPTT) and the recurrent-learning algorithms over hidden
 * size n and sequence length T, with fitted scaling exponents, the RTRL/BPTT time ratio, and the memory
 * crossover T* where RTRL keeps less alive than BPTT. Given the JSON-lines output of the anchor scripts
 * run on the same machine, it pairs each workload with its anchor and prints the ratio.
 *
 * <pre>
 * mvn -q -Preport -DskipTests verify -Dreport.args="quick --anchors /tmp/anchors"
 * </pre>
 *
 * Arguments: {@code quick} (under 10 minutes on 2 cores) or {@code full}; {@code --anchors DIR} (a folder of
 * {@code *.jsonl} files, or one file); {@code --out DIR} (default {@code reports/bench}); {@code --only
 * engine|recurrent|online}.
 */
public final class BenchReport {
    private BenchReport() {}

    /**
     * Runs the suite and writes the report; see the class comment for the arguments.
     *
     * @param args {@code quick} or {@code full}, {@code --anchors DIR}, {@code --out DIR}, {@code --only
     *     engine|recurrent}
     * @throws Exception when JMH, reading the anchors or writing the report fails
     */
    public static void main(String[] args) throws Exception {
        SuiteRun.Profile profile = SuiteRun.Profile.QUICK;
        Path anchorsDir = null;
        Path out = Path.of("reports", "bench");
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick":
                    profile = SuiteRun.Profile.QUICK;
                    break;
                case "full":
                    profile = SuiteRun.Profile.FULL;
                    break;
                case "--anchors":
                    anchorsDir = Path.of(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                default:
                    throw new IllegalArgumentException("report: unknown argument '" + args[i]
                            + "' (quick | full, --anchors DIR, --out DIR, --only engine|recurrent|online)");
            }
        }
        Anchors anchors = anchorsDir == null ? null : Anchors.load(anchorsDir);
        Files.createDirectories(out);
        Instant start = Instant.now();
        MachineRecord machine = MachineRecord.start();
        SuiteRun run = new SuiteRun(profile);
        if (only == null || only.equals("engine")) run.engine();
        if (only == null || only.equals("recurrent")) run.recurrent();
        if (only == null || only.equals("online")) run.online();
        machine.finish();
        Duration took = Duration.between(start, Instant.now());
        new ReportWriter(run, anchors, out, took, machine).write();
        System.out.println("report: " + out.resolve("report.md") + " (" + took.toMinutes() + " min "
                + took.toSecondsPart() + " s)");
    }
}
