package dev.wengert.nn;

import dev.wengert.core.Allocation;
import dev.wengert.core.AllocationException;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Examples for supervised learning, immutable: n rows of {@code features} inputs, with class labels,
 * targets of width k (one-hot, binary codes, regression values), or both. Inputs are held as doubles or,
 * for images, as bytes scaled on the fly (60,000 MNIST images take 47 MB instead of 376 MB).
 *
 * <p>{@link #batches(int, Random)} draws a fresh permutation from the generator on every call, so a
 * training loop that calls it once per epoch reshuffles every epoch, reproducibly for a seeded generator.
 */
public final class Dataset {
    private final int n;
    private final int features;
    private final double[] x;
    private final byte[] bytes;
    private final double byteScale;
    private final int[] labels;
    private final double[] targets;
    private final int width;

    private Dataset(int n, int features, double[] x, byte[] bytes, double byteScale, int[] labels, double[] targets,
            int width) {
        this.n = n;
        this.features = features;
        this.x = x;
        this.bytes = bytes;
        this.byteScale = byteScale;
        this.labels = labels;
        this.targets = targets;
        this.width = width;
    }

    /**
     * Inputs {@code x} of shape {@code [n, features]} with class labels (one per row).
     *
     * @param x      the inputs {@code [n, features]}; copied
     * @param labels one class label per row; copied
     * @return a new dataset with labels and no targets
     */
    public static Dataset of(Tensor x, int[] labels) {
        checkX(x);
        checkLabels(labels, x.dim(0));
        return new Dataset(x.dim(0), x.dim(1), x.toArray(), null, 0, labels.clone(), null, 0);
    }

    /**
     * Inputs {@code x} of shape {@code [n, features]} with targets of shape {@code [n, k]}.
     *
     * @param x       the inputs {@code [n, features]}; copied
     * @param targets the targets {@code [n, k]}; copied
     * @return a new dataset with targets and no labels
     */
    public static Dataset of(Tensor x, Tensor targets) {
        checkX(x);
        checkTargets(targets, x.dim(0));
        return new Dataset(x.dim(0), x.dim(1), x.toArray(), null, 0, null, targets.toArray(), targets.dim(1));
    }

    /**
     * Unsigned byte inputs, {@code value = (bytes[i] & 0xff) * scale}, {@code n = pixels.length / features}
     * rows, with class labels. The array is taken over, not copied.
     *
     * @param pixels   the inputs, row after row, {@code features} bytes each; kept, not copied
     * @param features the number of bytes per row, &gt; 0, dividing {@code pixels.length}
     * @param scale    the factor from an unsigned byte to an input value, e.g. 1/255
     * @param labels   one class label per row; copied
     * @return a new dataset with labels and no targets; rows are converted to doubles batch by batch
     */
    public static Dataset ofBytes(byte[] pixels, int features, double scale, int[] labels) {
        if (features <= 0 || pixels.length % features != 0) {
            throw new ShapeException("dataset: " + pixels.length + " bytes are not rows of " + features + " features");
        }
        int rows = pixels.length / features;
        checkLabels(labels, rows);
        return new Dataset(rows, features, null, pixels, scale, labels.clone(), null, 0);
    }

    private static void checkX(Tensor x) {
        if (x.rank() != 2) throw new ShapeException("dataset: inputs must be [n, features], got " + Shapes.str(x.shape()));
    }

    private static void checkLabels(int[] labels, int rows) {
        if (labels.length != rows) {
            throw new ShapeException("dataset: " + labels.length + " labels for " + rows + " rows");
        }
    }

    private static void checkTargets(Tensor t, int rows) {
        if (t.rank() != 2 || t.dim(0) != rows) {
            throw new ShapeException("dataset: targets must be [" + rows + ", k], got " + Shapes.str(t.shape()));
        }
    }

    /**
     * The same examples with targets of shape {@code [n, k]} (labels kept).
     *
     * @param t the targets {@code [n, k]}; copied
     * @return a new dataset sharing this one's inputs and labels
     */
    public Dataset withTargets(Tensor t) {
        checkTargets(t, n);
        return new Dataset(n, features, x, bytes, byteScale, labels, t.toArray(), t.dim(1));
    }

    /**
     * The same examples with the targets {@code codebook[label]}: one-hot rows, binary codes, ...
     *
     * @param codebook one codeword per class, all of one length k; row {@code codebook[label]} is copied
     * @return a new dataset sharing this one's inputs and labels, with targets {@code [n, k]}
     * @throws IllegalStateException when the rows have no labels
     * @throws IndexOutOfBoundsException when a label has no codeword
     */
    public Dataset withTargets(double[][] codebook) {
        if (labels == null) throw new IllegalStateException("dataset: targets from a codebook need labels");
        int k = codebook[0].length;
        double[] t = Allocation.doubles("dataset", "targets of " + n + " rows of " + k, (long) n * k);
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= codebook.length) {
                throw new IndexOutOfBoundsException("dataset: label " + c + " of row " + i + " has no codeword ("
                        + codebook.length + " in the codebook)");
            }
            if (codebook[c].length != k) throw new IllegalArgumentException("dataset: codewords of different lengths");
            System.arraycopy(codebook[c], 0, t, i * k, k);
        }
        return new Dataset(n, features, x, bytes, byteScale, labels, t, k);
    }

    /**
     * The one-hot codebook for {@code classes} classes: row c is e_c.
     *
     * @param classes the number of classes
     * @return a new {@code classes × classes} identity, as rows
     */
    public static double[][] oneHot(int classes) {
        double[][] c = new double[classes][classes];
        for (int i = 0; i < classes; i++) c[i][i] = 1;
        return c;
    }

    /**
     * The binary codebook: class c as its {@code bits}-bit binary numeral, most significant bit first (with 4
     * bits, 0 is 0000, 1 is 0001, 9 is 1001).
     *
     * @param classes the number of classes, at most {@code 2^bits}
     * @param bits    the length of a codeword
     * @return a new {@code classes × bits} array of 0s and 1s
     */
    public static double[][] binaryCode(int classes, int bits) {
        if (classes > (1 << bits)) {
            throw new IllegalArgumentException("dataset: " + bits + " bits cannot code " + classes + " classes");
        }
        double[][] c = new double[classes][bits];
        for (int i = 0; i < classes; i++) {
            for (int b = 0; b < bits; b++) c[i][b] = (i >> (bits - 1 - b)) & 1;
        }
        return c;
    }

    /**
     * The rows at {@code indices}, in that order.
     *
     * @param indices row numbers, each in {@code [0, n)}; rows may repeat
     * @return a new dataset with copies of those rows (inputs, labels and targets)
     */
    public Dataset subset(int[] indices) {
        double[] nx = null;
        byte[] nb = null;
        if (x != null) {
            nx = Allocation.doubles("dataset", "a subset of " + indices.length + " rows",
                    (long) indices.length * features);
            for (int i = 0; i < indices.length; i++) System.arraycopy(x, row(indices[i]) * features, nx, i * features, features);
        } else {
            long size = (long) indices.length * features;
            if (size > Allocation.MAX_ARRAY) {
                throw new AllocationException("dataset: a subset of " + indices.length + " rows of " + features
                        + " bytes has " + size + " bytes, more than a Java array holds", "dataset", size, size,
                        Allocation.availableBytes());
            }
            nb = new byte[(int) size];
            for (int i = 0; i < indices.length; i++) System.arraycopy(bytes, row(indices[i]) * features, nb, i * features, features);
        }
        int[] nl = null;
        if (labels != null) {
            nl = new int[indices.length];
            for (int i = 0; i < indices.length; i++) nl[i] = labels[indices[i]];
        }
        double[] nt = null;
        if (targets != null) {
            nt = Allocation.doubles("dataset", "the targets of a subset", (long) indices.length * width);
            for (int i = 0; i < indices.length; i++) System.arraycopy(targets, indices[i] * width, nt, i * width, width);
        }
        return new Dataset(indices.length, features, nx, nb, byteScale, nl, nt, width);
    }

    /**
     * The first {@code count} rows.
     *
     * @param count the number of rows, in {@code [0, n]}
     * @return a new dataset with copies of those rows
     */
    public Dataset head(int count) {
        if (count < 0 || count > n) throw new IndexOutOfBoundsException("dataset: head(" + count + ") of " + n + " rows");
        return subset(range(0, count));
    }

    /**
     * A random split into two parts of {@code firstSize} and {@code n - firstSize} rows (a training set and
     * a validation set, say), drawn with a generator seeded by {@code seed}.
     *
     * @param firstSize the size of the first part, in {@code [0, n]}
     * @param seed      the seed of the permutation; the same seed gives the same split
     * @return two new datasets, the first of {@code firstSize} rows, the second of the rest
     */
    public Dataset[] split(int firstSize, long seed) {
        if (firstSize < 0 || firstSize > n) {
            throw new IllegalArgumentException("dataset: cannot split " + n + " rows into " + firstSize + " and the rest");
        }
        int[] p = permutation(n, new Random(seed));
        return new Dataset[] {subset(Arrays.copyOfRange(p, 0, firstSize)), subset(Arrays.copyOfRange(p, firstSize, n))};
    }

    /**
     * A batch of the rows at {@code indices}.
     *
     * @param indices row numbers, each in {@code [0, n)}; rows may repeat
     * @return a new batch: inputs {@code [indices.length, features]} as doubles, the labels and targets of
     *     those rows (or null), and a copy of indices
     */
    public Batch batch(int[] indices) {
        double[] bx = Allocation.doubles("dataset", "a batch of " + indices.length + " rows",
                (long) indices.length * features);
        for (int i = 0; i < indices.length; i++) {
            int r = row(indices[i]);
            if (x != null) {
                System.arraycopy(x, r * features, bx, i * features, features);
            } else {
                int src = r * features;
                int dst = i * features;
                for (int j = 0; j < features; j++) bx[dst + j] = (bytes[src + j] & 0xff) * byteScale;
            }
        }
        int[] bl = null;
        if (labels != null) {
            bl = new int[indices.length];
            for (int i = 0; i < indices.length; i++) bl[i] = labels[indices[i]];
        }
        Tensor bt = null;
        if (targets != null) {
            double[] t = Allocation.doubles("dataset", "the targets of a batch", (long) indices.length * width);
            for (int i = 0; i < indices.length; i++) System.arraycopy(targets, indices[i] * width, t, i * width, width);
            bt = Tensor.wrap(t, indices.length, width);
        }
        return new Batch(Tensor.wrap(bx, indices.length, features), bl, bt, indices.clone());
    }

    /**
     * The whole dataset as one batch, in order.
     *
     * @return a new batch of all n rows
     */
    public Batch all() {
        return batch(range(0, n));
    }

    /**
     * Mini-batches of {@code batchSize} rows (the last one smaller if n is not a multiple) in an order
     * drawn from {@code rng}; each call draws a new permutation. A null rng keeps the stored order.
     *
     * @param batchSize the number of rows per batch, &gt; 0
     * @param rng       the generator of the order, advanced {@code n − 1} times at the start of each iteration;
     *     null for the stored order
     * @return an iterable that can be iterated many times, each time over new batches
     */
    public Iterable<Batch> batches(int batchSize, Random rng) {
        if (batchSize <= 0) throw new IllegalArgumentException("dataset: batch size must be positive, got " + batchSize);
        return () -> {
            int[] order = rng == null ? range(0, n) : permutation(n, rng);
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < n;
                }

                @Override
                public Batch next() {
                    if (next >= n) throw new NoSuchElementException();
                    int end = Math.min(n, next + batchSize);
                    Batch b = batch(Arrays.copyOfRange(order, next, end));
                    next = end;
                    return b;
                }
            };
        };
    }

    /**
     * The number of mini-batches of the given size: {@code ⌈n / batchSize⌉}.
     *
     * @param batchSize the number of rows per batch, &gt; 0
     * @return the number of batches {@link #batches} gives
     */
    public int batchCount(int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher–Yates).
     *
     * @param n   the length, ≥ 0
     * @param rng the generator, advanced {@code n − 1} times
     * @return a new array holding each of {@code 0..n-1} once
     */
    public static int[] permutation(int n, Random rng) {
        int[] p = range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private int row(int i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("dataset: row " + i + " of " + n);
        return i;
    }

    /** {@return the number of examples n} */
    public int size() {
        return n;
    }

    /** {@return the number of input features per example} */
    public int features() {
        return features;
    }

    /** {@return a copy of the class labels, or null when the rows have none} */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /**
     * {@return the label of row i}
     *
     * @param i the row, in {@code [0, n)}
     * @throws IllegalStateException when the rows have no labels
     */
    public int label(int i) {
        if (labels == null) throw new IllegalStateException("dataset: no labels");
        return labels[row(i)];
    }

    /** {@return whether the rows have labels} */
    public boolean hasLabels() {
        return labels != null;
    }

    /** {@return whether the rows have targets} */
    public boolean hasTargets() {
        return targets != null;
    }

    /** {@return the width k of the targets} 0 without targets. */
    public int targetWidth() {
        return width;
    }

    /** {@return a copy of the inputs as a tensor {@code [n, features]}} */
    public Tensor inputs() {
        return all().x();
    }
}
