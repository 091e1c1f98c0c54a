package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.Tbptt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both forms of truncated BPTT against brute-force references, and their limits (k ≥ T is full BPTT). */
class TbpttTest {
    static final long SEED = 404;
    static final double TOLERANCE = 1e-12;
    static final int T = 13;
    static final int BATCH = 2;

    private RecurrentNet net(Fixtures.Kind kind, Random rng) {
        RecurrentNet net = RecurrentNet.withReadout(Fixtures.cell(kind, 3, 4, rng), 2, rng);
        Fixtures.perturb(net, 1.5, rng);
        return net;
    }

    @ParameterizedTest
    @EnumSource(Fixtures.Kind.class)
    void chunkedMatchesOneTapeWithDetachesAtChunkBoundaries(Fixtures.Kind kind) {
        Random rng = new Random(SEED);
        RecurrentNet net = net(kind, rng);
        Tensor[] xs = Fixtures.inputs(T, BATCH, 3, rng);
        StepLoss loss = Fixtures.squaredError(T, BATCH, 2, rng);
        for (int k : new int[] {1, 2, 4, 5, 12}) {
            double[] ref = Reference.chunked(net, xs, loss, k);
            double[] got = Tbptt.chunked(net, null, xs, loss, k, null).flat();
            double err = SequenceGradient.relativeError(got, ref);
            assertTrue(err <= TOLERANCE, kind + ", k = " + k + ": relative error " + err);
        }
    }

    @ParameterizedTest
    @EnumSource(Fixtures.Kind.class)
    void williamsPengMatchesPerLossReference(Fixtures.Kind kind) {
        Random rng = new Random(SEED + 1);
        RecurrentNet net = net(kind, rng);
        Tensor[] xs = Fixtures.inputs(T, BATCH, 3, rng);
        StepLoss loss = Fixtures.crossEntropy(T, BATCH, 2, rng);
        int[][] k1k2 = {{1, 1}, {1, 3}, {2, 5}, {3, 3}, {4, 7}, {5, 6}};
        for (int[] k : k1k2) {
            double[] ref = Reference.williamsPeng(net, xs, loss, k[0], k[1]);
            double[] got = Tbptt.williamsPeng(net, null, xs, loss, k[0], k[1], null).flat();
            double err = SequenceGradient.relativeError(got, ref);
            assertTrue(err <= TOLERANCE, kind + ", TBPTT(" + k[0] + ", " + k[1] + "): relative error " + err);
        }
    }

    @Test
    void bothFormsEqualFullBpttWhenTheTruncationCoversTheSequence() {
        Random rng = new Random(SEED + 2);
        RecurrentNet net = net(Fixtures.Kind.LSTM, rng);
        Tensor[] xs = Fixtures.inputs(T, BATCH, 3, rng);
        StepLoss loss = Fixtures.squaredError(T, BATCH, 2, rng);
        SequenceGradient full = Bptt.gradient(net, null, xs, loss);
        // Chunked with k >= T is one chunk: the same computation, bit for bit.
        assertArrayEquals(full.flat(), Tbptt.chunked(net, null, xs, loss, T, null).flat());
        assertArrayEquals(full.flat(), Tbptt.chunked(net, null, xs, loss, T + 7, null).flat());
        assertArrayEquals(full.flat(), Tbptt.williamsPeng(net, null, xs, loss, T, T, null).flat());
        // k2 >= T: every loss reaches the start; the windows' gradients sum to the full gradient.
        for (int k1 : new int[] {1, 3, 5}) {
            SequenceGradient wp = Tbptt.williamsPeng(net, null, xs, loss, k1, T, null);
            assertTrue(wp.relativeError(full) <= TOLERANCE, "TBPTT(" + k1 + ", T): " + wp.relativeError(full));
            assertEquals(full.loss(), wp.loss(), 1e-12 * Math.abs(full.loss()));
        }
    }

    @Test
    void truncationChangesTheGradientAndTheTwoFormsCoincideForEqualKs() {
        Random rng = new Random(SEED + 3);
        RecurrentNet net = net(Fixtures.Kind.RNN, rng);
        Tensor[] xs = Fixtures.inputs(T, BATCH, 3, rng);
        StepLoss loss = Fixtures.squaredError(T, BATCH, 2, rng);
        SequenceGradient full = Bptt.gradient(net, null, xs, loss);
        SequenceGradient chunked = Tbptt.chunked(net, null, xs, loss, 3, null);
        assertTrue(chunked.relativeError(full) > 1e-3, "a truncated gradient should differ from the full one");
        assertEquals(full.loss(), chunked.loss(), 1e-12 * Math.abs(full.loss()), "the forward pass is exact");
        // When k divides the length, TBPTT(k, k) is the chunked form (at a final partial window of
        // a length that k does not divide, TBPTT(k1, k2) still looks back k2 steps).
        Tensor[] xs12 = java.util.Arrays.copyOf(xs, 12);
        for (int k : new int[] {1, 3, 4, 6}) {
            SequenceGradient a = Tbptt.chunked(net, null, xs12, loss, k, null);
            SequenceGradient b = Tbptt.williamsPeng(net, null, xs12, loss, k, k, null);
            assertTrue(a.relativeError(b) <= TOLERANCE, "TBPTT(k, k) vs chunked(k), k = " + k);
        }
    }

    @Test
    void stateIsCarriedAcrossChunksAndCallsExactly() {
        Random rng = new Random(SEED + 4);
        RecurrentNet net = net(Fixtures.Kind.GRU, rng);
        Tensor[] xs = Fixtures.inputs(T, BATCH, 3, rng);
        StepLoss loss = Fixtures.squaredError(T, BATCH, 2, rng);
        Tensor[] end = Bptt.gradient(net, null, xs, loss).finalState();
        Tensor[] chunkedEnd = Tbptt.chunked(net, null, xs, loss, 4, null).finalState();
        Tensor[] wpEnd = Tbptt.williamsPeng(net, null, xs, loss, 2, 5, null).finalState();
        assertArrayEquals(end[0].data(), chunkedEnd[0].data());
        assertArrayEquals(end[0].data(), wpEnd[0].data());
    }

    @Test
    void badTruncationsAreRefused() {
        Random rng = new Random(SEED);
        RecurrentNet net = net(Fixtures.Kind.RNN, rng);
        Tensor[] xs = Fixtures.inputs(4, 1, 3, rng);
        StepLoss loss = StepLoss.sumOfSquares();
        var e = assertThrows(IllegalArgumentException.class, () -> Tbptt.williamsPeng(net, null, xs, loss, 3, 2, null));
        assertEquals("tbptt: TBPTT(k1, k2) needs k2 >= k1 >= 1, got k1 = 3, k2 = 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tbptt.chunked(net, null, xs, loss, 0, null));
    }
}
