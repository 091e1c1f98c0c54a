package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Module;
import dev.wengert.nn.io.SafeTensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch recurrent checkpoints as they are, both ways. {@code torch/make_recurrent_fixture.py} (committed with
 * its output) made nn.RNN (tanh), nn.LSTM and nn.GRU with one layer in F32 and nn.LSTM and nn.GRU with two layers
 * in F64, input 3, hidden 4, and recorded their state_dict names and shapes and their outputs on one sequence in
 * {@code torch_recurrent.json}. Each file loads into the matching Wengert cell ({@link RnnCell}, {@link LstmCell},
 * {@link GruCell#torch}, a {@link StackedCell} of two) and gives PyTorch's outputs; a file Wengert writes has
 * PyTorch's names and shapes in PyTorch's order and reloads bit for bit; a file that does not fit is refused
 * with every mismatch named, and the model is left as it was.
 */
class TorchRecurrentTest {
    private static final String DIR = "/dev/wengert/rnn/torch/";

    private static Path resource(String name) throws Exception {
        return Path.of(TorchRecurrentTest.class.getResource(DIR + name).toURI());
    }

    private static Map<?, ?> fixture(String name) throws Exception {
        Map<?, ?> all = (Map<?, ?>) MiniJson.parse(Files.readString(resource("torch_recurrent.json"), StandardCharsets.UTF_8));
        return (Map<?, ?>) ((Map<?, ?>) all.get("models")).get(name);
    }

    private static int integer(Object o) {
        return ((Number) o).intValue();
    }

    /** The Wengert cell of a fixture's kind and layers, with weights of its own (seeded) until something loads. */
    private static Cell cell(String kind, int layers, int m, int n, Random rng) {
        Cell[] cells = new Cell[layers];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? m : n;
            switch (kind) {
                case "RNN": cells[l] = new RnnCell(in, n, rng); break;
                case "LSTM": cells[l] = new LstmCell(in, n, rng); break;
                case "GRU": cells[l] = GruCell.torch(in, n, rng); break;
                default: throw new IllegalArgumentException(kind);
            }
        }
        return layers == 1 ? cells[0] : new StackedCell(cells);
    }

    private static Cell cellFor(Map<?, ?> f, Random rng) {
        return cell((String) f.get("kind"), integer(f.get("num_layers")), integer(f.get("input_size")),
                integer(f.get("hidden_size")), rng);
    }

    /** The sequence [T, batch, m] as T tensors [batch, m]. */
    private static Tensor[] steps(Object nested) {
        List<?> t = (List<?>) nested;
        Tensor[] out = new Tensor[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = matrix(t.get(i));
        return out;
    }

    private static Tensor matrix(Object rows) {
        List<?> r = (List<?>) rows;
        double[][] out = new double[r.size()][];
        for (int i = 0; i < r.size(); i++) {
            List<?> row = (List<?>) r.get(i);
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) out[i][j] = ((Number) row.get(j)).doubleValue();
        }
        return Tensor.matrix(out);
    }

    /** PyTorch's outputs of a cell on a sequence: "output" (top h per step), "h_n", "c_n" (per layer). */
    private static Map<String, Tensor[]> run(Cell cell, Tensor[] xs) {
        List<Cell> layers = cell instanceof StackedCell ? ((StackedCell) cell).layers() : List.of(cell);
        Tensor[] s = cell.initialState(xs[0].dim(0));
        Tensor[] output = new Tensor[xs.length];
        for (int t = 0; t < xs.length; t++) {
            s = cell.step(s, xs[t]);
            output[t] = cell.output(s);
        }
        Tensor[] h = new Tensor[layers.size()];
        Tensor[] c = new Tensor[layers.size()];
        int part = 0;
        for (int l = 0; l < layers.size(); l++) {
            h[l] = s[part];
            if (layers.get(l) instanceof LstmCell) c[l] = s[part + 1];
            part += layers.get(l).stateParts();
        }
        Map<String, Tensor[]> out = new LinkedHashMap<>();
        out.put("output", output);
        out.put("h_n", h);
        if (layers.get(0) instanceof LstmCell) out.put("c_n", c);
        return out;
    }

    /** Every value of {@code got} against the fixture's nested list under {@code key}. */
    private static void assertClose(Map<?, ?> f, String key, Tensor[] got, double tol, String what) {
        List<?> want = (List<?>) f.get(key);
        assertEquals(want.size(), got.length, what + " " + key);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            Tensor w = matrix(want.get(i));
            assertArrayEquals(w.shape(), got[i].shape(), what + " " + key + "[" + i + "]");
            for (int j = 0; j < w.size(); j++) {
                double d = Math.abs(w.data()[j] - got[i].data()[j]) / Math.max(1, Math.abs(w.data()[j]));
                worst = Math.max(worst, d);
                assertTrue(d <= tol, what + " " + key + "[" + i + "] value " + j + ": PyTorch " + w.data()[j]
                        + ", Wengert " + got[i].data()[j]);
            }
        }
    }

    /** The names and shapes of PyTorch's state_dict, in its order, from the fixture. */
    private static Map<String, List<Integer>> torchLayout(Map<?, ?> f) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Object e : (List<?>) f.get("state_dict")) {
            List<?> pair = (List<?>) e;
            List<Integer> shape = new ArrayList<>();
            for (Object d : (List<?>) pair.get(1)) shape.add(integer(d));
            out.put((String) pair.get(0), shape);
        }
        return out;
    }

    private static Map<String, List<Integer>> layout(Map<String, Tensor> tensors) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            List<Integer> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add(d);
            out.put(e.getKey(), shape);
        }
        return out;
    }

    /** The names and shapes of a safetensors file's header, in header order (the data are in the same order). */
    private static Map<String, List<Integer>> header(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long n = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Map<?, ?> h = (Map<?, ?>) MiniJson.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : h.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            List<Integer> shape = new ArrayList<>();
            for (Object d : (List<?>) ((Map<?, ?>) e.getValue()).get("shape")) shape.add(integer(d));
            out.put((String) e.getKey(), shape);
        }
        return out;
    }

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.state().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    private static void assertBitsEqual(Map<String, double[]> want, Module m, String what) {
        assertEquals(want.keySet(), m.state().keySet(), what);
        for (Map.Entry<String, Tensor> e : m.state().entrySet()) {
            double[] w = want.get(e.getKey());
            double[] g = e.getValue().data();
            assertEquals(w.length, g.length, what + " " + e.getKey());
            for (int i = 0; i < w.length; i++) {
                assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(g[i]),
                        what + ": " + e.getKey() + "[" + i + "] is " + g[i] + ", was " + w[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru", "lstm2", "gru2"})
    void aPyTorchCheckpointLoadsAsItIsAndGivesPyTorchsOutputs(String name) throws Exception {
        Map<?, ?> f = fixture(name);
        Path file = resource((String) f.get("file"));
        Cell cell = cellFor(f, new Random(11));
        // The file is what PyTorch's state_dict is, and it is what the cell saves: same names, shapes, order.
        assertEquals(torchLayout(f), header(file), "the fixture file is PyTorch's state_dict");
        assertEquals(torchLayout(f), layout(cell.savedState()), "the cell's saved layout is PyTorch's");
        SafeTensors.load(file, cell);
        Map<String, Tensor[]> got = run(cell, steps(f.get("input")));
        boolean f32 = f.get("dtype").equals("F32");
        for (Map.Entry<String, Tensor[]> e : got.entrySet()) {
            // PyTorch computed in the file's dtype: float32 rounding for F32, float64 for F64.
            assertClose(f, e.getKey(), e.getValue(), f32 ? 1e-6 : 1e-12, name);
            // The F32 weights, exactly converted, in a float64 PyTorch module: the same numbers to rounding.
            if (f32) assertClose(f, e.getKey() + "_f64", e.getValue(), 1e-12, name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru", "lstm2", "gru2"})
    void aFileWengertWritesHasPyTorchsLayoutAndReloadsBitForBit(String name, @TempDir Path dir) throws Exception {
        Map<?, ?> f = fixture(name);
        Path torchFile = resource((String) f.get("file"));
        Cell cell = cellFor(f, new Random(12));
        SafeTensors.load(torchFile, cell);
        Path out = dir.resolve(name + ".safetensors");
        SafeTensors.save(out, cell);
        assertEquals(torchLayout(f), header(out), "names, shapes and order of PyTorch's state_dict");
        // The weights are PyTorch's, row for row (the gate order); the two biases are summed into bias_ih.
        Map<String, Tensor> torch = SafeTensors.load(torchFile);
        Map<String, Tensor> ours = SafeTensors.load(out);
        for (String k : torch.keySet()) {
            if (k.startsWith("weight")) assertArrayEquals(torch.get(k).data(), ours.get(k).data(), 0.0, k);
        }
        int layers = integer(f.get("num_layers"));
        for (int l = 0; l < layers; l++) {
            double[] ih = torch.get("bias_ih_l" + l).data();
            double[] hh = torch.get("bias_hh_l" + l).data();
            double[] savedIh = ours.get("bias_ih_l" + l).data();
            double[] savedHh = ours.get("bias_hh_l" + l).data();
            int n = integer(f.get("hidden_size"));
            for (int i = 0; i < ih.length; i++) {
                boolean gruCandidate = f.get("kind").equals("GRU") && i >= 2 * n;
                // GRU's candidate keeps its two biases (b_hn is inside the reset gate); the others are summed.
                assertEquals(gruCandidate ? ih[i] : ih[i] + hh[i], savedIh[i], 0.0, "bias_ih_l" + l + "[" + i + "]");
                assertEquals(gruCandidate ? hh[i] : 0.0, savedHh[i], 0.0, "bias_hh_l" + l + "[" + i + "]");
            }
        }
        // Reloading into a cell with other weights gives the same parameters, bit for bit, and the same outputs.
        Cell again = cellFor(f, new Random(13));
        SafeTensors.load(out, again);
        assertBitsEqual(snapshot(cell), again, name + " reloaded");
        Tensor[] xs = steps(f.get("input"));
        assertArrayEquals(run(cell, xs).get("output")[4].data(), run(again, xs).get("output")[4].data(), 0.0);
        // In F32 too: saving the reloaded cell gives the same bytes.
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        SafeTensors.save(a, cell, "F32");
        Cell third = cellFor(f, new Random(14));
        SafeTensors.load(a, third);
        SafeTensors.save(b, third, "F32");
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "F32 save, load, save");
    }

    @Test
    void savingIsBitExactForEveryBitPatternOfTheBiasesAndNamesInMemoryStayPerGate(@TempDir Path dir) {
        Random rng = new Random(15);
        LstmCell lstm = new LstmCell(2, 3, rng);
        double[] odd = {-0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-300, -1.5, 3, 7, -0.0, 2, 9, 1};
        for (int g = 0; g < 4; g++) {
            double[] d = lstm.bias(g).mutableData();
            for (int j = 0; j < d.length; j++) d[j] = odd[3 * g + j];
        }
        Map<String, double[]> before = snapshot(lstm);
        Path f = dir.resolve("lstm.safetensors");
        SafeTensors.save(f, lstm);
        LstmCell back = new LstmCell(2, 3, rng);
        SafeTensors.load(f, back);
        assertBitsEqual(before, back, "-0.0, subnormal and extreme biases");
        // The in-memory names are the cells' own, per gate; only files have PyTorch's.
        assertEquals("W_fh", lstm.namedParameters().keySet().iterator().next());
        assertEquals(List.of("W_zh", "W_zx", "b_z", "W_rh", "W_rx", "b_r", "W_nh", "W_nx", "b_n", "b_nh"),
                List.copyOf(GruCell.torch(2, 3, rng).namedParameters().keySet()));
        assertEquals(List.of("0.W_fh", "0.W_fx"), List.copyOf(
                new StackedCell(new LstmCell(2, 3, rng), new LstmCell(3, 3, rng)).namedParameters().keySet()).subList(0, 2));
    }

    @Test
    void aRecurrentNetSavesItsCellUnderPyTorchsNamesAndItsReadoutAsLinear(@TempDir Path dir) throws Exception {
        Random rng = new Random(16);
        RecurrentNet net = RecurrentNet.withReadout(new StackedCell(new LstmCell(3, 4, rng), new LstmCell(4, 4, rng)), 2, rng);
        assertEquals(List.of("cell.weight_ih_l0", "cell.weight_hh_l0", "cell.bias_ih_l0", "cell.bias_hh_l0",
                "cell.weight_ih_l1", "cell.weight_hh_l1", "cell.bias_ih_l1", "cell.bias_hh_l1", "readout.weight",
                "readout.bias"), List.copyOf(net.savedState().keySet()));
        Fixtures.perturb(net, 1.1, rng);
        Map<String, double[]> before = snapshot(net);
        Path f = dir.resolve("net.safetensors");
        SafeTensors.save(f, net);
        RecurrentNet back = RecurrentNet.withReadout(new StackedCell(new LstmCell(3, 4, rng), new LstmCell(4, 4, rng)), 2, rng);
        SafeTensors.load(f, back);
        assertBitsEqual(before, back, "net");
        // A stack of different kinds has no PyTorch equivalent: each layer's own saved names under its index.
        StackedCell mixed = new StackedCell(new LstmCell(3, 4, rng), new RnnCell(4, 2, rng), new GruCell(2, 2, rng));
        List<String> names = List.copyOf(mixed.savedState().keySet());
        assertEquals(List.of("0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0", "0.bias_hh_l0", "1.weight_ih_l0"),
                names.subList(0, 5));
        assertEquals("2.W_zh", names.get(8));
        Map<String, double[]> mixedBefore = snapshot(mixed);
        Path g = dir.resolve("mixed.safetensors");
        SafeTensors.save(g, mixed);
        StackedCell mixedBack = new StackedCell(new LstmCell(3, 4, rng), new RnnCell(4, 2, rng), new GruCell(2, 2, rng));
        SafeTensors.load(g, mixedBack);
        assertBitsEqual(mixedBefore, mixedBack, "mixed stack");
    }

    @Test
    void aFileThatDoesNotFitIsRefusedWithEveryMismatchNamedAndChangesNothing(@TempDir Path dir) throws Exception {
        Map<String, Tensor> torch = SafeTensors.load(resource("torch_lstm_f32.safetensors"));
        Map<String, Tensor> bad = new LinkedHashMap<>(torch);
        bad.remove("bias_hh_l0");
        bad.put("weight_hh_l0", Tensor.zeros(4, 16)); // transposed
        bad.put("weight_ih_l1", Tensor.zeros(16, 4));
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.save(f, bad, Map.of());
        LstmCell lstm = new LstmCell(3, 4, new Random(17));
        Map<String, double[]> before = snapshot(lstm);
        SafeTensors.FormatException e = assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(f, lstm));
        assertTrue(e.getMessage().contains("missing [bias_hh_l0]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected [weight_ih_l1]"), e.getMessage());
        assertTrue(e.getMessage().contains("'weight_hh_l0' is [4,16] in the file, [16,4] in the model"), e.getMessage());
        assertBitsEqual(before, lstm, "after the failed load");

        // The same from a map: Module.loadSaved lists them too and changes nothing.
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> lstm.loadSaved(bad));
        assertTrue(m.getMessage().contains("missing [bias_hh_l0]") && m.getMessage().contains("unexpected [weight_ih_l1]")
                && m.getMessage().contains("'weight_hh_l0' is [4,16] in the source"), m.getMessage());
        assertBitsEqual(before, lstm, "after the failed loadSaved");

        // A one-layer file into a two-layer stack: the second layer's four tensors are missing.
        StackedCell two = new StackedCell(new LstmCell(3, 4, new Random(18)), new LstmCell(4, 4, new Random(19)));
        Map<String, double[]> twoBefore = snapshot(two);
        e = assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(resource("torch_lstm_f32.safetensors"), two));
        assertTrue(e.getMessage().contains("missing [weight_ih_l1, weight_hh_l1, bias_ih_l1, bias_hh_l1]"), e.getMessage());
        assertBitsEqual(twoBefore, two, "stack after the failed load");

        // An RNN file into an LSTM: every tensor is misshapen, all four are listed.
        e = assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(resource("torch_rnn_f32.safetensors"), lstm));
        for (String k : List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) {
            assertTrue(e.getMessage().contains("'" + k + "' is"), e.getMessage());
        }
        assertBitsEqual(before, lstm, "after the RNN file");
    }

    @Test
    void aPyTorchGruFileIntoTheResetBeforeGruIsRefusedNamingTheDifference() throws Exception {
        GruCell cho = new GruCell(3, 4, new Random(20));
        assertFalse(cho.resetAfter());
        Map<String, double[]> before = snapshot(cho);
        SafeTensors.FormatException e = assertThrows(SafeTensors.FormatException.class,
                () -> SafeTensors.load(resource("torch_gru_f32.safetensors"), cho));
        assertTrue(e.getMessage().contains("missing [W_zh, W_zx, b_z, W_rh, W_rx, b_r, W_nh, W_nx, b_n]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected [weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0]"), e.getMessage());
        assertTrue(e.getMessage().contains("r ⊙ (W_hn h + b_hn)") && e.getMessage().contains("GruCell.torch(...)"),
                e.getMessage());
        assertBitsEqual(before, cho, "after the refused load");
        // In a stack, the sentence is given once.
        StackedCell stack = new StackedCell(new GruCell(3, 4, new Random(21)), new GruCell(4, 4, new Random(22)));
        e = assertThrows(SafeTensors.FormatException.class, () -> SafeTensors.load(resource("torch_gru2_f64.safetensors"), stack));
        assertEquals(e.getMessage().indexOf("GruCell.torch(...)"), e.getMessage().lastIndexOf("GruCell.torch(...)"),
                e.getMessage());
        // And the default GRU's own files are not PyTorch's names, so PyTorch cannot mistake them for its GRU.
        assertTrue(cho.savedState().keySet().stream().noneMatch(k -> k.contains("_l0")));
    }

    /**
     * Files for the other direction: fresh Wengert modules (seeded, biases made non-zero) of each fixture's kind,
     * saved in F64, with their outputs on the fixture's input in {@code wengert_outputs.json}. They go to the
     * folder named by the environment variable {@code WENGERT_TORCH_EXPORT} when it is set (for
     * {@code make_recurrent_fixture.py --check}), else to a temporary folder; either way the JSON is read back.
     */
    @Test
    void filesForPyTorchsStrictLoad(@TempDir Path tmp) throws Exception {
        String env = System.getenv("WENGERT_TORCH_EXPORT");
        Path dir = env == null || env.isEmpty() ? tmp : Path.of(env);
        Files.createDirectories(dir);
        StringBuilder json = new StringBuilder("{");
        Random rng = new Random(23);
        for (String name : List.of("rnn", "lstm", "gru", "lstm2", "gru2")) {
            Map<?, ?> f = fixture(name);
            Cell cell = cellFor(f, rng);
            for (Tensor p : cell.parameters()) {
                double[] d = p.mutableData();
                for (int i = 0; i < d.length; i++) d[i] = p.rank() == 1 ? 0.3 * rng.nextGaussian() : d[i] * 1.3;
            }
            SafeTensors.save(dir.resolve("wengert_" + name + ".safetensors"), cell);
            Map<String, Tensor[]> out = run(cell, steps(f.get("input")));
            json.append(json.length() > 1 ? ",\n" : "\n").append('"').append(name).append("\":{\"kind\":\"")
                    .append(f.get("kind")).append("\",\"num_layers\":").append(f.get("num_layers"))
                    .append(",\"input_size\":").append(f.get("input_size")).append(",\"hidden_size\":")
                    .append(f.get("hidden_size")).append(",\"input\":").append(MiniJson.write(f.get("input")));
            for (Map.Entry<String, Tensor[]> e : out.entrySet()) {
                json.append(",\"").append(e.getKey()).append("\":").append(MiniJson.write(e.getValue()));
            }
            json.append('}');
            assertEquals(torchLayout(f), header(dir.resolve("wengert_" + name + ".safetensors")), name);
        }
        json.append("\n}\n");
        Files.writeString(dir.resolve("wengert_outputs.json"), json, StandardCharsets.UTF_8);
        Map<?, ?> back = (Map<?, ?>) MiniJson.parse(Files.readString(dir.resolve("wengert_outputs.json")));
        assertEquals(List.of("rnn", "lstm", "gru", "lstm2", "gru2"), List.copyOf(back.keySet().stream().map(Object::toString)
                .toList()));
    }

    /** Just enough JSON for the fixtures: objects (ordered), arrays, strings without escapes, numbers. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            MiniJson p = new MiniJson(text);
            Object v = p.value();
            p.ws();
            if (p.i != text.length()) throw new IllegalArgumentException("json: trailing text at " + p.i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = (String) value();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') {
                int end = s.indexOf('"', i + 1);
                String out = s.substring(i + 1, end);
                if (out.indexOf('\\') >= 0) throw new IllegalArgumentException("json: escapes are not supported");
                i = end + 1;
                return out;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            if (num.isEmpty()) throw new IllegalArgumentException("json: unexpected '" + c + "' at " + start);
            return num.matches("-?[0-9]+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) throw new IllegalArgumentException("json: expected '" + c + "' at " + (i - 1));
        }

        /** Nested lists of numbers, or tensors [batch, n] as nested lists, as JSON (shortest exact doubles). */
        static String write(Object o) {
            StringBuilder sb = new StringBuilder();
            write(o, sb);
            return sb.toString();
        }

        private static void write(Object o, StringBuilder sb) {
            if (o instanceof Tensor[]) {
                o = List.of((Tensor[]) o);
            }
            if (o instanceof Tensor) {
                Tensor t = (Tensor) o;
                List<Object> rows = new ArrayList<>();
                for (int r = 0; r < t.dim(0); r++) {
                    List<Object> row = new ArrayList<>();
                    for (int j = 0; j < t.dim(1); j++) row.add(t.data()[r * t.dim(1) + j]);
                    rows.add(row);
                }
                o = rows;
            }
            if (o instanceof List) {
                sb.append('[');
                boolean first = true;
                for (Object e : (List<?>) o) {
                    if (!first) sb.append(',');
                    first = false;
                    write(e, sb);
                }
                sb.append(']');
            } else {
                sb.append(((Number) o).toString());
            }
        }
    }
}
