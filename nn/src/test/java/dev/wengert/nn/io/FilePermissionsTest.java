package dev.wengert.nn.io;

import dev.wengert.nn.Mlp;

import dev.wengert.nn.plot.Plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved models and plots get the permissions of any new file in their folder (the umask's), not the owner-only
 * mode 0600 of {@link Files#createTempFile}, which the atomic write used to leave on them.
 */
class FilePermissionsTest {

    private static Set<PosixFilePermission> permissions(Path p) throws Exception {
        return Files.getPosixFilePermissions(p);
    }

    @Test
    void savedModelsAndPlotsHaveTheFoldersDefaultPermissions(@TempDir Path dir) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Set<PosixFilePermission> plain = permissions(Files.createFile(dir.resolve("reference")));
        Path model = dir.resolve("model.safetensors");
        SafeTensors.save(model, Mlp.builder(2).output(1).build(new Random(1)));
        assertEquals(plain, permissions(model), "a saved model");
        SafeTensors.save(model, Mlp.builder(2).output(1).build(new Random(2)));
        assertEquals(plain, permissions(model), "a model saved over an existing file");
        Path plot = Plot.lines("t", "x", "y").series("s", new double[] {1, 2, 3}).save(dir.resolve("plot.png"));
        assertEquals(plain, permissions(plot), "a plot");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file is left");
        }
    }
}
