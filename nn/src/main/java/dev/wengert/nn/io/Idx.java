package dev.wengert.nn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A file in the IDX format of the MNIST distribution: a 4-byte magic number {@code 00 00 TT DD}
 * (TT the element type, 0x08 for unsigned bytes; DD the number of dimensions), DD big-endian 32-bit
 * sizes, then the elements in row-major order. Files compressed with gzip (the distribution's
 * {@code .gz} files) are recognised by their first two bytes and read the same way.
 *
 * <p>Only unsigned-byte files are read (all four MNIST files are). A malformed file throws an
 * {@link IllegalArgumentException} naming the file and what is wrong: a bad magic number, an element
 * type other than unsigned byte, a zero or negative size, fewer or more bytes than the sizes promise.
 *
 * @param dims the sizes of the dimensions
 * @param data the elements, unsigned bytes in Java's signed {@code byte} (read them as {@code b & 0xff})
 */
public record Idx(int[] dims, byte[] data) {
    /** The type code of unsigned bytes. */
    public static final int UBYTE = 0x08;

    /**
     * Reads an IDX file, raw or gzip-compressed.
     *
     * @param file the file's path
     * @return the sizes and elements
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when the file is malformed, naming it and the fault
     */
    public static Idx read(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("idx: cannot read " + file, e);
        }
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                in.transferTo(out);
                raw = out.toByteArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("idx: " + file + " starts like a gzip file but does not decompress: "
                        + e.getMessage(), e);
            }
        }
        return parse(raw, file.toString());
    }

    /**
     * Parses the bytes of an (uncompressed) IDX file; {@code source} names it in error messages.
     *
     * @param raw    the file's bytes; not kept (the elements are copied)
     * @param source the file's name for the messages
     * @return the sizes and elements
     * @throws IllegalArgumentException when the bytes are malformed, naming source and the fault
     */
    public static Idx parse(byte[] raw, String source) {
        if (raw.length < 4) {
            throw new IllegalArgumentException("idx: " + source + " is truncated: " + raw.length
                    + " bytes, shorter than the 4-byte magic number");
        }
        if (raw[0] != 0 || raw[1] != 0) {
            throw new IllegalArgumentException(String.format("idx: %s has a bad magic number %02x %02x %02x %02x "
                    + "(an IDX file starts with 00 00, then the type and the number of dimensions)", source, raw[0] & 0xff,
                    raw[1] & 0xff, raw[2] & 0xff, raw[3] & 0xff));
        }
        int type = raw[2] & 0xff;
        if (type != UBYTE) {
            throw new IllegalArgumentException(String.format("idx: %s has element type 0x%02x; only unsigned bytes "
                    + "(0x08) are supported", source, type));
        }
        int rank = raw[3] & 0xff;
        if (rank == 0) throw new IllegalArgumentException("idx: " + source + " declares 0 dimensions");
        int header = 4 + 4 * rank;
        if (raw.length < header) {
            throw new IllegalArgumentException("idx: " + source + " is truncated: " + raw.length + " bytes, shorter than its "
                    + header + "-byte header for " + rank + " dimensions");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            int p = 4 + 4 * i;
            dims[i] = ((raw[p] & 0xff) << 24) | ((raw[p + 1] & 0xff) << 16) | ((raw[p + 2] & 0xff) << 8) | (raw[p + 3] & 0xff);
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("idx: " + source + " has size " + dims[i] + " in dimension " + i
                        + " (sizes must be positive)");
            }
            size *= dims[i];
        }
        long expected = header + size;
        if (raw.length != expected) {
            throw new IllegalArgumentException("idx: " + source + (raw.length < expected ? " is truncated" : " has trailing bytes")
                    + ": " + raw.length + " bytes, but dimensions " + Arrays.toString(dims) + " need " + expected
                    + " (" + header + " header + " + size + " data)");
        }
        return new Idx(dims, Arrays.copyOfRange(raw, header, raw.length));
    }

    /**
     * The bytes of an IDX file of unsigned bytes with the given sizes and elements (for writing test
     * fixtures and small datasets).
     *
     * @param dims the sizes, each &gt; 0, whose product is {@code data.length}
     * @param data the elements, row-major
     * @return a new array: the header, then a copy of data
     */
    public static byte[] encode(int[] dims, byte[] data) {
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        out[2] = UBYTE;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            int p = 4 + 4 * i;
            out[p] = (byte) (dims[i] >>> 24);
            out[p + 1] = (byte) (dims[i] >>> 16);
            out[p + 2] = (byte) (dims[i] >>> 8);
            out[p + 3] = (byte) dims[i];
        }
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        return out;
    }
}
