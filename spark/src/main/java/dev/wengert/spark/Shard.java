package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Batch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The examples of one partition, packed: row i is the example with global index {@code index[i]} (its position in
 * the input RDD). Built once per training run and cached, so a step reads packed arrays, not objects.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int[] index;
    final int features;
    final double[] x;
    final int[] labels;
    final double[] targets;
    final int width;
    /** The first problem found while packing (a NaN, a width that differs), or null. */
    final String problem;

    private Shard(int partition, int[] index, int features, double[] x, int[] labels, double[] targets, int width,
            String problem) {
        this.partition = partition;
        this.index = index;
        this.features = features;
        this.x = x;
        this.labels = labels;
        this.targets = targets;
        this.width = width;
        this.problem = problem;
    }

    /** Packs (example, global index) pairs; problems are recorded, not thrown, so the driver can name them all at once. */
    static Shard pack(int partition, Iterator<scala.Tuple2<Example, Long>> rows) {
        List<Example> ex = new ArrayList<>();
        List<Long> ix = new ArrayList<>();
        while (rows.hasNext()) {
            scala.Tuple2<Example, Long> r = rows.next();
            ex.add(r._1());
            ix.add(r._2());
        }
        int n = ex.size();
        int features = n == 0 ? 0 : ex.get(0).features().length;
        int width = n == 0 || ex.get(0).target() == null ? 0 : ex.get(0).target().length;
        boolean labelled = n > 0 && ex.get(0).hasLabel();
        boolean targeted = n > 0 && ex.get(0).target() != null;
        String problem = null;
        int[] index = new int[n];
        double[] x = new double[Math.multiplyExact(n, Math.max(features, 0))];
        int[] labels = labelled ? new int[n] : null;
        double[] targets = targeted ? new double[Math.multiplyExact(n, width)] : null;
        for (int i = 0; i < n && problem == null; i++) {
            Example e = ex.get(i);
            long gi = ix.get(i);
            if (gi > Integer.MAX_VALUE) {
                problem = "example " + gi + ": more than " + Integer.MAX_VALUE + " examples";
                break;
            }
            index[i] = (int) gi;
            double[] f = e.features();
            if (f.length != features) {
                problem = "example " + gi + " has " + f.length + " features, example " + ix.get(0) + " has " + features;
            } else if (e.hasLabel() != labelled || (e.target() != null) != targeted) {
                problem = "example " + gi + (labelled ? " has no label" : " has a label") + " unlike example " + ix.get(0);
            } else if (targeted && e.target().length != width) {
                problem = "example " + gi + " has a target of " + e.target().length + ", example " + ix.get(0)
                        + " of " + width;
            } else {
                for (int j = 0; j < features; j++) {
                    if (!Double.isFinite(f[j])) {
                        problem = "example " + gi + " has feature " + j + " = " + f[j];
                        break;
                    }
                }
                System.arraycopy(f, 0, x, i * features, features);
                if (labelled) labels[i] = e.label();
                if (targeted) System.arraycopy(e.target(), 0, targets, i * width, width);
            }
        }
        return new Shard(partition, index, features, x, labels, targets, width, problem);
    }

    int size() {
        return index.length;
    }

    /**
     * The rows whose rank in the epoch's order lies in {@code [lo, hi)}, sorted by rank: the partition's share of a
     * global batch, in the order the single-machine batch would hold them.
     */
    int[] rowsOf(int[] rank, int lo, int hi) {
        int count = 0;
        int[] rows = new int[Math.min(index.length, hi - lo)];
        for (int i = 0; i < index.length; i++) {
            int r = rank[index[i]];
            if (r >= lo && r < hi) rows[count++] = i;
        }
        // Sort by rank, packed with the row into one long key (ranks and rows are non-negative ints).
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) keys[i] = ((long) rank[index[rows[i]]] << 32) | rows[i];
        Arrays.sort(keys);
        rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = (int) keys[i];
        return rows;
    }

    /** The rows as nn's batch, built as {@code Dataset.batch} builds it. */
    Batch batch(int[] rows) {
        int k = rows.length;
        double[] bx = new double[k * features];
        for (int i = 0; i < k; i++) System.arraycopy(x, rows[i] * features, bx, i * features, features);
        int[] bl = null;
        if (labels != null) {
            bl = new int[k];
            for (int i = 0; i < k; i++) bl[i] = labels[rows[i]];
        }
        Tensor bt = null;
        if (targets != null) {
            double[] t = new double[k * width];
            for (int i = 0; i < k; i++) System.arraycopy(targets, rows[i] * width, t, i * width, width);
            bt = Tensor.wrap(t, k, width);
        }
        int[] gi = new int[k];
        for (int i = 0; i < k; i++) gi[i] = index[rows[i]];
        return new Batch(Tensor.wrap(bx, k, features), bl, bt, gi);
    }

    /** What the driver checks before training: size, layout and the first problem. */
    Summary summary() {
        return new Summary(partition, size(), features, labels != null, width, problem,
                size() == 0 ? -1 : index[0]);
    }

    record Summary(int partition, int size, int features, boolean labelled, int width, String problem, int firstIndex)
            implements Serializable {}
}
