package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final long SEED = 4;

    @Test
    void mlpNamesParametersHierarchicallyByPosition() {
        Sequential net = Mlp.builder(4).hidden(3, Activation.relu()).batchNorm().dropout(0.1).hidden(2, Activation.tanh())
                .output(1).outputActivation(Activation.sigmoid()).build(new Random(SEED));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias", "5.weight", "5.bias",
                "8.weight", "8.bias"), List.copyOf(net.namedParameters().keySet()));
        assertTrue(net.state().containsKey("1.running_mean") && net.state().containsKey("5.running_var")
                && net.state().containsKey("5.num_batches_tracked"));
        assertEquals(4 * 3 + 3 + 3 + 3 + 3 * 2 + 2 + 2 + 2 + 2 + 1, net.parameterCount());
        assertEquals(10, net.layers().size());
        net.eval();
        for (Layer l : net.layers()) if (l instanceof Module) assertFalse(((Module) l).isTraining());
        net.train(true);
        assertTrue(((Module) net.layers().get(1)).isTraining());
    }

    @Test
    void initialisersHaveTheirVariancesAndBiases() {
        Random rng = new Random(SEED);
        int in = 400;
        int out = 300;
        double[][] expected = {{1.0 / in, 0}, {2.0 / in, 0.01}, {2.0 / (in + out), 0}};
        Init[] inits = {Init.normalFanIn(), Init.he(0.01), Init.glorot()};
        for (int k = 0; k < inits.length; k++) {
            Tensor w = inits[k].weight(rng, in, out);
            double s = 0;
            for (double v : w.data()) s += v * v;
            double var = s / w.size();
            // 120,000 draws: the sample variance within 3% of the target.
            assertEquals(expected[k][0], var, 0.03 * expected[k][0], "initialiser " + k);
            assertEquals(expected[k][1], inits[k].bias(), 0);
        }
        Linear l = new Linear(3, 2, Init.normalFanIn(0.05), rng);
        assertArrayEquals(new double[] {0.05, 0.05}, l.bias().data(), 0);
        assertArrayEquals(new double[6], new Linear(3, 2, Init.constant(0, 0), rng).weight().data(), 0);
    }

    @Test
    void seededInitialisationIsReproducible() {
        Sequential a = Mlp.builder(5).hidden(4, Activation.tanh()).output(3).build(new Random(SEED));
        Sequential b = Mlp.builder(5).hidden(4, Activation.tanh()).output(3).build(new Random(SEED));
        for (String k : a.state().keySet()) assertArrayEquals(a.state().get(k).data(), b.state().get(k).data(), 0, k);
    }

    @Test
    void zeroGradForgetsAccumulatedGradients() {
        Sequential net = Mlp.builder(2).hidden(2, Activation.tanh()).output(1).build(new Random(SEED));
        try (Tape tape = Tape.open()) {
            tape.backward(Ops.sum(net.forward(Tensor.ones(3, 2))));
        }
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertNull(p.grad());
    }

    @Test
    void linearChecksItsInputShape() {
        Linear l = new Linear(3, 2, new Random(SEED));
        ShapeException e = assertThrows(ShapeException.class, () -> l.forward(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().startsWith("linear") && e.getMessage().contains("[4,5]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Mlp.builder(3).hidden(2, Activation.relu()).build(new Random(1)));
    }

    /** A module that keeps w [2,3] in memory and saves it transposed under another name, as recurrent cells do. */
    private static final class Transposing extends Module implements Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        final Tensor w = addParameter("w", Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        final Tensor b = addParameter("b", Tensor.vector(7, 8));

        @Override
        protected Map<String, Tensor> savedLayout() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("w_t", Ops.transpose(w).detach().copy());
            out.put("b", b);
            return out;
        }

        @Override
        protected void loadLayout(Map<String, Tensor> values) {
            w.assign(Ops.transpose(values.get("w_t")).detach());
            b.assign(values.get("b"));
        }

        @Override
        protected String layoutHint(List<String> unexpected) {
            return unexpected.stream().anyMatch(k -> k.endsWith(".w")) ? "w is saved transposed, as w_t" : null;
        }
    }

    @Test
    void aModuleMaySaveInAnotherLayoutThanItKeepsInMemory() {
        Sequential mlp = Mlp.builder(3).hidden(2, Activation.tanh()).batchNorm().output(1).build(new Random(SEED));
        // wengert-nn's modules: the saved layout is the in-memory one, the same live tensors.
        assertEquals(mlp.state().keySet(), mlp.savedState().keySet());
        for (String k : mlp.state().keySet()) assertTrue(mlp.state().get(k) == mlp.savedState().get(k), k);

        Sequential net = new Sequential(new Transposing(), new Transposing());
        assertEquals(List.of("0.w", "0.b", "1.w", "1.b"), List.copyOf(net.state().keySet()));
        assertEquals(List.of("0.w_t", "0.b", "1.w_t", "1.b"), List.copyOf(net.savedState().keySet()));
        assertArrayEquals(new int[] {3, 2}, net.savedState().get("1.w_t").shape());
        Map<String, Tensor> saved = new LinkedHashMap<>();
        net.savedState().forEach((k, v) -> saved.put(k, Ops.mul(v, 10.0).detach()));
        net.loadSaved(saved);
        assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60}, net.state().get("1.w").data(), 0);
        assertArrayEquals(new double[] {70, 80}, net.state().get("0.b").data(), 0);

        // A source in the in-memory layout does not fit: every mismatch is named, the hint once, nothing changes.
        Map<String, Tensor> memory = new LinkedHashMap<>(net.state());
        memory.put("1.b", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadSaved(memory));
        assertEquals("loadSaved: the tensors do not fit the model; missing [0.w_t, 1.w_t]; unexpected [0.w, 1.w]; "
                + "wrong shapes: '1.b' is [3] in the source, [2] in the model; w is saved transposed, as w_t", e.getMessage());
        assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60}, net.state().get("1.w").data(), 0);
        assertArrayEquals(new double[] {70, 80}, net.state().get("1.b").data(), 0);
        assertTrue(net.savedMismatches(saved, "file").isEmpty());
    }
}
