package dev.wengert.core;

/** Per-thread engine state: which tape records, pauses, forward mode, anomaly mode, kink logging. */
final class State {
    private static final ThreadLocal<State> CURRENT = ThreadLocal.withInitial(State::new);

    /**
     * The last thread's state, as one immutable pair so that a racing thread reads either the whole old
     * pair or the whole new one. Every op asks for the state, and a ThreadLocal lookup costs more than
     * the arithmetic of a scalar op; one thread at a time is the common case.
     */
    private static final class Cached {
        final Thread thread;
        final State state;

        Cached(Thread thread, State state) {
            this.thread = thread;
            this.state = state;
        }
    }

    private static Cached cached = new Cached(null, null);

    static State get() {
        Cached c = cached;
        Thread t = Thread.currentThread();
        if (c.thread == t) return c.state;
        State s = CURRENT.get();
        cached = new Cached(t, s);
        return s;
    }

    /** The innermost open tape of this thread, or null. */
    Tape tape;
    /** Arrays backward passes on this thread finished with, for the next of the same size. */
    final ArrayPool pool = new ArrayPool();
    /** Greater than zero inside {@link Tape#pause()} scopes and while a backward pass is not recorded. */
    int paused;
    /** The number of tangent directions while forward mode runs, else 0. */
    int forwardK;
    /** Identifies the forward-mode run in progress; tangents from other runs are ignored. */
    long forwardLevel;
    boolean anomaly;
    /** The largest number of bytes a tape of this thread retained since the last reset. */
    long peakTapeBytes;
    /** Non-null while a gradient check records which side of each kink an evaluation took. */
    BranchLog branches;

    /** The tape to record on, or null when nothing is recorded. */
    Tape recording() {
        Tape t = tape;
        return t != null && paused == t.pauseBase ? t : null;
    }
}
