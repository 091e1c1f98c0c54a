package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wengert.rnn.rtrl.GenericRtrl;
import dev.wengert.rnn.rtrl.LstmRtrl;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact RTRL learners' accessors name the learner, the argument and the range when given a bad index. */
class RtrlBadInputTest {
    static final long SEED = 3;

    @Test
    void influenceOfASequenceOutsideTheBatchIsNamed() {
        RnnRtrl rnn = new RnnRtrl(new RecurrentNet(new RnnCell(2, 3, new Random(SEED))), 2, 1);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> rnn.influence(2));
        assertEquals("RnnRtrl.influence: sequence 2 of a batch of 2", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> rnn.influence(-1));
        assertArrayEquals(new int[] {3, 9 + 6 + 3}, rnn.influence(1).shape());
        LstmRtrl lstm = new LstmRtrl(new RecurrentNet(new LstmCell(2, 3, new Random(SEED))), 1, 1);
        assertEquals("LstmRtrl.hInfluence: sequence 1 of a batch of 1",
                assertThrows(IndexOutOfBoundsException.class, () -> lstm.hInfluence(1)).getMessage());
        assertEquals("LstmRtrl.cInfluence: sequence -1 of a batch of 1",
                assertThrows(IndexOutOfBoundsException.class, () -> lstm.cInfluence(-1)).getMessage());
    }

    @Test
    void influenceOfAMissingStatePartIsNamed() {
        GenericRtrl g = new GenericRtrl(new RecurrentNet(new LstmCell(2, 3, new Random(SEED))), 1);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> g.influence(2));
        assertEquals("GenericRtrl.influence: state part 2 of a cell with 2 parts (LstmCell(2→3))", e.getMessage());
        assertArrayEquals(new int[] {g.p, 1, 3}, g.influence(1).shape());
    }
}
