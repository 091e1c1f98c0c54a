package dev.wengert.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes report.md (header, targets, engine and recurrent sections), results.tsv and the plots. */
final class ReportWriter {
    private final SuiteRun run;
    private final Anchors anchors;
    private final Path out;
    private final Duration took;
    private final MachineRecord machine;
    private final Markdown md = new Markdown();

    /**
     * @param anchors the anchors' figures, or null when the report runs without them
     */
    ReportWriter(SuiteRun run, Anchors anchors, Path out, Duration took, MachineRecord machine) {
        this.run = run;
        this.anchors = anchors;
        this.out = out;
        this.took = took;
        this.machine = machine;
    }

    void write() {
        Anchors a = anchors == null ? Anchors.none() : anchors;
        ReportPlots plots = new ReportPlots(out, md);
        header();
        if (!run.engine.isEmpty()) {
            new SpeedTargets(run.engine, a, MachineRecord.kernelLanes()).write(md);
            new EngineSection(run.engine, a, md, plots).write();
        }
        if (!run.recurrent.isEmpty()) new RecurrentSection(run, md, plots).write();
        if (!run.online.isEmpty()) new OnlineSection(run.online, md, plots).write();
        atomicWrite(out.resolve("report.md"), md.toString());
        atomicWrite(out.resolve("results.tsv"), tsv());
    }

    private void header() {
        SuiteRun.Profile p = run.profile;
        md.line("# Wengert benchmark report");
        md.line("");
        md.line("Profile **%s** (%d fork, %d warmup × %d ms, %d measurement iterations × %d ms per combination; "
                + "%d more warmup iterations for the engine workloads paired with the anchors), run in %d min %d s. "
                + "Times are medians over the measurement iterations (25th–75th percentile in brackets where shown).",
                p.name().toLowerCase(Locale.ROOT), p.forks, p.warmups, p.warmupMs, p.iterations, p.iterationMs,
                SuiteRun.ENGINE_EXTRA_WARMUPS, took.toMinutes(), took.toSecondsPart());
        md.line("");
        for (String l : machine.lines()) md.line("%s", l);
        if (anchors != null) {
            md.line("- Anchors: %s", anchors.files().stream().map(f -> f.getFileName().toString())
                    .collect(Collectors.joining(", ")));
        }
        md.line("");
    }

    private String tsv() {
        StringBuilder b = new StringBuilder("benchmark\tparams\tmedian\tq1\tq3\tunit\talloc_bytes\tstate_bytes\n");
        List<Measurement> all = new ArrayList<>(run.engine);
        all.addAll(run.recurrent);
        all.addAll(run.online);
        for (Measurement m : all) {
            b.append(m.name()).append('\t').append(m.params).append('\t').append(m.median).append('\t').append(m.q1)
                    .append('\t').append(m.q3).append('\t').append(m.unit).append('\t').append(m.allocBytes).append('\t')
                    .append(m.stateBytes).append('\n');
        }
        return b.toString();
    }

    private static void atomicWrite(Path file, String text) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".report", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write " + file, e);
        }
    }
}
