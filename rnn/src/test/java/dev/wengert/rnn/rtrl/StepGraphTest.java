package dev.wengert.rnn.rtrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.CustomCells;
import dev.wengert.rnn.GruCell;
import dev.wengert.rnn.LstmCell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.internal.Hooks;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What generic RTRL's step analysis finds in each cell: the structured parameters, the seeds (tangent
 * directions per unit instead of per scalar), the dense parameters, and whether the sequences of a batch are
 * kept apart; and the messages for cells whose step does not return what they declare.
 */
class StepGraphTest {
    static final long SEED = 7;

    private static StepGraph probe(Cell cell, int batch) {
        Random rng = new Random(SEED);
        Tensor[] state = cell.initialState(batch);
        for (Tensor s : state) {
            double[] d = s.mutableData();
            for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        }
        return StepGraph.record("test", cell, Hooks.params(cell), state, Tensor.randn(rng, batch, cell.inputSize()));
    }

    private static int seedWidths(StepGraph g) {
        int w = 0;
        for (StepGraph.Seed s : g.seeds) w += s.width;
        return w;
    }

    @Test
    void theVanillaRnnIsOneSeedOfNDirectionsForAllItsParameters() {
        StepGraph g = probe(new RnnCell(5, 7, new Random(SEED)), 3);
        assertTrue(g.rowLocal);
        assertArrayEquals(new boolean[] {true, true, true}, g.structured);
        assertEquals(1, g.seeds.size()); // W h + U x + b: the three uses share the sum's directions
        assertEquals(7, g.seedDirections);
        assertEquals(3, g.seeds.get(0).uses.size());
        assertEquals(0, g.denseDirections);
        assertEquals(7, g.seeds.get(0).direction); // after the state's 7
    }

    @Test
    void theLstmAndGruHaveOneSeedPerGate() {
        StepGraph lstm = probe(new LstmCell(3, 4, new Random(SEED)), 2);
        assertTrue(lstm.rowLocal);
        assertEquals(4, lstm.seeds.size());
        assertEquals(16, lstm.seedDirections);
        assertEquals(0, lstm.denseParams.length);
        StepGraph gru = probe(new GruCell(3, 4, new Random(SEED)), 2);
        assertTrue(gru.rowLocal);
        assertEquals(3, gru.seeds.size());
        assertEquals(0, gru.denseDirections);
        StepGraph stacked = probe(new StackedCell(new LstmCell(3, 4, new Random(SEED)), new RnnCell(4, 5,
                new Random(SEED))), 2);
        assertTrue(stacked.rowLocal);
        assertEquals(4 * 4 + 5, stacked.seedDirections);
    }

    @Test
    void everyRecognisedUseIsFoundInAHandWrittenCell() {
        StepGraph g = probe(new CustomCells.Kronecker(3, 4, new Random(SEED)), 2);
        assertTrue(g.rowLocal);
        for (boolean s : g.structured) assertTrue(s);
        // Seeds: a = hW + xUᵀ − b, y = a ⊙ g, h' = tanh(y) + c + b, m' = d − m ⊙ σ(h').
        assertEquals(4, g.seeds.size());
        assertEquals(16, seedWidths(g));
        int subtracted = 0;
        int kinds = 0;
        for (StepGraph.Seed s : g.seeds) {
            for (StepGraph.Use u : s.uses) {
                kinds |= 1 << u.kind;
                if (u.sign < 0) subtracted++;
            }
        }
        assertEquals(0b1111, kinds); // products v Wᵀ and v W, biases, a gain
        assertEquals(1, subtracted); // − b (d − ... keeps d's sign)
    }

    @Test
    void parametersThroughOtherOpsAreDense() {
        StepGraph g = probe(new CustomCells.Dense(3, 4, new Random(SEED)), 2);
        assertTrue(g.rowLocal);
        assertArrayEquals(new boolean[] {false, true, false}, g.structured);
        assertArrayEquals(new int[] {0, 2}, g.denseParams);
        assertEquals(16 + 4, g.denseDirections);
        assertEquals(4, g.seedDirections);
    }

    @Test
    void aStepThatMixesSequencesIsRowLocalOnlyForOneSequence() {
        assertFalse(probe(new CustomCells.Mixing(3, 4, new Random(SEED)), 2).rowLocal);
        assertTrue(probe(new CustomCells.Mixing(3, 4, new Random(SEED)), 1).rowLocal);
    }

    @Test
    void recordingLeavesNoTraceOnTheCallersTape() {
        Cell cell = new RnnCell(2, 3, new Random(SEED));
        try (Tape tape = Tape.open()) {
            StepGraph g = probe(cell, 2);
            int k = 3 + g.seedDirections;
            g.replay(k, new Tensor[3], new Tensor[] {Tensor.zeros(k, 2, 3)}, true);
            assertEquals(0, tape.size());
        }
    }

    /** A cell whose step does not return the state it declares. */
    static final class Broken extends Cell {
        final int mode;

        Broken(int mode) {
            super(2, 3);
            this.mode = mode;
            addParameter("b", Tensor.zeros(3));
        }

        @Override
        public int[] stateSizes() {
            return new int[] {3};
        }

        @Override
        public Tensor[] step(Tensor[] p, Tensor[] s, Tensor x) {
            switch (mode) {
                case 0: return new Tensor[] {s[0], s[0]};
                case 1: return new Tensor[] {Tensor.zeros(1, 3)};
                case 2: return new Tensor[] {null};
                default: return null;
            }
        }
    }

    @Test
    void aStepReturningTheWrongStateIsNamed() {
        var parts = assertThrows(IllegalStateException.class, () -> new GenericRtrl(new RecurrentNet(new Broken(0)), 2));
        assertEquals("GenericRtrl: Broken(2→3).step returned 2 state parts, the cell declares 1 (stateSizes)",
                parts.getMessage());
        var shape = assertThrows(ShapeException.class, () -> new GenericRtrl(new RecurrentNet(new Broken(1)), 2));
        assertEquals("GenericRtrl: Broken(2→3).step returned state part 0 of shape [1,3], expected [2,3]",
                shape.getMessage());
        var nul = assertThrows(IllegalStateException.class, () -> new GenericRtrl(new RecurrentNet(new Broken(2)), 2));
        assertEquals("GenericRtrl: Broken(2→3).step returned null as state part 0", nul.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> new GenericRtrl(new RecurrentNet(new Broken(3)), 2));
        assertEquals("GenericRtrl: Broken(2→3).step returned null", none.getMessage());
    }
}
