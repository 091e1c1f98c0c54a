package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Optimizer.state() and loadState(): a restored optimiser continues exactly as the original would have. */
class OptimizerStateTest {
    private static List<Tensor> params(long seed) {
        Random rng = new Random(seed);
        return List.of(Tensor.randn(rng, 3, 2).requiresGrad(), Tensor.randn(rng, 4).requiresGrad());
    }

    private static List<Tensor> grads(Random rng) {
        return List.of(Tensor.randn(rng, 3, 2), Tensor.randn(rng, 4));
    }

    private static void continuesExactly(Function<List<Tensor>, Optimizer> make) {
        List<Tensor> a = params(1);
        Optimizer first = make.apply(a);
        Random g = new Random(2);
        for (int i = 0; i < 3; i++) first.step(grads(g));
        List<Tensor> b = List.of(a.get(0).copy().requiresGrad(), a.get(1).copy().requiresGrad());
        Optimizer second = make.apply(b);
        second.loadState(first.state());
        Random g1 = new Random(3);
        Random g2 = new Random(3);
        for (int i = 0; i < 2; i++) {
            first.step(grads(g1));
            second.step(grads(g2));
        }
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data());
    }

    @Test
    void adamRestoredContinuesBitForBit() {
        continuesExactly(p -> new Adam(p, 0.01));
        Adam adam = new Adam(params(1), 0.01);
        adam.step(grads(new Random(4)));
        Map<String, double[]> s = adam.state();
        assertEquals(List.of("m.0", "m.1", "v.0", "v.1", "step"), List.copyOf(s.keySet()));
        assertEquals(1.0, s.get("step")[0]);
    }

    @Test
    void momentumRestoredContinuesBitForBit() {
        continuesExactly(p -> Sgd.momentum(p, 0.1, 0.9));
        assertTrue(new Sgd(params(1), 0.1).state().isEmpty(), "plain SGD has no state");
    }

    @Test
    void aStateOfAnotherShapeIsRefusedByName() {
        Adam adam = new Adam(params(1), 0.01);
        Map<String, double[]> other = new Adam(List.of(Tensor.zeros(2).requiresGrad()), 0.01).state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(other));
        assertEquals("adam.loadState: state names [m.0, step, v.0] do not match this optimiser's [m.0, m.1, step, v.0, v.1]",
                e.getMessage());
        Map<String, double[]> shortM = new java.util.LinkedHashMap<>(adam.state());
        shortM.put("m.1", new double[1]);
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> adam.loadState(shortM));
        assertEquals("adam.loadState: 'm.1' has 1 entries, expected 4", len.getMessage());
    }
}
