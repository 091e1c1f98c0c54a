package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The per-thread reuse pool: exact lengths, each array out once, small arrays and overflow not kept. */
class ArrayPoolTest {

    @Test
    void anArrayIsTakenOnceAndOnlyAtItsLength() {
        ArrayPool pool = new ArrayPool();
        double[] a = new double[1000];
        pool.give(a);
        pool.give(a); // twice: still one entry
        assertNull(pool.take(999));
        assertSame(a, pool.take(1000));
        assertNull(pool.take(1000), "given twice, taken once");
    }

    @Test
    void smallArraysAndArraysPastTheBoundsAreNotKept() {
        ArrayPool pool = new ArrayPool();
        pool.give(new double[ArrayPool.MIN_LENGTH - 1]);
        assertNull(pool.take(ArrayPool.MIN_LENGTH - 1));
        for (int i = 0; i < ArrayPool.SLOTS + 3; i++) pool.give(new double[ArrayPool.MIN_LENGTH + i]);
        int kept = 0;
        for (int i = 0; i < ArrayPool.SLOTS + 3; i++) {
            if (pool.take(ArrayPool.MIN_LENGTH + i) != null) kept++;
        }
        org.junit.jupiter.api.Assertions.assertEquals(ArrayPool.SLOTS, kept);
        ArrayPool big = new ArrayPool();
        big.give(new double[(int) (ArrayPool.MAX_DOUBLES / 2) + 1]);
        big.give(new double[(int) (ArrayPool.MAX_DOUBLES / 2) + 1]);
        assertNotNull(big.take((int) (ArrayPool.MAX_DOUBLES / 2) + 1));
        assertNull(big.take((int) (ArrayPool.MAX_DOUBLES / 2) + 1), "the second would pass the byte bound");
    }
}
