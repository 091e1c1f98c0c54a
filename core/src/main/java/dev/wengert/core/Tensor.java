package dev.wengert.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A float64 n-dimensional array, row-major, and a value in a computation graph.
 *
 * <h2>Memory model</h2>
 *
 * <p><b>Values do not change</b>, with one exception: a leaf (a tensor that no recorded operation
 * produced, such as a parameter) may be updated in place through {@link #mutableData()} or
 * {@link #assign}, which optimisers do. Forward passes, backward passes and JVPs never write to an
 * input, a seed or a tangent the caller passed in.
 *
 * <p><b>Storage.</b> Two tensors share memory exactly when their {@link #data()} arrays are the same
 * object. The view ops ({@code Ops.reshape}, {@code expandDims}, {@code squeeze}, {@code concat} of one
 * tensor, and {@code broadcastTo}/{@code sumTo}/{@code reshape} to a tensor's own shape, which return the
 * tensor itself), {@link #detach()} and {@link #viewOf} return tensors over the same array; every other op
 * returns new storage. Tensors over one array share one version counter: an in-place update through
 * any of them bumps the {@link #version()} of all, and a backward pass that would use a value recorded
 * before the update throws instead of computing a wrong gradient. {@link #copy()} gives new storage.
 *
 * <p><b>Gradients handed out never alias.</b> {@link #grad()}, the results of {@link Tape#gradient} and
 * {@link Tape#recordedGradient}, and the values and tangents of {@link ForwardMode} never share an array
 * with each other, with a seed, a tangent or an input the caller passed in, nor with any other
 * variable's gradient. The tape decides this by storage, not by object identity: a cotangent that
 * might be shared is copied.
 *
 * <p><b>Accumulation.</b> {@link Tape#backward} adds each variable's gradient into its {@link #grad()}
 * buffer: the first pass makes the buffer, later passes add into it in place (k passes give the sum, in
 * order, of k single passes), until {@link #zeroGrad()} drops it. Accumulation is atomic per variable:
 * backward passes on several threads, each with its own tape, may share a variable.
 *
 * <p>A 0-d tensor (shape {@code []}) is a scalar; scalars are cheap.
 *
 * <p>Graph state: a tensor that a {@link Tape} recorded knows the {@link Node} that produced it; a
 * leaf that {@link #requiresGrad() requires gradients} is tracked by every tape it is used on; in
 * forward mode a tensor carries a batch of tangents. Tensors are not thread-safe: a tensor that a
 * tape recorded belongs to the thread of that tape; leaves may be read from several threads.
 *
 * <p>Operations on tensors live in the {@code ops} module ({@code dev.wengert.ops.Ops}); this class
 * knows none of them.
 */
public final class Tensor {
    private final double[] data;
    private final int[] shape;

    /** The recorded application that produced this tensor; null for leaves and untracked values. */
    Node node;
    /** Forward mode: tangents of shape [k, shape...], or null for zero; valid only at {@link #tangentLevel}. */
    Tensor tangent;
    /** The forward-mode run the tangent belongs to; a tangent left over from another run is ignored. */
    long tangentLevel;
    private boolean requiresGrad;
    /** The accumulated gradient, owned by this leaf: no other tensor handed out shares its array. */
    private volatile Tensor grad;
    /** Whether this tensor is some leaf's {@link #grad()} buffer, which backward passes add into. */
    private volatile boolean gradBuffer;
    /**
     * The buffer {@link #recycleGrad()} kept: the next pass writes this leaf's gradient into it instead of
     * allocating one. Null when there is none or a pass has borrowed it.
     */
    private Tensor spareGrad;
    /**
     * The version counter of the storage: shared by every tensor over the same array (views made with
     * {@link #viewOf}, {@link #detach() detached} aliases), so that an in-place update through any of them
     * is seen by a tape that recorded another. Made on first need; null means version 0.
     */
    private volatile AtomicInteger storageVersion;
    private String name;

    private static final VarHandle STORAGE_VERSION;

    static {
        try {
            STORAGE_VERSION = MethodHandles.lookup().findVarHandle(Tensor.class, "storageVersion", AtomicInteger.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How many in-place updates any leaf has had, process-wide. A recorded op compares it with the count
     * at recording time and checks its inputs' versions only when some update happened since, which
     * spares the backward pass a visit to every input.
     */
    private static final java.util.concurrent.atomic.AtomicLong MUTATIONS = new java.util.concurrent.atomic.AtomicLong();

    static long mutations() {
        return MUTATIONS.get();
    }

    private Tensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- factories

    /**
     * A tensor over {@code data} without copying it: the caller hands the array over and must not
     * write to it afterwards. Ops use this to return freshly computed arrays; never pass another tensor's
     * {@link #data()} (use {@link #viewOf}, which shares its version counter too).
     *
     * @param data  the values, row-major, {@code size(shape)} of them; kept, not copied
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor over {@code data}
     * @throws ShapeException when the shape is invalid ({@link Shapes#size(String, int[])}) or the array
     *                        length differs from the product of the shape
     */
    public static Tensor wrap(double[] data, int... shape) {
        return wrap("wrap", data, shape);
    }

    private static Tensor wrap(String op, double[] data, int[] shape) {
        if (data == null) throw new NullPointerException(op + ": data is null");
        int n = Shapes.size(op, shape);
        if (data.length != n) {
            throw new ShapeException("tensor: " + data.length + " values do not fill shape " + Shapes.str(shape)
                    + " (" + n + " elements)");
        }
        return new Tensor(data, shape.length == 0 ? Shapes.SCALAR : shape.clone());
    }

    /**
     * A tensor over the same storage as {@code base} in another shape of the same size: a view. It shares
     * base's array and version counter, so an in-place update of either (of a leaf, through
     * {@link #mutableData()}) is an update of both, and a tape that recorded one notices. The view is
     * untracked: view ops ({@code Ops.reshape}, {@code expandDims} ...) return it from their forward pass and
     * the engine records it; user code gets a recorded view from those ops instead.
     *
     * @param base  the tensor whose storage is shared
     * @param shape the view's sizes; copied
     * @return a new untracked tensor over base's array
     * @throws ShapeException when {@code shape} does not have base's number of elements
     */
    public static Tensor viewOf(Tensor base, int... shape) {
        if (base.data.length != Shapes.size(shape)) {
            throw new ShapeException("view: " + base.describe() + " has " + base.data.length
                    + " elements; shape " + Shapes.str(shape) + " has " + Shapes.size(shape));
        }
        Tensor v = new Tensor(base.data, shape.length == 0 ? Shapes.SCALAR : shape.clone());
        v.storageVersion = base.storageVersion();
        return v;
    }

    /** Like {@link #wrap} but trusts that data and shape agree and takes the shape array too. */
    static Tensor wrapUnchecked(double[] data, int[] shape) {
        return new Tensor(data, shape);
    }

    /**
     * A copy of {@code values} shaped as {@code shape} (a 1-d tensor when no shape is given).
     *
     * @param values the values, row-major; copied
     * @param shape  the sizes, one per axis, with {@code size(shape) = values.length}; none for a vector of
     *     all the values
     * @return a new leaf tensor
     */
    public static Tensor of(double[] values, int... shape) {
        if (values == null) throw new NullPointerException("of: values is null");
        if (shape == null) throw new NullPointerException("of: shape is null");
        return wrap("of", values.clone(), shape.length == 0 ? new int[] {values.length} : shape);
    }

    /**
     * {@return a 1-d tensor of the given values}
     *
     * @param values the elements; copied
     */
    public static Tensor vector(double... values) {
        if (values == null) throw new NullPointerException("vector: values is null");
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /**
     * {@return a 2-d tensor from rows of equal length}
     *
     * @param rows the rows, {@code rows[i][j]} becoming element {@code [i, j]}; copied. No rows gives shape
     *     {@code [0, 0]}.
     * @throws ShapeException when the rows differ in length
     */
    public static Tensor matrix(double[][] rows) {
        if (rows == null) throw new NullPointerException("matrix: rows is null");
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) throw new NullPointerException("matrix: row " + i + " is null");
        }
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] d = Allocation.doubles("matrix", new int[] {m, n});
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new ShapeException("matrix: row " + i + " has " + rows[i].length + " values, row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return new Tensor(d, new int[] {m, n});
    }

    /**
     * {@return a 0-d tensor holding {@code value}}
     *
     * @param value the value
     */
    public static Tensor scalar(double value) {
        return new Tensor(new double[] {value}, Shapes.SCALAR);
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor
     * @throws ShapeException      for a negative size or more than 2^31 − 1 elements
     * @throws AllocationException when it would not fit in the heap
     */
    public static Tensor zeros(int... shape) {
        return new Tensor(Allocation.doubles("zeros", shape), copy(shape));
    }

    /**
     * A tensor of ones; fails as {@link #zeros} does.
     *
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor
     */
    public static Tensor ones(int... shape) {
        return filled("ones", 1.0, shape);
    }

    /**
     * A tensor with every element equal to {@code value}; fails as {@link #zeros} does.
     *
     * @param value the value of every element
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor
     */
    public static Tensor full(double value, int... shape) {
        return filled("full", value, shape);
    }

    private static Tensor filled(String op, double value, int[] shape) {
        double[] d = Allocation.doubles(op, shape);
        Arrays.fill(d, value);
        return new Tensor(d, copy(shape));
    }

    /**
     * Independent standard normal entries drawn from {@code rng}; fails as {@link #zeros} does.
     *
     * @param rng   the generator; advanced by one {@code nextGaussian()} per element, in row-major order
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor
     */
    public static Tensor randn(Random rng, int... shape) {
        if (rng == null) throw new NullPointerException("randn: rng is null");
        double[] d = Allocation.doubles("randn", shape);
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        return new Tensor(d, copy(shape));
    }

    /**
     * Independent entries uniform on [lo, hi) drawn from {@code rng}; fails as {@link #zeros} does.
     *
     * @param rng   the generator; advanced by one {@code nextDouble()} per element, in row-major order
     * @param lo    the lower bound, included
     * @param hi    the upper bound, excluded (unless equal to lo)
     * @param shape the sizes, one per axis (none for a scalar); copied
     * @return a new leaf tensor
     * @throws IllegalArgumentException unless lo and hi are finite and lo ≤ hi
     */
    public static Tensor uniform(Random rng, double lo, double hi, int... shape) {
        if (rng == null) throw new NullPointerException("uniform: rng is null");
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("uniform: the bounds must be finite with lo <= hi, got lo = " + lo
                    + ", hi = " + hi);
        }
        double[] d = Allocation.doubles("uniform", shape);
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
        return new Tensor(d, copy(shape));
    }

    /**
     * The n x n identity matrix.
     *
     * @param n the number of rows and columns, at least 0
     * @return a new leaf tensor of shape {@code [n, n]}
     * @throws IllegalArgumentException when n is negative
     * @throws ShapeException           when n² exceeds 2^31 − 1
     * @throws AllocationException      when it would not fit in the heap
     */
    public static Tensor eye(int n) {
        if (n < 0) throw new IllegalArgumentException("eye: size must be >= 0, got " + n);
        int[] shape = {n, n};
        double[] d = Allocation.doubles("eye", shape);
        for (int i = 0; i < n; i++) d[i * n + i] = 1.0;
        return new Tensor(d, shape);
    }

    /** A private copy of a shape the caller passed (the empty one shared). */
    private static int[] copy(int[] shape) {
        return shape.length == 0 ? Shapes.SCALAR : shape.clone();
    }

    // ---------------------------------------------------------------- data

    /**
     * The backing row-major array, not a copy. Read it; never write it (use {@link #mutableData()}
     * on a leaf, or {@link #toArray()} for a copy). Ops read their inputs through this. Two tensors share
     * memory exactly when their {@code data()} arrays are the same object.
     *
     * @return the array itself, {@link #size()} elements
     */
    public double[] data() {
        return data;
    }

    /** {@return a copy of the values, row-major} */
    public double[] toArray() {
        return data.clone();
    }

    /** {@return the sizes of the axes} A copy: changing it does not change the tensor. */
    public int[] shape() {
        return shape.length == 0 ? Shapes.SCALAR : shape.clone();
    }

    /** {@return the number of axes; 0 for a scalar} */
    public int rank() {
        return shape.length;
    }

    /**
     * {@return the size of axis {@code axis}}
     *
     * @param axis the axis, from {@code -rank()} to {@code rank() - 1}; negative axes count from the end
     * @throws ShapeException when the axis is out of range
     */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    /** {@return the number of elements} 1 for a scalar, 0 for an empty tensor. */
    public int size() {
        return data.length;
    }

    /**
     * {@return whether this tensor's shape equals {@code other}'s}
     *
     * @param other another tensor, not null
     */
    public boolean sameShape(Tensor other) {
        if (other == null) throw new NullPointerException("sameShape: the other tensor is null");
        return Shapes.same(shape, other.shape);
    }

    /**
     * {@return whether this tensor's shape is {@code s}}
     *
     * @param s the sizes, one per axis (none for a scalar)
     */
    public boolean hasShape(int... s) {
        if (s == null) throw new NullPointerException("hasShape: the shape is null");
        return Shapes.same(shape, s);
    }

    int[] shapeRef() {
        return shape;
    }

    /**
     * {@return the value of a one-element tensor, of any rank}
     *
     * @throws ShapeException when the tensor does not have exactly one element
     */
    public double item() {
        if (data.length != 1) {
            throw new ShapeException("item: tensor of shape " + Shapes.str(shape) + " has " + data.length
                    + " elements, not 1");
        }
        return data[0];
    }

    /**
     * {@return the element at {@code index}} It fails as {@link #flatIndex} does.
     *
     * @param index one index per axis, each in {@code [0, dim)}; none for a scalar
     */
    public double get(int... index) {
        return data[flatIndex("get", index)];
    }

    /**
     * The row-major position of {@code index}.
     *
     * @param index one index per axis, each in {@code [0, dim)}; none for a scalar
     * @return the position in {@link #data()}
     * @throws ShapeException            when there is not one index per axis
     * @throws IndexOutOfBoundsException when an index is outside its axis
     */
    public int flatIndex(int... index) {
        return flatIndex("flatIndex", index);
    }

    private int flatIndex(String op, int[] index) {
        if (index == null) throw new NullPointerException(op + ": index is null");
        if (index.length != shape.length) {
            throw new ShapeException(op + ": " + index.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shapes.str(shape) + ")");
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Shapes.str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /**
     * {@return the multi-index of row-major position {@code flat}}
     *
     * @param flat a position in {@link #data()}, from 0 to {@code size() - 1}
     * @throws IndexOutOfBoundsException when flat is outside the data
     */
    public int[] unflatIndex(int flat) {
        if (flat < 0 || flat >= data.length) {
            throw new IndexOutOfBoundsException("unflatIndex: position " + flat + " is out of bounds for shape "
                    + Shapes.str(shape) + " (" + data.length + " elements)");
        }
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** {@return a new untracked tensor with a copy of the data} */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    /** {@return whether every element is finite: no NaN, no infinity} */
    public boolean isFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- in-place updates of leaves

    /**
     * The backing array for an in-place update of a leaf (an optimiser step, a data refill). Bumps the
     * version, so a recorded use of the old value is caught at backward.
     *
     * @return the array itself; writes to it change this tensor and every view of its storage
     * @throws IllegalStateException when this tensor was produced by a recorded operation
     */
    public double[] mutableData() {
        if (node != null) {
            throw new IllegalStateException("mutableData: " + describe() + " was produced by the recorded op '"
                    + node.op().name() + "'; only leaves can be updated in place (detach() it first)");
        }
        bumpVersion();
        return data;
    }

    private void bumpVersion() {
        storageVersion().incrementAndGet();
        MUTATIONS.incrementAndGet();
    }

    /** The storage's version counter, made (once, whatever the thread) on first need. */
    private AtomicInteger storageVersion() {
        AtomicInteger v = storageVersion;
        if (v == null) {
            AtomicInteger made = new AtomicInteger();
            v = (AtomicInteger) STORAGE_VERSION.compareAndExchange(this, (AtomicInteger) null, made);
            if (v == null) v = made;
        }
        return v;
    }

    /**
     * Copies {@code src}'s values into this leaf (same shape); see {@link #mutableData()}.
     *
     * @param src a tensor of this tensor's shape; only read
     * @return this tensor
     */
    public Tensor assign(Tensor src) {
        if (src == null) throw new NullPointerException("assign: the source tensor is null");
        if (!sameShape(src)) {
            throw new ShapeException("assign: source shape " + Shapes.str(src.shape) + " differs from target shape "
                    + Shapes.str(shape));
        }
        System.arraycopy(src.data, 0, mutableData(), 0, data.length);
        return this;
    }

    /**
     * How many in-place updates this tensor's storage has had, through this tensor or any tensor sharing
     * its array (a view, a detached alias), including gradient accumulation into a {@link #grad()} buffer.
     *
     * @return the count, starting at 0; it only goes up
     */
    public int version() {
        AtomicInteger v = storageVersion;
        return v == null ? 0 : v.get();
    }

    // ---------------------------------------------------------------- graph

    /**
     * Marks this leaf as a variable: every tape it is used on records the operations that consume it,
     * and gradients with respect to it can be asked for. Returns this tensor.
     *
     * @return this tensor
     * @throws IllegalStateException when a recorded operation produced it (it is tracked already)
     */
    public Tensor requiresGrad() {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: " + describe() + " was produced by the recorded op '"
                    + node.op().name() + "' and is tracked already; only leaves can be marked");
        }
        requiresGrad = true;
        return this;
    }

    /** {@return whether this is a leaf marked by {@link #requiresGrad()}} */
    public boolean isVariable() {
        return requiresGrad;
    }

    /** {@return whether no recorded operation produced this tensor} */
    public boolean isLeaf() {
        return node == null;
    }

    /** {@return the recorded application that produced this tensor, or null} Null for a leaf. */
    public Node node() {
        return node;
    }

    /**
     * A new leaf over the same storage that no tape tracks: gradients do not flow through it. Truncated
     * BPTT cuts the graph this way. It is a view (see {@link #viewOf}): an in-place update of the detached
     * tensor is an update of this one, and a tape that recorded this one throws at backward instead of
     * using the new values; {@link #copy()} gives independent storage.
     *
     * @return a new untracked leaf sharing this tensor's array, version counter and name
     */
    public Tensor detach() {
        Tensor t = viewOf(this, shape);
        t.name = name;
        return t;
    }

    /**
     * The gradient accumulated into this leaf by {@link Tape#backward}, or null before the first pass
     * and after {@link #zeroGrad()}. The tensor is this leaf's own buffer: its array is shared with no
     * other gradient, seed, input or output. A later backward pass adds into it in place (its
     * {@link #version()} goes up, so a tape that recorded it throws rather than use stale values); take a
     * {@link #copy()} to keep a snapshot.
     *
     * @return the gradient buffer, of this leaf's shape, or null
     */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient: the next pass starts a new buffer; a tensor handed out keeps its values. */
    public synchronized void zeroGrad() {
        grad = null;
        spareGrad = null;
    }

    /**
     * Forgets the accumulated gradient, like {@link #zeroGrad()}, but keeps its buffer for the next backward
     * pass to write into: {@link #grad()} is null until that pass, which then gives exactly the values and
     * bits it would give after {@code zeroGrad()}, without allocating a new buffer where the op that produces
     * the gradient can write into one (a matrix product can). The training loop's choice (PyTorch's
     * {@code zero_grad(set_to_none=False)} without the zero fill): the buffer is reused, so a tensor obtained
     * from {@code grad()} before this call is overwritten by the next pass, and its {@link #version()} goes
     * up; take a {@link #copy()} to keep one.
     */
    public synchronized void recycleGrad() {
        if (grad != null) spareGrad = grad;
        grad = null;
    }

    /**
     * Lends the recycled buffer to a backward pass, which will write this leaf's gradient into it; null when
     * there is none (or another pass has it). Its version goes up: a recording that saved it cannot use it.
     */
    synchronized Tensor borrowSpareGrad() {
        Tensor s = spareGrad;
        if (s == null) return null;
        spareGrad = null;
        s.bumpVersion();
        return s;
    }

    /** Gives back a buffer borrowed and not used (the pass failed, or the VJP did not write it). */
    synchronized void returnSpareGrad(Tensor s) {
        if (grad == null && spareGrad == null) spareGrad = s;
    }

    /**
     * The end of a pass that wrote this leaf's whole gradient into the borrowed buffer {@code buffer}: it
     * becomes the gradient, or is added into the one another thread's pass accumulated meanwhile.
     */
    synchronized void acceptGrad(Tensor buffer) {
        Tensor current = grad;
        if (current == null) {
            grad = buffer;
            return;
        }
        double[] a = current.data;
        double[] b = buffer.data;
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        current.bumpVersion();
    }

    /** Whether this tensor is a leaf's {@link #grad()} buffer, which later backward passes add into. */
    boolean isGradBuffer() {
        return gradBuffer;
    }

    /**
     * Adds a cotangent into the gradient, atomically per leaf (backward passes on several threads may
     * accumulate into one shared variable). {@code mayTake}: the engine vouches that nothing else refers to
     * g's array, so the first pass can keep it instead of copying. Returns whether it kept g's array.
     */
    synchronized boolean accumulateGrad(Tensor g, boolean mayTake) {
        Tensor current = grad;
        if (current == null) {
            Tensor spare = spareGrad;
            spareGrad = null;
            if (!mayTake && spare != null) {
                // Copied into the recycled buffer: the values a clone would have, without allocating.
                System.arraycopy(g.data, 0, spare.data, 0, spare.data.length);
                spare.bumpVersion();
                grad = spare;
                return false;
            }
            Tensor buffer = new Tensor(mayTake ? g.data : g.data.clone(), shape);
            buffer.gradBuffer = true;
            grad = buffer;
            return mayTake;
        }
        double[] a = current.data;
        double[] b = g.data;
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        current.bumpVersion();
        return false;
    }

    /**
     * Backpropagates from this scalar into the {@link #grad()} of every variable it depends on, through
     * the tape that recorded it. Same as {@code Tape.backward(this)} on that tape.
     */
    public void backward() {
        recordingTape("backward").backward(this);
    }

    /**
     * Backpropagates with the cotangent {@code seed} (of this tensor's shape); see {@link #backward()}.
     *
     * @param seed the cotangent, of this tensor's shape; not modified
     */
    public void backward(Tensor seed) {
        recordingTape("backward").backward(this, seed);
    }

    private Tape recordingTape(String what) {
        if (node == null) {
            throw new IllegalStateException(what + ": " + describe() + " was not recorded on a tape: compute it inside "
                    + "'try (Tape tape = Tape.open())' from tensors that require gradients");
        }
        return node.tape;
    }

    /**
     * Inside a {@link ForwardMode} run, the tangent batch of shape {@code [k, shape...]} this tensor
     * carries, or null for zero.
     *
     * @return the tangent batch, or null (always null outside forward mode)
     */
    public Tensor tangent() {
        State s = State.get();
        return s.forwardK > 0 && tangentLevel == s.forwardLevel ? tangent : null;
    }

    /**
     * Gives this tensor a name used in error messages; returns this tensor.
     *
     * @param name the name, or null for none
     * @return this tensor
     */
    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    /** {@return the name given by {@link #named}, or null} */
    public String name() {
        return name;
    }

    /**
     * {@return a short description for messages: the name (if any) and the shape} For example
     * {@code tensor 'w' of shape [3,2]}.
     */
    public String describe() {
        return (name != null ? "tensor '" + name + "'" : "tensor") + " of shape " + Shapes.str(shape);
    }

    // ---------------------------------------------------------------- comparison and printing

    /**
     * Whether shapes agree and every element differs by at most {@code atol + rtol * |other|}.
     *
     * @param other the tensor compared with, the reference for the relative tolerance
     * @param rtol  the relative tolerance, a multiple of {@code |other|}
     * @param atol  the absolute tolerance
     * @return true when the shapes agree and every pair of elements is close; false when either holds NaN
     *     (equal infinities are close)
     */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (other == null) throw new NullPointerException("allClose: the other tensor is null");
        if (!sameShape(other)) return false;
        for (int i = 0; i < data.length; i++) {
            double a = data[i];
            double b = other.data[i];
            if (Double.isNaN(a) || Double.isNaN(b)) return false;
            if (a == b) continue;
            if (Math.abs(a - b) > atol + rtol * Math.abs(b)) return false;
        }
        return true;
    }

    /** NumPy-style printing, long axes elided. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (shape.length == 0) {
            sb.append(fmt(data[0]));
        } else {
            appendAxis(sb, 0, 0, 1);
        }
        if (shape.length > 1 || data.length > 6) sb.append(" shape=").append(Shapes.str(shape));
        return sb.toString();
    }

    private static final int EDGE = 3;

    private void appendAxis(StringBuilder sb, int axis, int offset, int indent) {
        int n = shape[axis];
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) stride *= shape[i];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent));
                i = n - EDGE - 1;
                continue;
            }
            if (axis == shape.length - 1) {
                sb.append(fmt(data[offset + i]));
                if (i < n - 1) sb.append(", ");
            } else {
                appendAxis(sb, axis + 1, offset + i * stride, indent + 1);
                if (i < n - 1) sb.append(",\n").append(" ".repeat(indent));
            }
        }
        sb.append(']');
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v) + ".";
        return String.format("%.6g", v);
    }
}
