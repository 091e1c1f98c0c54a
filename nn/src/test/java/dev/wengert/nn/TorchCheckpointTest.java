package dev.wengert.nn;

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
}
