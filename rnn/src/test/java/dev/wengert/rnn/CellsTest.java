package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.bptt.Bptt;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cells' equations on hand-computed scalar cases, their parameters, stacking, batching and errors. */
class CellsTest {
    static final long SEED = 99;
    static final double EXACT = 1e-15;

    private static double sig(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    @Test
    void vanillaCellComputesTanhOfTheAffineMap() {
        RnnCell c = new RnnCell(Tensor.of(new double[] {0.5}, 1, 1), Tensor.of(new double[] {-2}, 1, 1), Tensor.vector(0.25));
        Tensor[] s = c.step(new Tensor[] {Tensor.of(new double[] {0.3}, 1, 1)}, Tensor.of(new double[] {0.7}, 1, 1));
        assertEquals(Math.tanh(0.5 * 0.3 - 2 * 0.7 + 0.25), s[0].item(), EXACT);
        assertEquals(List.of("W_hh", "W_xh", "b"), List.copyOf(c.namedParameters().keySet()));
    }

    @Test
    void lstmCellFollowsTheNotesEquations() {
        double[] w = {0.1, 0.2, 0.3, -0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, -1.1, 1.2};
        LstmCell c = LstmCell.scalar(w);
        double h = 0.4;
        double cPrev = -0.3;
        double x = 0.9;
        Tensor[] s = c.step(new Tensor[] {Tensor.of(new double[] {h}, 1, 1), Tensor.of(new double[] {cPrev}, 1, 1)},
                Tensor.of(new double[] {x}, 1, 1));
        double f = sig(w[0] * h + w[1] * x + w[2]);
        double i = sig(w[3] * h + w[4] * x + w[5]);
        double o = sig(w[6] * h + w[7] * x + w[8]);
        double cand = Math.tanh(w[9] * h + w[10] * x + w[11]);
        double cNew = f * cPrev + i * cand;
        assertEquals(o * Math.tanh(cNew), s[0].item(), EXACT);
        assertEquals(cNew, s[1].item(), EXACT);
        assertEquals(List.of("W_fh", "W_fx", "b_f", "W_ih", "W_ix", "b_i", "W_oh", "W_ox", "b_o", "W_ch", "W_cx", "b_c"),
                List.copyOf(c.namedParameters().keySet()));
    }

    @Test
    void gruCellFollowsItsEquations() {
        GruCell c = new GruCell(1, 1, new Random(SEED));
        double[] p = new double[9];
        int k = 0;
        for (Tensor t : c.parameters()) p[k] = t.mutableData()[0] = 0.3 * (k++ - 4);
        double h = 0.6;
        double x = -0.8;
        Tensor[] s = c.step(new Tensor[] {Tensor.of(new double[] {h}, 1, 1)}, Tensor.of(new double[] {x}, 1, 1));
        double z = sig(p[0] * h + p[1] * x + p[2]);
        double r = sig(p[3] * h + p[4] * x + p[5]);
        double n = Math.tanh(p[6] * r * h + p[7] * x + p[8]);
        assertEquals((1 - z) * n + z * h, s[0].item(), 1e-15);
    }

    @Test
    void pytorchsGruAppliesTheResetGateAfterTheRecurrentProduct() {
        GruCell c = GruCell.torch(1, 1, new Random(SEED));
        assertEquals(true, c.resetAfter());
        assertEquals("GruCell.torch(1→1)", c.name());
        double[] p = new double[10];
        int k = 0;
        for (Tensor t : c.parameters()) p[k] = t.mutableData()[0] = 0.3 * (k++ - 4);
        double h = 0.6;
        double x = -0.8;
        Tensor[] s = c.step(new Tensor[] {Tensor.of(new double[] {h}, 1, 1)}, Tensor.of(new double[] {x}, 1, 1));
        double z = sig(p[0] * h + p[1] * x + p[2]);
        double r = sig(p[3] * h + p[4] * x + p[5]);
        // torch.nn.GRU: n = tanh(W_in x + b_in + r (W_hn h + b_hn)).
        double n = Math.tanh(p[7] * x + p[8] + r * (p[6] * h + p[9]));
        assertEquals((1 - z) * n + z * h, s[0].item(), 1e-15);
        // The reset-before cell with the same nine weights gives a different value: two functions.
        GruCell cho = new GruCell(1, 1, new Random(SEED));
        for (int j = 0; j < 9; j++) cho.parameters().get(j).mutableData()[0] = p[j];
        double other = cho.step(new Tensor[] {Tensor.of(new double[] {h}, 1, 1)}, Tensor.of(new double[] {x}, 1, 1))[0].item();
        assertTrue(Math.abs(other - s[0].item()) > 1e-3, other + " vs " + s[0].item());
    }

    @Test
    void stackedCellFeedsEachLayerTheOutputOfTheOneBelow() {
        Random rng = new Random(SEED);
        LstmCell a = new LstmCell(3, 4, rng);
        RnnCell b = new RnnCell(4, 2, rng);
        StackedCell st = new StackedCell(a, b);
        assertArrayEquals(new int[] {4, 4, 2}, st.stateSizes());
        assertEquals(2, st.outputPart());
        assertEquals(a.parameterCount() + b.parameterCount(), st.parameterCount());
        assertEquals("0.W_fh", st.namedParameters().keySet().iterator().next());
        Tensor x = Tensor.randn(rng, 2, 3);
        Tensor[] s0 = st.initialState(2);
        Tensor[] s = st.step(s0, x);
        Tensor[] sa = a.step(new Tensor[] {s0[0], s0[1]}, x);
        Tensor[] sb = b.step(new Tensor[] {s0[2]}, sa[0]);
        assertArrayEquals(sb[0].data(), s[2].data());
        assertArrayEquals(sa[1].data(), s[1].data());
        var e = assertThrows(IllegalArgumentException.class, () -> new StackedCell(a, new RnnCell(3, 2, rng)));
        assertEquals("StackedCell: layer 1 (RnnCell(3→2)) reads 3 inputs but layer 0 (LstmCell(3→4)) outputs 4",
                e.getMessage());
    }

    @Test
    void aBatchIsTheSumOfItsSequences() {
        Random rng = new Random(SEED);
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(2, 3, rng), 2, rng);
        int T = 5;
        Tensor[] xs = Fixtures.inputs(T, 2, 2, rng);
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) targets[t] = Tensor.randn(rng, 2, 2);
        // Σ_b Σ_k (y − target)², without the batch average, so the batch loss is the sum of the sequences'.
        StepLoss loss = (t, y) -> dev.wengert.ops.Ops.sum(dev.wengert.ops.Ops.square(dev.wengert.ops.Ops.sub(y, targets[t])));
        double[] both = Bptt.gradient(net, null, xs, loss).flat();
        double[] sum = new double[both.length];
        for (int b = 0; b < 2; b++) {
            int row = b;
            Tensor[] xb = new Tensor[T];
            for (int t = 0; t < T; t++) xb[t] = dev.wengert.ops.Ops.slice(xs[t], 0, row, row + 1);
            StepLoss lb = (t, y) -> dev.wengert.ops.Ops.sum(dev.wengert.ops.Ops.square(
                    dev.wengert.ops.Ops.sub(y, dev.wengert.ops.Ops.slice(targets[t], 0, row, row + 1))));
            double[] g = Bptt.gradient(net, null, xb, lb).flat();
            for (int i = 0; i < g.length; i++) sum[i] += g[i];
        }
        assertEquals(0.0, SequenceGradient.relativeError(both, sum), 1e-14);
    }

    @Test
    void wrongShapesAreNamed() {
        Random rng = new Random(SEED);
        RnnCell c = new RnnCell(3, 4, rng);
        var e = assertThrows(ShapeException.class, () -> c.step(c.initialState(2), Tensor.zeros(2, 5)));
        assertEquals("RnnCell(3→4).step: input x has shape [2,5], expected [batch,3]", e.getMessage());
        e = assertThrows(ShapeException.class, () -> c.step(c.initialState(3), Tensor.zeros(2, 3)));
        assertEquals("RnnCell(3→4).step: state part 0 has shape [3,4], expected [2,4] (batch of x: 2)", e.getMessage());
        var w = assertThrows(ShapeException.class,
                () -> new RnnCell(Tensor.zeros(4, 4), Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertEquals("RnnCell: weights of shapes W_hh [4,4], W_xh [3,2], b [4] do not fit together (expected [n,n], "
                + "[n,m], [n])", w.getMessage());
        RecurrentNet net = new RecurrentNet(c);
        Tensor[] xs = {Tensor.zeros(1, 3), Tensor.zeros(1, 2)};
        e = assertThrows(ShapeException.class, () -> Bptt.gradient(net, null, xs, StepLoss.sumOfSquares()));
        assertEquals("bptt: input x_1 has shape [1,2], expected [1,3] (batch of x_0, inputs of RnnCell(3→4))",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Bptt.gradient(net, null, new Tensor[] {Tensor.zeros(1, 3)},
                (t, y) -> add(y, 1.0)));
        assertEquals("loss: step 0 returned a tensor of shape [1,4]; a step loss must be a scalar (sum or average over "
                + "the batch)", e.getMessage());
    }
}
