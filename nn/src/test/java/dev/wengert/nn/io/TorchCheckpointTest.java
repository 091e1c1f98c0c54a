package dev.wengert.nn.io;

import dev.wengert.nn.Activation;
import dev.wengert.nn.BatchNorm;
import dev.wengert.nn.Linear;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wengert.core.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch checkpoints as they are: a file PyTorch wrote (nn.Sequential(Linear(3, 3), Tanh(), Linear(3, 2)),
 * made by {@code torch/make_linear_fixture.py}, committed) loads into the same Wengert MLP by name and gives
 * PyTorch's outputs; the square first layer is where a transposed layout would load without a shape error
 * and give wrong outputs. A file Wengert writes has PyTorch's names, shapes and values.
 */
class TorchCheckpointTest {
    private static final String DIR = "/dev/wengert/nn/torch/";

    private static Path resource(String name) throws Exception {
        return Path.of(TorchCheckpointTest.class.getResource(DIR + name).toURI());
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

    private static Sequential model() {
        return Mlp.builder(3).hidden(3, Activation.tanh()).output(2).build(new Random(7));
    }

    @Test
    void aPyTorchCheckpointLoadsAsItIsAndGivesPyTorchsOutputs() throws Exception {
        Map<?, ?> expected = (Map<?, ?>) Json.parse(Files.readString(resource("torch_mlp.json"), StandardCharsets.UTF_8));
        Sequential net = model();
        SafeTensors.load(resource("torch_mlp.safetensors"), net);
        Tensor y = net.forward(matrix(expected.get("input")));
        Tensor want = matrix(expected.get("output"));
        assertArrayEquals(want.shape(), y.shape());
        for (int i = 0; i < y.size(); i++) {
            assertEquals(want.data()[i], y.data()[i], 1e-14, "output " + i + " differs from PyTorch's");
        }
        // Row i of the first weight is hidden unit i's weights, as in torch: [out, in].
        Map<String, Tensor> file = SafeTensors.load(resource("torch_mlp.safetensors"));
        assertArrayEquals(file.get("0.weight").data(), ((Linear) net.layers().get(0)).weight().data(), 0.0);
        assertArrayEquals(new int[] {2, 3}, ((Linear) net.layers().get(2)).weight().shape());
    }

    /**
     * nn.Sequential(Linear(3, 4), BatchNorm1d(4), Tanh(), Linear(4, 2)) after three training passes, stored in
     * F32 with PyTorch's int64 counter ({@code torch/make_batchnorm_fixture.py}): every name of PyTorch's
     * state_dict is a name of Wengert's, the counter loads from I64, and evaluation gives PyTorch's outputs.
     */
    @Test
    void aPyTorchBatchNormCheckpointInF32WithItsInt64CounterLoadsAndGivesPyTorchsOutputs(@TempDir Path dir)
            throws Exception {
        Map<?, ?> expected = (Map<?, ?>) Json.parse(Files.readString(resource("torch_bn.json"), StandardCharsets.UTF_8));
        Random rng = new Random(5);
        Sequential net = new Sequential(new Linear(3, 4, rng), new BatchNorm(4), Activation.tanh(), new Linear(4, 2, rng));
        Map<String, Tensor> file = SafeTensors.load(resource("torch_bn_f32.safetensors"));
        assertEquals(file.keySet(), net.state().keySet(), "PyTorch's state_dict names");
        SafeTensors.load(resource("torch_bn_f32.safetensors"), net);
        assertEquals(((Number) expected.get("num_batches_tracked")).doubleValue(),
                net.state().get("1.num_batches_tracked").item());
        net.eval();
        Tensor y = net.forward(matrix(expected.get("input")));
        Tensor want = matrix(expected.get("output"));
        for (int i = 0; i < y.size(); i++) {
            assertEquals(want.data()[i], y.data()[i], 1e-12 * Math.max(1, Math.abs(want.data()[i])),
                    "output " + i + " differs from PyTorch's");
        }
        // Training counts batches as PyTorch does; the saved file has the same names again.
        net.train(true);
        net.forward(matrix(expected.get("input")));
        assertEquals(((Number) expected.get("num_batches_tracked")).doubleValue() + 1,
                net.state().get("1.num_batches_tracked").item());
        Path out = dir.resolve("bn.safetensors");
        SafeTensors.save(out, net);
        assertEquals(file.keySet(), SafeTensors.load(out).keySet());
    }

    @Test
    void anI64ValueWithoutAnExactDoubleIsRefusedByName() {
        byte[] header = "{\"c\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putLong((1L << 53) + 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.decode(b.array(), "test"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("2^53"),
                e.getMessage());
    }

    @Test
    void aFileWengertWritesHasPyTorchsNamesShapesAndValues(@TempDir Path dir) throws Exception {
        Sequential net = model();
        SafeTensors.load(resource("torch_mlp.safetensors"), net);
        Path out = dir.resolve("roundtrip.safetensors");
        SafeTensors.save(out, net);
        Map<String, Tensor> torch = SafeTensors.load(resource("torch_mlp.safetensors"));
        Map<String, Tensor> ours = SafeTensors.load(out);
        assertEquals(torch.keySet(), ours.keySet());
        for (String k : torch.keySet()) {
            assertArrayEquals(torch.get(k).shape(), ours.get(k).shape(), k);
            assertArrayEquals(torch.get(k).data(), ours.get(k).data(), 0.0, k);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"f32", "f16", "bf16"})
    void float32Float16AndBfloat16CheckpointsLoadExactly(String dtype) throws Exception {
        Map<?, ?> all = (Map<?, ?>) Json.parse(Files.readString(resource("torch_mlp_dtypes.json"), StandardCharsets.UTF_8));
        Map<?, ?> expected = (Map<?, ?>) all.get(dtype);
        Map<String, Tensor> file = SafeTensors.load(resource("torch_mlp_" + dtype + ".safetensors"));
        Map<?, ?> tensors = (Map<?, ?>) expected.get("tensors");
        assertEquals(tensors.keySet(), file.keySet());
        for (Object k : tensors.keySet()) {
            List<?> values = (List<?>) tensors.get(k);
            double[] got = file.get(k).data();
            assertEquals(values.size(), got.length, k.toString());
            for (int i = 0; i < got.length; i++) {
                // torch's own conversion of the stored value to float64: exactly the same number.
                assertEquals(((Number) values.get(i)).doubleValue(), got[i], 0.0, k + "[" + i + "] (" + dtype + ")");
            }
        }
        Sequential net = model();
        SafeTensors.load(resource("torch_mlp_" + dtype + ".safetensors"), net);
        Map<?, ?> io = (Map<?, ?>) Json.parse(Files.readString(resource("torch_mlp.json"), StandardCharsets.UTF_8));
        Tensor y = net.forward(matrix(io.get("input")));
        Tensor want = matrix(expected.get("output"));
        for (int i = 0; i < y.size(); i++) assertEquals(want.data()[i], y.data()[i], 1e-14, "output " + i);
    }

    @Test
    void halfPrecisionBitsConvertExactly() {
        // Hand-derived: 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504 (largest), 0x0400 = 2^-14 (smallest normal),
        // 0x0001 = 2^-24 (smallest subnormal), 0x03ff = 1023 * 2^-24, 0x8000 = -0, 0x7c00 = +inf, 0x7e00 = NaN.
        assertEquals(1.0, SafeTensors.halfToDouble((short) 0x3c00), 0.0);
        assertEquals(-2.0, SafeTensors.halfToDouble((short) 0xc000), 0.0);
        assertEquals(65504.0, SafeTensors.halfToDouble((short) 0x7bff), 0.0);
        assertEquals(Math.scalb(1.0, -14), SafeTensors.halfToDouble((short) 0x0400), 0.0);
        assertEquals(Math.scalb(1.0, -24), SafeTensors.halfToDouble((short) 0x0001), 0.0);
        assertEquals(1023 * Math.scalb(1.0, -24), SafeTensors.halfToDouble((short) 0x03ff), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(SafeTensors.halfToDouble((short) 0x8000)));
        assertEquals(Double.POSITIVE_INFINITY, SafeTensors.halfToDouble((short) 0x7c00), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY, SafeTensors.halfToDouble((short) 0xfc00), 0.0);
        assertEquals(true, Double.isNaN(SafeTensors.halfToDouble((short) 0x7e00)));
        assertEquals(1.0 + Math.scalb(1.0, -10), SafeTensors.halfToDouble((short) 0x3c01), 0.0);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"F32", "F16", "BF16"})
    void savingInAReducedDtypeRoundsAsPyTorchDoes(String dtype, @TempDir Path dir) throws Exception {
        Map<?, ?> all = (Map<?, ?>) Json.parse(Files.readString(resource("torch_mlp_dtypes.json"), StandardCharsets.UTF_8));
        Map<?, ?> tensors = (Map<?, ?>) ((Map<?, ?>) all.get(dtype.toLowerCase(java.util.Locale.ROOT))).get("tensors");
        Sequential net = model();
        SafeTensors.load(resource("torch_mlp.safetensors"), net);
        Path out = dir.resolve("reduced.safetensors");
        SafeTensors.save(out, net, dtype);
        Map<String, Tensor> back = SafeTensors.load(out);
        for (Object k : tensors.keySet()) {
            List<?> values = (List<?>) tensors.get(k);
            for (int i = 0; i < values.size(); i++) {
                assertEquals(((Number) values.get(i)).doubleValue(), back.get(k).data()[i], 0.0, k + "[" + i + "] in " + dtype);
            }
        }
        int width = dtype.equals("F32") ? 4 : 2;
        long values = net.state().values().stream().mapToLong(Tensor::size).sum();
        long header = java.nio.ByteBuffer.wrap(Files.readAllBytes(out), 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + header + width * values, Files.size(out), "the data takes " + width + " bytes per value");
    }

    @Test
    void everyHalfAndBfloat16ValueSurvivesTheRoundTripAndTiesGoToEven() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            double v = SafeTensors.halfToDouble(h);
            if (Double.isNaN(v)) {
                assertEquals(true, Double.isNaN(SafeTensors.halfToDouble(SafeTensors.floatToHalf((float) v))));
                continue;
            }
            assertEquals(h, SafeTensors.floatToHalf((float) v), "half " + Integer.toHexString(bits));
            float b = Float.intBitsToFloat(bits << 16);
            if (!Float.isNaN(b)) assertEquals(h, SafeTensors.floatToBfloat16(b), "bfloat16 " + Integer.toHexString(bits));
            // Between this finite positive half and the next: the midpoint goes to the even one, above it up.
            if (bits < 0x7bff) {
                double next = SafeTensors.halfToDouble((short) (bits + 1));
                double mid = (v + next) / 2;
                short even = (bits & 1) == 0 ? h : (short) (bits + 1);
                assertEquals(even, SafeTensors.floatToHalf((float) mid), "tie above half " + Integer.toHexString(bits));
                assertEquals((short) (bits + 1), SafeTensors.floatToHalf(Math.nextUp((float) mid)), "above the tie");
                assertEquals(h, SafeTensors.floatToHalf(Math.nextDown((float) mid)), "below the tie");
            }
        }
        assertEquals((short) 0x7c00, SafeTensors.floatToHalf(65520f), "65520 rounds up to infinity");
        assertEquals((short) 0x7bff, SafeTensors.floatToHalf(65519.99f), "just below stays the largest half");
        assertEquals((short) 0x0000, SafeTensors.floatToHalf((float) Math.scalb(1.0, -25)), "half the smallest subnormal: tie to 0");
        assertEquals((short) 0x0001, SafeTensors.floatToHalf(Math.nextUp((float) Math.scalb(1.0, -25))), "just above: 2^-24");
    }
}
