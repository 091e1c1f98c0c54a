package dev.wengert.core;

/**
 * Collects the kink fingerprints ({@link Primitive#branch}) of one evaluation, in order, folded into
 * one hash. Two evaluations whose logs differ took different sides of some kink.
 */
final class BranchLog {
    private long hash = 1125899906842597L;
    private int count;

    void add(Primitive p, long fingerprint) {
        hash = 31 * hash + p.name().hashCode();
        hash = 31 * hash + fingerprint;
        count++;
    }

    long hash() {
        return hash;
    }

    int count() {
        return count;
    }
}
