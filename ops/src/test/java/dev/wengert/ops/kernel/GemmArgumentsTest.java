package dev.wengert.ops.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The entry points' argument checks and the cheap special cases, with exact values. */
class GemmArgumentsTest {

    @Test
    void nullArraysAreNamed() {
        RuntimeException a = assertThrows(RuntimeException.class, () -> Gemm.matmul(null, new double[1], 1, 1, 1));
        assertEquals("Gemm.matmul: a is null", a.getMessage());
        RuntimeException b = assertThrows(RuntimeException.class, () -> Gemm.matmul(new double[1], null, 1, 1, 1));
        assertEquals("Gemm.matmul: b is null", b.getMessage());
        double[] one = new double[1];
        RuntimeException ga = assertThrows(RuntimeException.class,
                () -> Gemm.gemm(false, false, 1, 1, 1, 1.0, null, 0, 1, one, 0, 1, 0.0, one, 0, 1));
        assertEquals("Gemm.gemm: a is null", ga.getMessage());
        RuntimeException gb = assertThrows(RuntimeException.class,
                () -> Gemm.gemm(false, false, 1, 1, 1, 1.0, one, 0, 1, null, 0, 1, 0.0, one, 0, 1));
        assertEquals("Gemm.gemm: b is null", gb.getMessage());
        RuntimeException gc = assertThrows(RuntimeException.class,
                () -> Gemm.gemm(false, false, 1, 1, 1, 1.0, one, 0, 1, one, 0, 1, 0.0, null, 0, 1));
        assertEquals("Gemm.gemm: c is null", gc.getMessage());
    }

    @Test
    void matmulChecksEveryDimensionAndTheResultSize() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[0], new double[0], 0, -1, 0));
        assertEquals("Gemm.matmul: negative dimension m=0, k=-1, n=0", k.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[0], new double[0], 0, 0, -2));
        assertEquals("Gemm.matmul: negative dimension m=0, k=0, n=-2", n.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[5], new double[6], 2, 3, 2));
        assertEquals("Gemm.matmul: a.length=5 but m*k=2*3=6", a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[6], new double[7], 2, 3, 2));
        assertEquals("Gemm.matmul: b.length=7 but k*n=3*2=6", b.getMessage());
        // k = 0 makes the operands empty whatever m and n are; the result would still need m*n slots.
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[0], new double[0], 65536, 0, 32768));
        assertEquals("Gemm.matmul: result m*n=65536*32768 is too large for an array", big.getMessage());
        // The largest allowed result size: Integer.MAX_VALUE - 8 elements, checked without allocating.
        IllegalArgumentException justOver = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new double[0], new double[0], 1, 0, Integer.MAX_VALUE - 7));
        assertTrue(justOver.getMessage().contains("too large"), justOver.getMessage());
    }

    @Test
    void matmulWithAnEmptyInnerDimensionIsZero() {
        assertArrayEquals(new double[6], Gemm.matmul(new double[0], new double[0], 2, 0, 3));
        // Empty results are fine too, for every empty dimension.
        assertArrayEquals(new double[0], Gemm.matmul(new double[6], new double[0], 2, 3, 0));
        assertArrayEquals(new double[0], Gemm.matmul(new double[0], new double[6], 0, 3, 2));
        assertArrayEquals(new double[] {19, 22, 43, 50},
                Gemm.matmul(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, 2, 2, 2));
    }

    @Test
    void theMessagesNameTheMatrixAndItsStoredShape() {
        double[] a6 = new double[6];
        double[] b6 = new double[6];
        double[] c4 = new double[4];
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, 1.0, a6, 0, 3, b6, -2, 2, 0.0, c4, 0, 2));
        assertEquals("Gemm.gemm: negative offset bOff=-2", off.getMessage());
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(true, false, 2, 2, 3, 1.0, a6, 0, 1, b6, 0, 2, 0.0, c4, 0, 2));
        assertEquals("Gemm.gemm: lda=1 is smaller than the row length m=2 of a", ld.getMessage());
        IllegalArgumentException ldb = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, true, 2, 2, 3, 1.0, a6, 0, 3, b6, 0, 2, 0.0, c4, 0, 2));
        assertEquals("Gemm.gemm: ldb=2 is smaller than the row length k=3 of b", ldb.getMessage());
        IllegalArgumentException ldc = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, 1.0, a6, 0, 3, b6, 0, 2, 0.0, c4, 0, 1));
        assertEquals("Gemm.gemm: ldc=1 is smaller than the row length n=2 of c", ldc.getMessage());
        IllegalArgumentException shortB = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, 1.0, a6, 0, 3, new double[7], 2, 2, 0.0, c4, 0, 2));
        assertEquals("Gemm.gemm: b.length=7 is too short for a 3x2 matrix at bOff=2 with ldb=2 (needs 8)",
                shortB.getMessage());
        // Exactly long enough: the last row ends at the array's end, padding after it is not needed.
        Gemm.gemm(false, false, 2, 2, 3, 1.0, a6, 0, 3, new double[8], 2, 2, 0.0, c4, 0, 2);
        Gemm.gemm(false, false, 2, 2, 3, 1.0, new double[8], 1, 4, b6, 0, 2, 0.0, c4, 0, 2);
        IllegalArgumentException padded = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, 1.0, new double[7], 1, 4, b6, 0, 2, 0.0, c4, 0, 2));
        assertTrue(padded.getMessage().contains("(needs 8)"), padded.getMessage());
        // An empty matrix needs no storage at all, whatever its offset.
        Gemm.gemm(false, false, 0, 2, 3, 1.0, new double[0], 5, 3, b6, 0, 2, 0.0, new double[0], 9, 2);
        // k = 0: A (2x0) and B (0x2) are empty, with no columns resp. no rows, at offsets past their ends.
        double[] c = {7, 7, 7, 7};
        Gemm.gemm(false, false, 2, 2, 0, 1.0, new double[0], 3, 0, new double[0], 4, 2, 0.0, c, 0, 2);
        assertArrayEquals(new double[4], c);
    }

    @Test
    void aZeroAlphaOrKScalesCByBeta() {
        double[] c = {1, 2, 3, 4, 5, 6};
        // alpha == 0: A and B are not read (NaN there must not matter), C = beta C on the 2x2 window (ldc 3).
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Gemm.gemm(false, false, 2, 2, 2, 0.0, nan, 0, 2, nan, 0, 2, -0.5, c, 0, 3);
        assertArrayEquals(new double[] {-0.5, -1, 3, -2, -2.5, 6}, c);
        Gemm.gemm(false, false, 2, 2, 2, 0.0, nan, 0, 2, nan, 0, 2, 1.0, c, 0, 3);
        assertArrayEquals(new double[] {-0.5, -1, 3, -2, -2.5, 6}, c);
        Gemm.gemm(false, false, 2, 2, 2, 0.0, nan, 0, 2, nan, 0, 2, 0.0, c, 1, 3);
        assertArrayEquals(new double[] {-0.5, 0, 0, -2, 0, 0}, c);
    }

    @Test
    void theThreadCountIsValidatedAndReported() {
        int saved = Gemm.threads();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.setThreads(-3));
            assertEquals("Gemm.setThreads: thread count must be >= 1, got -3", e.getMessage());
            Gemm.setThreads(1);
            assertEquals(1, Gemm.threads());
            Gemm.setThreads(5);
            assertTrue(Gemm.implementation().endsWith(", 5 threads"), Gemm.implementation());
            IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(-1, false,
                    false, 1, 1, 1, 1.0, new double[1], 0, 1, new double[1], 0, 1, 0.0, new double[1], 0, 1));
            assertEquals("gemm: maxThreads must be >= 1, got -1", cap.getMessage());
            double[] c = new double[1];
            Gemm.gemm(1, false, false, 1, 1, 1, 2.0, new double[] {3}, 0, 1, new double[] {4}, 0, 1, 0.0, c, 0, 1);
            assertEquals(24.0, c[0]);
        } finally {
            Gemm.setThreads(saved);
        }
    }
}
