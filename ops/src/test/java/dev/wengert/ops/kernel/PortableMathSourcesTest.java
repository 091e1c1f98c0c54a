package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No library code calls a {@code java.lang.Math} function whose result may change with the JIT, the JDK
 * version or the vendor: transcendental functions come from {@link MathKernels} or {@link StrictMath}
 * (fdlibm, specified bit for bit). {@code Math.sqrt}, {@code Math.fma}, {@code Math.abs} and the like are
 * exactly rounded, and allowed. Covers the main sources of core, ops, nn and rnn (bench only measures).
 */
class PortableMathSourcesTest {
    private static final Pattern VARIABLE = Pattern.compile(
            "(?<![A-Za-z0-9_$])Math\\s*\\.\\s*(exp|expm1|log|log10|log1p|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh"
                    + "|tanh|cbrt|hypot)\\s*\\(|import\\s+static\\s+java\\.lang\\.Math\\.");

    @Test
    void noPlatformDependentMathInLibrarySources() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : new String[] {"core", "ops", "nn", "rnn"}) {
            Path src = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) continue;
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    files++;
                    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = VARIABLE.matcher(lines.get(i));
                        if (m.find()) found.add(root.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assumeTrue(files > 0, "the module sources are not next to the working directory " + root);
        assertTrue(found.isEmpty(), "java.lang.Math transcendental calls (use MathKernels or StrictMath):\n"
                + String.join("\n", found));
    }
}
