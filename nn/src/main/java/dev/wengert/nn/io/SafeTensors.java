package dev.wengert.nn.io;

import dev.wengert.nn.Module;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters saved in the safetensors format, which PyTorch, NumPy (through the {@code safetensors}
 * package or by hand) and others read:
 * <pre>
 *   bytes 0..7     N, the header length, unsigned 64-bit little-endian
 *   bytes 8..8+N   the header, UTF-8 JSON:
 *                  {"name":{"dtype":"F64","shape":[d0,d1,...],"data_offsets":[begin,end]},...,
 *                   "__metadata__":{"key":"value",...}}
 *                  padded with spaces so that N is a multiple of 8
 *   bytes 8+N..    the byte buffer: each tensor's elements, row-major, IEEE 754 float64 little-endian,
 *                  at [begin, end) relative to the buffer's start
 * </pre>
 * Tensors are written in the map's order, contiguous from offset 0; the metadata block is written when
 * there is metadata.
 *
 * <p><b>Saving is atomic</b>: the bytes go to a temporary file in the target's folder, which is forced to
 * disk and then moved over the target in one step, so a reader sees the old file or the new one, never
 * a part.
 *
 * <p><b>Loading is strict</b>: a file shorter than its header length, a header that is not UTF-8 JSON
 * object, an entry without exactly {@code dtype}, {@code shape} and {@code data_offsets}, a dtype other
 * than F64, F32, F16, BF16 or I64 (converted exactly to float64 on reading, I64 up to 2^53; files are written in F64), offsets whose span differs from the shape's size, offsets outside the buffer, holes,
 * overlaps or trailing bytes in the buffer each throw a {@link FormatException} naming the file, the
 * tensor and the problem. Loading into a {@link Module} also rejects missing or unexpected names and
 * wrong shapes, listing them all.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The one element type written and read. */
    public static final String DTYPE = "F64";
    /** Headers longer than this are rejected as corrupt (100 MB, as the reference implementation does). */
    public static final long MAX_HEADER = 100_000_000L;
    private static final String METADATA = "__metadata__";

    /** A malformed or mismatched safetensors file. */
    public static final class FormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * An exception naming the file and the problem.
         *
         * @param message the file and the problem
         */
        public FormatException(String message) {
            super(message);
        }

        /**
         * An exception naming the file and the problem, with its cause.
         *
         * @param message the file and the problem
         * @param cause   the failure behind it
         */
        public FormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A file's tensors (in file order of their offsets) and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    // ---------------------------------------------------------------- writing

    /**
     * Saves a module's parameters and buffers in their {@link Module#savedState() saved layout}, with metadata
     * naming the library.
     *
     * @param file   the destination; its folder is created if needed
     * @param module the module whose {@link Module#savedState()} is written, in F64
     */
    public static void save(Path file, Module module) {
        save(file, module.savedState(), Map.of("library", "wengert"));
    }

    /**
     * Saves a module's parameters and buffers in {@code dtype}: "F64" (exact), or "F32", "F16", "BF16", each
     * value rounded to nearest (ties to even) through float32 as PyTorch's {@code .to(dtype)} does, for
     * checkpoints of the size and type other tools expect.
     *
     * @param file   the destination; its folder is created if needed
     * @param module the module whose {@link Module#savedState()} is written
     * @param dtype  "F64", "F32", "F16" or "BF16"
     * @throws IllegalArgumentException if the dtype is not one of these
     */
    public static void save(Path file, Module module, String dtype) {
        save(file, module.savedState(), Map.of("library", "wengert"), dtype);
    }

    /**
     * Saves named tensors and string metadata (may be empty) to {@code file}, atomically, in F64.
     *
     * @param file     the destination; its folder is created if needed
     * @param tensors  the tensors by name, written in the map's order
     * @param metadata string pairs for the header's {@code __metadata__}; may be empty
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        save(file, tensors, metadata, DTYPE);
    }

    /**
     * {@link #save(Path, Map, Map)} in {@code dtype} (see {@link #save(Path, Module, String)}).
     *
     * @param file     the destination; its folder is created if needed
     * @param tensors  the tensors by name, written in the map's order
     * @param metadata string pairs for the header's {@code __metadata__}; may be empty
     * @param dtype    "F64", "F32", "F16" or "BF16"
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, String dtype) {
        byte[] bytes = encode(tensors, metadata, dtype);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = TempFiles.create(dir, "." + target.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write failed already; that error is the one to report.
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable where the platform allows opening a folder (Linux does).
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported here (Windows): the move is still atomic, only its durability is weaker.
        }
    }

    /**
     * The bytes of a safetensors file holding {@code tensors} and {@code metadata}.
     *
     * @param tensors  the tensors by name, written in the map's order
     * @param metadata string pairs for the header's {@code __metadata__}; may be empty
     * @return a new array: the header length, the header and the F64 data
     */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        return encode(tensors, metadata, DTYPE);
    }

    /**
     * {@link #encode(Map, Map)} with the values in {@code dtype} (F64, F32, F16 or BF16).
     *
     * @param tensors  the tensors by name, written in the map's order
     * @param metadata string pairs for the header's {@code __metadata__}; may be empty
     * @param dtype    "F64", "F32", "F16" or "BF16"
     * @return a new array: the header length, the header and the data
     */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata, String dtype) {
        if (dtype == null) throw new NullPointerException("safetensors: the dtype is null");
        int width = dtype.equals("I64") ? 0 : bytesPerElement(dtype);
        if (width == 0) {
            throw new IllegalArgumentException("safetensors: cannot write dtype " + dtype + " (F64, F32, F16 and BF16 can be)");
        }
        StringBuilder h = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
            Tensor t = e.getValue();
            long end = offset + (long) width * t.size();
            if (h.length() > 1) h.append(',');
            h.append(Json.quote(name)).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
            int[] s = t.shape();
            for (int i = 0; i < s.length; i++) h.append(i > 0 ? "," : "").append(s[i]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        if (metadata != null && !metadata.isEmpty()) {
            if (h.length() > 1) h.append(',');
            h.append(Json.quote(METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) h.append(',');
                first = false;
                h.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            }
            h.append('}');
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        if (offset > Integer.MAX_VALUE - 8 - padded) throw new IllegalArgumentException("safetensors: over 2 GB of data");
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(header);
        for (int i = header.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors.values()) {
            for (double v : t.data()) {
                switch (dtype) {
                    case "F64":
                        out.putDouble(v);
                        break;
                    case "F32":
                        out.putFloat((float) v);
                        break;
                    case "BF16":
                        out.putShort(floatToBfloat16((float) v));
                        break;
                    default:
                        out.putShort(floatToHalf((float) v));
                        break;
                }
            }
        }
        return out.array();
    }

    // ---------------------------------------------------------------- reading

    /**
     * The tensors of {@code file}, by name, in the order of their data.
     *
     * @param file the file to read
     * @return new tensors (float64, whatever the file's dtype), by name
     */
    public static Map<String, Tensor> load(Path file) {
        return read(file).tensors();
    }

    /**
     * The tensors and metadata of {@code file}.
     *
     * @param file the file to read
     * @return new tensors (float64, whatever the file's dtype) by name, and the metadata (empty when there is
     *     none)
     */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + file, e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Loads {@code file} into a module's parameters and buffers, in place, from their
     * {@link Module#savedState() saved layout} ({@link Module#loadSaved(Map)}).
     *
     * @param file   the file to read
     * @param module the module; its tensors are updated in place, and only when every name and shape fits
     * @throws FormatException when the file is malformed, or its names or shapes differ from the module's
     */
    public static void load(Path file, Module module) {
        Map<String, Tensor> values = load(file);
        List<String> problems = module.savedMismatches(values, "file");
        if (!problems.isEmpty()) {
            throw new FormatException("safetensors: " + file + " does not fit the model; " + String.join("; ", problems));
        }
        module.loadSaved(values);
    }

    /**
     * Parses the bytes of a safetensors file; {@code source} names it in error messages.
     *
     * @param bytes  the file's contents; not kept
     * @param source the file's name for the messages
     * @return new tensors (float64) by name, in the order of their data, and the metadata
     * @throws FormatException when the bytes are malformed, naming source, the tensor and the problem
     */
    public static Contents decode(byte[] bytes, String source) {
        String where = "safetensors: " + source + ": ";
        if (bytes.length < 8) {
            throw new FormatException(where + "truncated: " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 0 || n > MAX_HEADER) {
            throw new FormatException(where + "header length " + Long.toUnsignedString(n) + " is not plausible (corrupt file)");
        }
        if (n > bytes.length - 8L) {
            throw new FormatException(where + "truncated: the header length says " + n + " bytes but only "
                    + (bytes.length - 8) + " follow");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(where + "the header is not valid UTF-8", e);
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new FormatException(where + "the header does not start with '{'");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FormatException(where + "the header is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map)) throw new FormatException(where + "the header is not a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) parsed;
        long bufferLength = bytes.length - 8L - n;
        int base = 8 + (int) n;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Object[]> entries = new ArrayList<>(); // name, shape, begin, end
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map)) throw new FormatException(where + "__metadata__ is not an object");
                for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new FormatException(where + "__metadata__ value of '" + m.getKey() + "' is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            String t = where + "tensor '" + name + "': ";
            if (name.isEmpty()) throw new FormatException(where + "a tensor has an empty name");
            if (!(e.getValue() instanceof Map)) throw new FormatException(t + "its entry is not an object");
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            for (Object k : info.keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw new FormatException(t + "unknown field '" + k + "'");
                }
            }
            Object dtype = info.get("dtype");
            if (!(dtype instanceof String)) throw new FormatException(t + "no dtype");
            int width = bytesPerElement((String) dtype);
            if (width == 0) {
                throw new FormatException(t + "dtype " + dtype + " is not supported (F64, F32, F16, BF16 and I64 are)");
            }
            int[] shape = ints(info.get("shape"), t + "shape");
            long size = 1;
            for (int d : shape) {
                size *= d;
                if (size > Integer.MAX_VALUE) throw new FormatException(t + "shape " + Arrays.toString(shape) + " is too large");
            }
            long[] off = longs(info.get("data_offsets"), t + "data_offsets");
            if (off[0] > off[1]) {
                throw new FormatException(t + "data_offsets [" + off[0] + ", " + off[1] + "] end before they begin");
            }
            if (off[1] > bufferLength) {
                throw new FormatException(t + "data_offsets [" + off[0] + ", " + off[1] + "] are out of range: the buffer "
                        + "holds " + bufferLength + " bytes (truncated file?)");
            }
            if (off[1] - off[0] != width * size) {
                throw new FormatException(t + "data_offsets [" + off[0] + ", " + off[1] + "] span " + (off[1] - off[0])
                        + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + width * size);
            }
            entries.add(new Object[] {name, shape, off[0], off[1], dtype});
        }
        // The buffer must be covered exactly: sorted by offset, each tensor starts where the last ended.
        List<Object[]> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare((Long) a[2], (Long) b[2]));
        long pos = 0;
        for (Object[] en : sorted) {
            long begin = (Long) en[2];
            if (begin != pos) {
                throw new FormatException(where + "tensor '" + en[0] + "' begins at byte " + begin + " of the buffer, expected "
                        + pos + (begin > pos ? " (a hole)" : " (overlaps the previous tensor)"));
            }
            pos = (Long) en[3];
        }
        if (pos != bufferLength) {
            throw new FormatException(where + "the buffer holds " + bufferLength + " bytes but the tensors cover " + pos
                    + " (" + (bufferLength - pos) + " trailing bytes)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Object[] en : sorted) {
            int[] shape = (int[]) en[1];
            int begin = (int) (long) (Long) en[2];
            String dtype = (String) en[4];
            int width = bytesPerElement(dtype);
            double[] d = new double[(int) (((Long) en[3] - begin) / width)];
            ByteBuffer data = ByteBuffer.wrap(bytes, base + begin, d.length * width).order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case "F64":
                    data.asDoubleBuffer().get(d);
                    break;
                case "F32":
                    for (int i = 0; i < d.length; i++) d[i] = data.getFloat();
                    break;
                case "BF16":
                    for (int i = 0; i < d.length; i++) d[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                    break;
                case "I64": // counters such as BatchNorm's num_batches_tracked; exact up to 2^53
                    for (int i = 0; i < d.length; i++) {
                        long v = data.getLong();
                        if (Math.abs(v) > (1L << 53)) {
                            throw new FormatException("safetensors: tensor '" + en[0] + "': I64 value " + v
                                    + " at element " + i + " has no exact float64 (|v| > 2^53)");
                        }
                        d[i] = v;
                    }
                    break;
                default: // F16
                    for (int i = 0; i < d.length; i++) d[i] = halfToDouble(data.getShort());
                    break;
            }
            tensors.put((String) en[0], Tensor.wrap(d, shape));
        }
        return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    /** Bytes per element of a dtype this reader converts (every value exactly, to float64), or 0. */
    private static int bytesPerElement(String dtype) {
        switch (dtype) {
            case "F64":
            case "I64":
                return 8;
            case "F32":
                return 4;
            case "F16":
            case "BF16":
                return 2;
            default:
                return 0;
        }
    }

    /** bfloat16 bits of f, rounded to nearest, ties to even (NaN stays a quiet NaN of the same sign). */
    static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** IEEE 754 binary16 bits of f, rounded to nearest, ties to even; overflow gives ±∞, NaN a quiet NaN. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {
            if (e < -10) return (short) sign; // below half the smallest subnormal: ±0
            // Subnormal: the implicit 1 made explicit, shifted right by 14 − e bits with round to nearest even.
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) == 1)) half++;
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) half++; // may carry into the exponent: still right
        return (short) (sign | half);
    }

    /** The IEEE 754 binary16 value with these bits, exactly (every half is a double). */
    static double halfToDouble(short bits) {
        int sign = (bits >>> 15) & 1;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude;
        if (exponent == 0x1f) magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        else if (exponent == 0) magnitude = Math.scalb((double) mantissa, -24); // subnormal: m · 2^-24
        else magnitude = Math.scalb((double) (mantissa | 0x400), exponent - 25); // (1024 + m) · 2^(e-25)
        return sign == 0 ? magnitude : -magnitude;
    }

    private static int[] ints(Object v, String what) {
        if (!(v instanceof List)) throw new FormatException(what + " is missing or not an array");
        List<?> l = (List<?>) v;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = l.get(i);
            if (!(x instanceof Long) || (Long) x < 0 || (Long) x > Integer.MAX_VALUE) {
                throw new FormatException(what + " has " + x + " at position " + i + " (need non-negative integers)");
            }
            out[i] = (int) (long) (Long) x;
        }
        return out;
    }

    private static long[] longs(Object v, String what) {
        if (!(v instanceof List) || ((List<?>) v).size() != 2) {
            throw new FormatException(what + " must be an array [begin, end]");
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            Object x = ((List<?>) v).get(i);
            if (!(x instanceof Long) || (Long) x < 0) {
                throw new FormatException(what + " has " + x + " at position " + i + " (need non-negative integers)");
            }
            out[i] = (Long) x;
        }
        return out;
    }
}
