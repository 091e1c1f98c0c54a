package dev.wengert.core;

/** Per-thread engine state: which tape records, pauses, forward mode, anomaly mode, kink logging. */
final class State {
    private static final ThreadLocal<State> CURRENT = ThreadLocal.withInitial(State::new);

    static State get() {
        return CURRENT.get();
    }

    /** The innermost open tape of this thread, or null. */
    Tape tape;
    /** Greater than zero inside {@link Tape#pause()} scopes and while a backward pass is not recorded. */
    int paused;
    /** The number of tangent directions while forward mode runs, else 0. */
    int forwardK;
    /** Identifies the forward-mode run in progress; tangents from other runs are ignored. */
    long forwardLevel;
    boolean anomaly;
    /** Non-null while a gradient check records which side of each kink an evaluation took. */
    BranchLog branches;

    /** The tape to record on, or null when nothing is recorded. */
    Tape recording() {
        return paused == 0 ? tape : null;
    }
}
