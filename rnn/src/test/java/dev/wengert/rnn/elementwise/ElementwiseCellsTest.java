package dev.wengert.rnn.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The element-wise cells through the generic path: BPTT on the tape against central finite differences of
 * the sequence loss, generic RTRL (forward mode) against BPTT, the LRU's ring initialisation, and bad input.
 */
class ElementwiseCellsTest {
    static final long SEED = 1301;
    static final double FD_TOLERANCE = 1e-6;
    static final double AGREEMENT = 1e-12;

    private static Cell[] cells(Random rng) {
        return new Cell[] {Nets.cell(Nets.Kind.LRU, 2, 3, 2, 0.4, 0.95, rng),
                Nets.cell(Nets.Kind.DIAGONAL, 2, 3, 3, 0.4, 0.95, rng), Nets.cell(Nets.Kind.ELSTM, 2, 3, 3, 0, 1, rng),
                new StackedCell(Nets.cell(Nets.Kind.LRU, 2, 2, 3, 0.5, 0.9, rng),
                        Nets.cell(Nets.Kind.ELSTM, 3, 2, 2, 0, 1, rng))};
    }

    @Test
    void bpttOfEachCellMatchesFiniteDifferences() {
        Random rng = new Random(SEED);
        for (Cell cell : cells(rng)) {
            RecurrentNet net = RecurrentNet.withReadout(cell, 2, rng);
            Tensor[] xs = Nets.inputs(6, 2, 2, rng);
            StepLoss loss = Nets.squaredError(6, 2, 2, rng);
            double[] g = Bptt.gradient(net, null, xs, loss).flat();
            double err = Nets.finiteDifferenceError(net, xs, loss, g, 1e-5);
            assertTrue(err < FD_TOLERANCE, cell.name() + ": BPTT vs finite differences, error " + err);
        }
    }

    @Test
    void genericRtrlOfEachCellAgreesWithBptt() {
        Random rng = new Random(SEED + 1);
        for (Cell cell : cells(rng)) {
            RecurrentNet net = RecurrentNet.withReadout(cell, 3, rng);
            Tensor[] xs = Nets.inputs(9, 2, 2, rng);
            StepLoss loss = Nets.squaredError(9, 2, 3, rng);
            SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
            SequenceGradient rtrl = ForwardLearner.run(Rtrl.generic(net, 2), xs, loss);
            double err = rtrl.relativeError(bptt);
            assertTrue(err <= AGREEMENT, cell.name() + ": generic RTRL vs BPTT, relative error " + err);
            assertTrue(bptt.flat().length > 0 && maxAbs(bptt.flat()) > 1e-3, "a gradient worth comparing");
        }
    }

    @Test
    void lruStepMatchesComplexArithmetic() {
        Random rng = new Random(SEED + 2);
        LruCell lru = LruCell.ring(2, 3, 2, rng);
        Tensor x = Tensor.randn(rng, 1, 2);
        Tensor[] s = {Tensor.randn(rng, 1, 3), Tensor.randn(rng, 1, 3), Tensor.zeros(1, 2)};
        Tensor[] next = lru.step(s, x);
        double[] u = x.data();
        for (int j = 0; j < 3; j++) {
            double mod = Math.exp(-Math.exp(lru.nuLog().data()[j]));
            double phase = Math.exp(lru.thetaLog().data()[j]);
            double gamma = Math.exp(lru.gammaLog().data()[j]);
            double bu = 0;
            double bui = 0;
            for (int k = 0; k < 2; k++) {
                bu += lru.bRe().data()[j * 2 + k] * u[k];
                bui += lru.bIm().data()[j * 2 + k] * u[k];
            }
            // (a + ib)(c + id) with λ = mod e^{i phase}
            double lr = mod * Math.cos(phase);
            double li = mod * Math.sin(phase);
            double xr = s[0].data()[j];
            double xi = s[1].data()[j];
            assertEquals(lr * xr - li * xi + gamma * bu, next[0].data()[j], 1e-14);
            assertEquals(li * xr + lr * xi + gamma * bui, next[1].data()[j], 1e-14);
        }
    }

    @Test
    void ringInitialisationStaysOnTheRingWithNormalisedInputs() {
        Random rng = new Random(SEED + 3);
        LruCell lru = LruCell.ring(4, 200, 3, 0.9, 0.999, 0.5, rng);
        for (int j = 0; j < 200; j++) {
            double mod = Math.exp(-Math.exp(lru.nuLog().data()[j]));
            double phase = Math.exp(lru.thetaLog().data()[j]);
            double gamma = Math.exp(lru.gammaLog().data()[j]);
            assertTrue(mod >= 0.9 - 1e-12 && mod <= 0.999 + 1e-12, "|λ| = " + mod);
            assertTrue(phase > 0 && phase <= 0.5, "phase " + phase);
            assertEquals(Math.sqrt(1 - mod * mod), gamma, 1e-12);
        }
        LruCell again = LruCell.ring(4, 200, 3, 0.9, 0.999, 0.5, new Random(SEED + 3));
        for (int i = 0; i < lru.parameters().size(); i++) {
            assertArrayEquals(lru.parameters().get(i).data(), again.parameters().get(i).data(), "same seed, same bits");
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Random rng = new Random(SEED + 4);
        var e = assertThrows(IllegalArgumentException.class, () -> LruCell.ring(2, 3, 2, 0.5, 0.4, 1, rng));
        assertTrue(e.getMessage().contains("r_min") && e.getMessage().contains("0.4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LruCell.ring(2, 0, 2, rng));
        assertTrue(e.getMessage().contains("state size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LruCell.ring(2, 3, 2, 0, 1, Double.NaN, rng));
        assertTrue(e.getMessage().contains("max_phase"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new LruCell(Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3),
                Tensor.zeros(3, 2), Tensor.zeros(3, 2), Tensor.zeros(2, 3), Tensor.zeros(2, 4), Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().contains("C_im [2,4]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new DiagonalRnnCell(Tensor.zeros(3), Tensor.zeros(2, 2),
                Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("B [2,2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DiagonalRnnCell(2, 3, 0.2, 1.5, rng));
        assertTrue(e.getMessage().contains("r_max = 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ElstmCell(2, 3, Double.POSITIVE_INFINITY, rng));
        assertTrue(e.getMessage().contains("forget bias"), e.getMessage());
        var npe = assertThrows(NullPointerException.class, () -> new ElstmCell(2, 3, 1.0, null));
        assertTrue(npe.getMessage().contains("rng"), npe.getMessage());
        Cell lru = LruCell.ring(2, 3, 2, rng);
        e = assertThrows(ShapeException.class, () -> lru.step(lru.initialState(1), Tensor.zeros(1, 5)));
        assertTrue(e.getMessage().contains("LruCell") && e.getMessage().contains("[1,5]"), e.getMessage());
    }

    @Test
    void stepsNeverWriteTheirInputs() {
        Random rng = new Random(SEED + 5);
        for (Cell cell : cells(rng)) {
            Tensor x = Tensor.randn(rng, 2, 2);
            Tensor[] s = cell.initialState(2);
            for (Tensor part : s) part.mutableData()[0] = 0.5;
            double[] x0 = x.toArray();
            double[][] s0 = new double[s.length][];
            for (int i = 0; i < s.length; i++) s0[i] = s[i].toArray();
            cell.step(s, x);
            assertArrayEquals(x0, x.data());
            for (int i = 0; i < s.length; i++) assertArrayEquals(s0[i], s[i].data());
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
