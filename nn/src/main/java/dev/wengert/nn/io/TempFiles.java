package dev.wengert.nn.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files for atomic writes (write, then move over the target). Unlike
 * {@link Files#createTempFile}, which makes files readable by their owner only (mode 0600), these get the
 * permissions of any new file (0666 less the umask), so a saved model or plot is readable by whoever may read
 * the folder, as if written directly.
 */
public final class TempFiles {
    private TempFiles() {}

    /**
     * A new empty file in {@code dir} named {@code prefix + random + suffix}, with the default permissions.
     *
     * @param dir    an existing folder
     * @param prefix the name's start
     * @param suffix the name's end
     * @return the file, created (never one that existed)
     * @throws IOException when it cannot be created
     */
    public static Path create(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }
}
