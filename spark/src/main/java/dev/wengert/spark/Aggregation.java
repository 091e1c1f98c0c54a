package dev.wengert.spark;

/**
 * How the partitions' gradient contributions are added up.
 *
 * <p>Floating-point addition is not associative, so the order of the additions decides the last bits.
 */
public enum Aggregation {
    /**
     * {@code treeAggregate}: contributions are added in a tree of the configured depth, on executors and then on the
     * driver, in the order the tasks finish. Traffic into the driver is O(p · fan-in) for p parameters. With one or
     * two partitions the result is exact to the bit and reproducible (x + y = y + x in IEEE arithmetic); with three
     * or more the order can vary between runs, so runs agree to rounding (≤ 1e-12 relative after many steps, see
     * the tests), not bit for bit.
     */
    TREE,
    /**
     * The contributions are collected and added on the driver in partition order, {@code ((c₀ + c₁) + c₂) + …}:
     * bit-for-bit reproducible for a given partitioning, whatever the task timing or retries, and so what checkpoint
     * resume is tested with. It moves P · p doubles into the driver per step, against the tree's O(p · fan-in).
     */
    ORDERED
}
