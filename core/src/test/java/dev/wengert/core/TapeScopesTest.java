package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Opening, closing and pausing tapes, their thread confinement, and the memory they report. */
class TapeScopesTest {

    @Test
    void closingTwiceIsHarmless() {
        Tape outer = Tape.open();
        Tape inner = Tape.open();
        inner.close();
        assertDoesNotThrow(inner::close);
        assertSame(outer, Tape.current());
        outer.close();
        outer.close();
        assertNull(Tape.current());
    }

    @Test
    void onlyTheOwningThreadMayCloseATape() throws Exception {
        Thread.currentThread();
        String me = Thread.currentThread().getName();
        try (Tape tape = Tape.open()) {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> f = other.submit(tape::close);
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                assertEquals("close: this tape belongs to thread '" + me + "'; tapes are confined to the thread that "
                        + "opened them", e.getCause().getMessage());
            } finally {
                other.shutdown();
            }
            assertSame(tape, Tape.current(), "still open on its own thread");
        }
    }

    @Test
    void pauseScopesNestAndCloseOnce() {
        Tensor x = Tensor.scalar(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tape.Scope p = Tape.pause();
            Tape.Scope q = Tape.pause();
            q.close();
            q.close(); // a second close must not undo the outer pause
            assertTrue(!Tape.isRecording());
            sin(x);
            assertEquals(0, tape.size());
            p.close();
            assertTrue(Tape.isRecording());
            sin(x);
            assertEquals(1, tape.size());
        }
    }

    @Test
    void forwardModeInsideAPauseRecordsNothingEither() {
        Tensor w = Tensor.vector(2).requiresGrad();
        try (Tape tape = Tape.open(); Tape.Scope p = Tape.pause()) {
            ForwardMode.jvp(in -> mul(in, w), Tensor.vector(1), Tensor.vector(1));
            assertEquals(0, tape.size());
        }
    }

    @Test
    void retainedBytesCountTheRecordedOutputs() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad();
        Tape.resetPeakRetainedBytes();
        assertEquals(0, Tape.peakRetainedBytes());
        try (Tape tape = Tape.open()) {
            assertEquals(0, tape.retainedBytes());
            Tensor y = sin(x);
            assertEquals(24, tape.retainedBytes());
            Tensor z = mul(y, y);
            assertEquals(48, tape.retainedBytes());
            mul(Tensor.scalar(2).requiresGrad(), Tensor.scalar(3));
            assertEquals(56, tape.retainedBytes());
            tape.gradient(new Tensor[] {z}, new Tensor[] {Tensor.ones(3)}, x);
            assertEquals(0, tape.retainedBytes(), "a backward pass releases the activations");
            assertEquals(56, Tape.peakRetainedBytes(), "the peak remains");
            sin(x);
            assertEquals(24, tape.retainedBytes());
            assertEquals(56, Tape.peakRetainedBytes());
        }
        Tape.resetPeakRetainedBytes();
        assertEquals(0, Tape.peakRetainedBytes());
    }
}
