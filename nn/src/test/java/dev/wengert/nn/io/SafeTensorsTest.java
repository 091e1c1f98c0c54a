package dev.wengert.nn.io;

import dev.wengert.nn.Activation;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    private static final long SEED = 21;

    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
        m.put("b", Tensor.scalar(0.5));
        return m;
    }

    /** The exact bytes: 8-byte little-endian length, the JSON header padded with spaces to 8, the doubles. */
    @Test
    void byteLayoutIsTheSafetensorsFormat() {
        byte[] bytes = SafeTensors.encode(sample(), Map.of("k", "v"));
        String header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[32,40]},\"__metadata__\":{\"k\":\"v\"}}";
        int padded = (header.length() + 7) / 8 * 8;
        assertEquals(8 + padded + 40, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(padded, b.getLong(0));
        assertEquals(0, padded % 8);
        String text = new String(bytes, 8, padded, StandardCharsets.UTF_8);
        assertEquals(header + " ".repeat(padded - header.length()), text);
        // 1.0 is 0x3FF0000000000000: little-endian bytes 00 .. 00 F0 3F.
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F},
                java.util.Arrays.copyOfRange(bytes, 8 + padded, 8 + padded + 8));
        double[] data = new double[5];
        ByteBuffer.wrap(bytes, 8 + padded, 40).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
        assertArrayEquals(new double[] {1, 2, 3, 4, 0.5}, data, 0);
    }

    @Test
    void roundTripKeepsNamesShapesValuesAndMetadata() {
        Random rng = new Random(SEED);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("hidden.weight", Tensor.randn(rng, 7, 3));
        m.put("hidden.bias", Tensor.randn(rng, 3));
        m.put("scalar", Tensor.scalar(-0.0));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("odd \"name\" é", Tensor.vector(Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(f, m, Map.of("format", "pt", "note", "line\nbreak"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(m.keySet(), c.tensors().keySet());
        for (String k : m.keySet()) {
            assertArrayEquals(m.get(k).shape(), c.tensors().get(k).shape(), k);
            double[] x = m.get(k).data();
            double[] y = c.tensors().get(k).data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), k + "[" + i + "]");
            }
        }
        assertEquals(Map.of("format", "pt", "note", "line\nbreak"), c.metadata());
    }

    @Test
    void moduleRoundTripRestoresParametersAndBuffers() {
        Random rng = new Random(SEED);
        Sequential a = Mlp.builder(4).hidden(5, Activation.relu()).batchNorm().output(2).build(rng);
        a.forward(Tensor.randn(rng, 8, 4)); // moves the batch-norm running statistics
        Sequential b = Mlp.builder(4).hidden(5, Activation.relu()).batchNorm().output(2).build(new Random(SEED + 1));
        Path f = dir.resolve("net.safetensors");
        SafeTensors.save(f, a);
        Tensor w = b.namedParameters().get("0.weight");
        SafeTensors.load(f, b);
        assertTrue(w == b.namedParameters().get("0.weight"), "loaded in place");
        for (String k : a.state().keySet()) assertArrayEquals(a.state().get(k).data(), b.state().get(k).data(), 0, k);
        assertTrue(b.state().containsKey("1.running_mean"));
    }

    @Test
    void savingIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("sub").resolve("p.safetensors");
        SafeTensors.save(f, sample(), Map.of());
        Map<String, Tensor> other = Map.of("c", Tensor.vector(9));
        SafeTensors.save(f, other, Map.of());
        assertEquals(List.of("c"), List.copyOf(SafeTensors.load(f).keySet()));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of("p.safetensors"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
        // A target whose folder cannot exist (its parent is a file): an exception, nothing left behind.
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "x");
        assertThrows(UncheckedIOException.class, () -> SafeTensors.save(blocker.resolve("x.safetensors"), sample(), Map.of()));
        assertEquals("x", Files.readString(blocker));
    }

    // ---------------------------------------------------------------- bad files

    /** A file from a header text and a byte buffer of the given length (the header padded to 8). */
    private static byte[] file(String header, int bufferBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        return b.array();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static void assertRejected(byte[] bytes, String... fragments) {
        SafeTensors.FormatException e = assertThrows(SafeTensors.FormatException.class,
                () -> SafeTensors.decode(bytes, "test.safetensors"));
        assertTrue(e.getMessage().startsWith("safetensors: test.safetensors: "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing in: " + e.getMessage());
    }

    @Test
    void truncatedFilesAreRejected() {
        byte[] good = SafeTensors.encode(sample(), Map.of());
        assertRejected(new byte[5], "truncated", "8-byte");
        assertRejected(java.util.Arrays.copyOf(good, 20), "truncated", "header length");
        assertRejected(java.util.Arrays.copyOf(good, good.length - 1), "out of range", "truncated");
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        assertRejected(huge.array(), "not plausible");
    }

    @Test
    void corruptHeadersAreRejected() {
        assertRejected(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]", 8), "not valid JSON");
        assertRejected(file("[1,2]", 0), "does not start with '{'");
        assertRejected(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}} x", 8), "not valid JSON");
        byte[] bad = file("{\"a\":1}", 0);
        bad[9] = (byte) 0xff;
        assertRejected(bad, "UTF-8");
        assertRejected(file("{" + entry("a", "F64", "[1]", 0, 8) + "," + entry("a", "F64", "[1]", 8, 16) + "}", 16),
                "duplicate key");
        assertRejected(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],\"x\":1}}", 8), "tensor 'a'",
                "unknown field 'x'");
        assertRejected(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "tensor 'a'", "no dtype");
        assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__", "not a string");
        assertRejected(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8), "tensor 'a'", "shape");
    }

    @Test
    void wrongDtypeSizesAndOffsetsAreRejected() {
        assertRejected(file("{" + entry("w", "I32", "[2]", 0, 8) + "}", 8), "tensor 'w'", "dtype I32",
                "F64, F32, F16, BF16 and I64 are");
        assertRejected(file("{" + entry("w", "F32", "[2]", 0, 16) + "}", 16), "tensor 'w'", "span 16 bytes",
                "of F32 needs 8");
        assertRejected(file("{" + entry("w", "BF16", "[3]", 0, 8) + "}", 8), "tensor 'w'", "of BF16 needs 6");
        assertRejected(file("{" + entry("w", "F64", "[2,2]", 0, 24) + "}", 24), "tensor 'w'", "span 24 bytes",
                "needs 32");
        assertRejected(file("{" + entry("w", "F64", "[2]", 0, 16) + "}", 8), "tensor 'w'", "out of range");
        assertRejected(file("{" + entry("w", "F64", "[1]", 8, 0) + "}", 8), "end before they begin");
        assertRejected(file("{" + entry("a", "F64", "[1]", 0, 8) + "," + entry("b", "F64", "[1]", 16, 24) + "}", 24),
                "tensor 'b'", "hole");
        assertRejected(file("{" + entry("a", "F64", "[2]", 0, 16) + "," + entry("b", "F64", "[1]", 8, 16) + "}", 16),
                "tensor 'b'", "overlaps");
        assertRejected(file("{" + entry("a", "F64", "[1]", 0, 8) + "}", 16), "8 trailing bytes");
    }

    @Test
    void loadingIntoAModuleNamesMissingUnexpectedAndMisshapenTensors() {
        Sequential net = Mlp.builder(3).hidden(2, Activation.tanh()).output(1).build(new Random(SEED));
        Map<String, Tensor> m = new LinkedHashMap<>(net.state());
        m.remove("0.bias");
        m.put("0.weight", Tensor.zeros(3, 2)); // the model's is [2,3] (out, in): a transposed weight is refused
        m.put("extra", Tensor.zeros(1));
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.save(f, m, Map.of());
        Map<String, double[]> before = new LinkedHashMap<>();
        net.state().forEach((k, v) -> before.put(k, v.toArray()));
        SafeTensors.FormatException e = assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(f, net));
        net.state().forEach((k, v) -> assertArrayEquals(before.get(k), v.data(), 0.0, "a failed load changed " + k));
        assertTrue(e.getMessage().contains("missing [0.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected [extra]"), e.getMessage());
        assertTrue(e.getMessage().contains("'0.weight' is [3,2] in the file, [2,3] in the model"), e.getMessage());

        // Every tensor but the last one fits: still nothing is loaded.
        Map<String, Tensor> almost = new LinkedHashMap<>();
        String last = null;
        for (Map.Entry<String, Tensor> t : net.state().entrySet()) {
            almost.put(t.getKey(), Tensor.full(7.0, t.getValue().shape()));
            last = t.getKey();
        }
        almost.put(last, Tensor.zeros(5, 5));
        Path g = dir.resolve("almost.safetensors");
        SafeTensors.save(g, almost, Map.of());
        assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(g, net));
        net.state().forEach((k, v) -> assertArrayEquals(before.get(k), v.data(), 0.0, "a failed load changed " + k));
    }
}
