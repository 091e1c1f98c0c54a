package dev.wengert.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The Wengert list: a record, in execution order, of every primitive applied on this thread while the
 * tape is open to an input it tracks (a {@link Tensor#requiresGrad() variable}, or a tensor computed
 * from one on this tape). Reverse mode replays it backwards.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(rng, 3, 2).requiresGrad();
 * try (Tape tape = Tape.open()) {
 *     Tensor loss = Ops.sum(Ops.tanh(Ops.matmul(x, w)));
 *     Tensor dw = tape.gradient(loss, w)[0];
 * }
 * }</pre>
 *
 * <p><b>Backward</b> is a loop from the last entry to the first (no recursion, so a 100,000-step
 * chain is fine). Each entry's VJP turns the cotangent of its output into cotangents of its inputs;
 * cotangents of a value used several times are summed. {@link #gradient} returns the gradients of
 * one or more outputs with respect to any tracked tensors (variables or intermediate values);
 * {@link #backward} accumulates them into the {@link Tensor#grad()} of every variable reached.
 *
 * <p><b>Release.</b> A backward pass releases the entries recorded so far (their saved values are
 * dropped), unless the tape was opened with {@link #openRetained()}; a second backward through a
 * released entry throws. The tape then goes on recording afresh, so one tape can serve a whole
 * training loop with one backward per step.
 *
 * <p><b>Higher order.</b> {@link #recordedGradient} records the backward pass itself on this tape, so
 * the gradients it returns can be differentiated again (Hessian-vector products).
 *
 * <p><b>Scopes.</b> Tapes are per thread: {@link #open()} makes a tape the thread's recording tape
 * until {@link #close()}; tapes nest, the innermost records. A gradient flows only through entries of
 * one tape: a path into another tape's values is an error (detach them). {@link #pause()} opens a
 * scope in which the current tape records nothing; a tape opened inside that scope does record.
 */
public final class Tape implements AutoCloseable {
    private final Tape parent;
    private final Thread owner;
    private final boolean retain;
    /**
     * The thread's pause depth when this tape was opened: it records while the depth is back at this
     * value, so a tape opened inside a {@link #pause()} scope (say, by a function that computes gradients
     * of its own) records, and a pause opened inside it stops it.
     */
    final int pauseBase;
    private ArrayList<Node> nodes = new ArrayList<>();
    /** Bytes of the outputs of the entries recorded since the last release: the activations kept for backward. */
    private long bytes;
    private boolean closed;
    /** Set while a recorded backward pass runs; VJPs read it through {@link Node#creatingGraph()}. */
    boolean creatingGraph;

    private Tape(Tape parent, boolean retain, int pauseBase) {
        this.parent = parent;
        this.owner = Thread.currentThread();
        this.retain = retain;
        this.pauseBase = pauseBase;
    }

    /**
     * Opens a tape on this thread; it records until closed and is released by each backward pass.
     *
     * @return the new tape, now the thread's current one; close it (try-with-resources) to stop recording
     */
    public static Tape open() {
        State s = State.get();
        Tape t = new Tape(s.tape, false, s.paused);
        s.tape = t;
        return t;
    }

    /**
     * Opens a tape whose entries survive backward passes, for several gradients of one graph.
     *
     * @return the new tape, now the thread's current one
     */
    public static Tape openRetained() {
        State s = State.get();
        Tape t = new Tape(s.tape, true, s.paused);
        s.tape = t;
        return t;
    }

    /** {@return this thread's current tape, or null when none is open} The current tape may be paused. */
    public static Tape current() {
        return State.get().tape;
    }

    /**
     * {@return whether an op applied now on this thread to a tracked input would be recorded} That is, a tape
     * is open and not paused.
     */
    public static boolean isRecording() {
        return State.get().recording() != null;
    }

    /**
     * A scope in which nothing is recorded on this thread (PyTorch's {@code no_grad}):
     * {@code try (var p = Tape.pause()) { ... }}.
     *
     * @return the scope; closing it resumes recording (closing it again does nothing)
     */
    public static Scope pause() {
        State s = State.get();
        s.paused++;
        return new Scope(s);
    }

    /** A scope that undoes a {@link #pause()} when closed. */
    public static final class Scope implements AutoCloseable {
        private final State state;
        private boolean closed;

        private Scope(State state) {
            this.state = state;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                state.paused--;
            }
        }
    }

    /** {@return the number of entries recorded since the last release} */
    public int size() {
        return nodes.size();
    }

    /** Stops recording on this tape; gradients can still be taken afterwards. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        checkOwner("close");
        State s = State.get();
        if (s.tape != this) {
            throw new IllegalStateException("close: tapes must be closed innermost first; this tape is not the "
                    + "thread's current tape");
        }
        closed = true;
        s.tape = parent;
    }

    // ---------------------------------------------------------------- recording

    long trackedMask(Tensor[] x) {
        long mask = 0L;
        for (int i = 0; i < x.length; i++) {
            Tensor xi = x[i];
            if (xi.isVariable() || (xi.node != null && xi.node.tape == this)) {
                mask |= i < 64 ? 1L << i : -1L;
            }
        }
        return mask;
    }

    Node newNode(Primitive p, Tensor[] x, long mask, boolean anomaly) {
        Node n = new Node(p, x, this, mask);
        if (anomaly) n.site = Anomaly.userSite(p);
        return n;
    }

    void add(Node n, State s) {
        n.recordOutputVersion();
        n.index = nodes.size();
        nodes.add(n);
        bytes += 8L * n.output.size();
        if (bytes > s.peakTapeBytes) s.peakTapeBytes = bytes;
    }

    /**
     * The memory this tape holds for the backward pass: 8 bytes per element of every output recorded
     * since the last release (the activations; inputs are earlier outputs or leaves the caller owns).
     *
     * @return the bytes, 8 per element
     */
    public long retainedBytes() {
        return bytes;
    }

    /**
     * The largest {@link #retainedBytes()} any tape on this thread reached since the last reset.
     *
     * @return the peak in bytes
     */
    public static long peakRetainedBytes() {
        return State.get().peakTapeBytes;
    }

    /** Starts a new measurement of {@link #peakRetainedBytes()} on this thread. */
    public static void resetPeakRetainedBytes() {
        State.get().peakTapeBytes = 0;
    }

    // ---------------------------------------------------------------- reverse mode

    /**
     * The gradients of the scalar {@code y} with respect to each of {@code wrt} (variables or values
     * computed on this tape), of their shapes. A tracked input that {@code y} does not depend on gets
     * zeros.
     *
     * @param y   the output, one element
     * @param wrt the tensors to differentiate with respect to, each tracked on this tape
     * @return one gradient per {@code wrt}, in order, each of its shape; new tensors the caller owns
     * @throws ShapeException        when y has more than one element (give a seed)
     * @throws IllegalArgumentException when y or an input is not tracked on this tape
     */
    public Tensor[] gradient(Tensor y, Tensor... wrt) {
        return run(new Tensor[] {y}, null, wrt, false, false);
    }

    /**
     * Gradients of several outputs at once: the cotangent of {@code ys[i]} is {@code seeds[i]} (null
     * for a one-element output, meaning 1), and the result is the sum over outputs of their VJPs.
     *
     * @param ys    the outputs
     * @param seeds one cotangent per output, of its shape, or null (meaning 1, for a one-element output); the
     *     array itself may be null, meaning all null; a seed is never modified
     * @param wrt   the tensors to differentiate with respect to, each tracked on this tape
     * @return one gradient per {@code wrt}, in order, each of its shape; new tensors the caller owns
     */
    public Tensor[] gradient(Tensor[] ys, Tensor[] seeds, Tensor... wrt) {
        return run(ys, seeds, wrt, false, false);
    }

    /**
     * Like {@link #gradient(Tensor, Tensor...)}, but the backward pass is recorded on this tape, so the
     * returned gradients can be differentiated again. The tape is not released.
     *
     * @param y   the output, one element
     * @param wrt the tensors to differentiate with respect to, each tracked on this tape
     * @return one gradient per {@code wrt}, each of its shape, recorded on this tape
     */
    public Tensor[] recordedGradient(Tensor y, Tensor... wrt) {
        return run(new Tensor[] {y}, null, wrt, true, false);
    }

    /**
     * Recorded gradients of several outputs with seeds; see {@link #gradient(Tensor[], Tensor[], Tensor...)}.
     *
     * @param ys    the outputs
     * @param seeds one cotangent per output, or null as in {@link #gradient(Tensor[], Tensor[], Tensor...)}
     * @param wrt   the tensors to differentiate with respect to, each tracked on this tape
     * @return one gradient per {@code wrt}, each of its shape, recorded on this tape
     */
    public Tensor[] recordedGradient(Tensor[] ys, Tensor[] seeds, Tensor... wrt) {
        return run(ys, seeds, wrt, true, false);
    }

    /**
     * Accumulates the gradient of the scalar {@code y} into {@link Tensor#grad()} of every variable reached.
     *
     * @param y the output, one element, tracked on this tape
     */
    public void backward(Tensor y) {
        run(new Tensor[] {y}, null, new Tensor[0], false, true);
    }

    /**
     * {@link #backward(Tensor)} with the cotangent {@code seed} for a non-scalar {@code y}.
     *
     * @param y    the output, tracked on this tape
     * @param seed its cotangent, of its shape; not modified
     */
    public void backward(Tensor y, Tensor seed) {
        run(new Tensor[] {y}, new Tensor[] {seed}, new Tensor[0], false, true);
    }

    /** During a backward pass into leaves (not recorded): its leaf cotangents, so far. */
    private Map<Tensor, Cot> leafPass;
    /** Recycled grad buffers lent to this pass's VJPs ({@link Node#gradInto}), each with its leaf. */
    private Map<Tensor, Tensor> lent;

    /** The cotangent the running VJP was given, when the pass owns its array alone (see {@link Node#mayOverwrite}). */
    private Tensor scratch;

    /** The running VJP's cotangent it gave up with {@link Node#recycle}: pooled if the VJP does not return it. */
    private Tensor donated;

    /** {@link Node#recycle}. */
    void recycle(Tensor g) {
        if (mayOverwrite(g)) donated = g;
    }

    /** {@link Node#mayOverwrite}: whether {@code g} is the running VJP's own cotangent and only the pass refers to it. */
    boolean mayOverwrite(Tensor g) {
        return g != null && g == scratch;
    }

    /** {@link Node#gradInto}: the leaf's recycled buffer, lent to the running pass, or null. */
    Tensor gradInto(Tensor x) {
        if (leafPass == null || !x.isVariable() || x.node != null || leafPass.containsKey(x)) return null;
        Tensor buffer = x.borrowSpareGrad();
        if (buffer == null) return null;
        if (lent == null) lent = new IdentityHashMap<>();
        lent.put(buffer, x);
        return buffer;
    }

    /**
     * A cotangent being summed during a pass, and what the engine knows of its array. Storage, not object
     * identity, decides: views (reshape, expandDims ...) are new tensor objects over the same array.
     */
    private static final class Cot {
        Tensor value;
        /** The array was allocated by this pass's summation and only this entry refers to it: it can be added into. */
        boolean owned;
        /**
         * Nothing outside this pass refers to the array: it is neither a seed, an input nor an output of any op,
         * nor a view of one. A fresh array may still be shared by several cotangents (a VJP may return the
         * same tensor for two inputs), which the hand-out at the end resolves.
         */
        boolean fresh;
        /** The array is the leaf's own recycled grad buffer, written by a VJP: it becomes the gradient. */
        boolean inBuffer;

        Cot(Tensor value, boolean fresh) {
            this.value = value;
            this.fresh = fresh;
        }
    }

    private Tensor[] run(Tensor[] ys, Tensor[] seeds, Tensor[] wrt, boolean record, boolean intoLeaves) {
        String what = intoLeaves ? "backward" : "gradient";
        checkOwner(what);
        if (ys == null) throw new NullPointerException(what + ": the outputs array is null");
        if (wrt == null) throw new NullPointerException(what + ": the inputs array is null");
        if (seeds != null && seeds.length != ys.length) {
            throw new IllegalArgumentException(what + ": " + ys.length + " outputs but " + seeds.length + " seeds");
        }
        int n = nodes.size();
        // Per entry, the summed cotangent and what is known of its array (see Cot; arrays, not Cot objects,
        // as a long tape would allocate one per entry).
        Tensor[] cot = new Tensor[n];
        boolean[] owned = new boolean[n];
        boolean[] fresh = new boolean[n];
        // The array is referred to by this entry alone, and by nothing outside the pass: its VJP may overwrite it.
        boolean[] exclusive = new boolean[n];
        Map<Tensor, Cot> leafCot = new IdentityHashMap<>();

        State s = State.get();
        Tape savedTape = s.tape;
        int savedPaused = s.paused;
        int savedForward = s.forwardK;
        boolean savedCreating = creatingGraph;
        s.forwardK = 0;
        if (record) {
            s.tape = this;
            s.paused = pauseBase;
            creatingGraph = true;
        } else {
            s.paused++;
        }
        Map<Tensor, Cot> outerLeafPass = leafPass;
        Map<Tensor, Tensor> outerLent = lent;
        Tensor outerScratch = scratch;
        leafPass = intoLeaves && !record ? leafCot : null;
        lent = null;
        boolean accumulated = false;
        try {
            int start = -1;
            for (int i = 0; i < ys.length; i++) {
                Tensor y = ys[i];
                if (y == null) throw new NullPointerException(what + ": output " + i + " is null");
                Tensor given = seeds == null ? null : seeds[i];
                Tensor seed = seedFor(what, y, given, i);
                boolean seedFresh = given == null; // ones made here; a caller's seed is never written nor handed out
                if (y.node != null && y.node.tape == this) {
                    y.node.checkUsable();
                    int idx = y.node.index;
                    addInto(cot, owned, fresh, exclusive, idx, seed, seedFresh, false, record);
                    start = Math.max(start, idx);
                } else if (y.isVariable()) {
                    leafCot.put(y, add(leafCot.get(y), seed, seedFresh, record));
                } else {
                    throw new IllegalArgumentException(what + ": output " + (ys.length > 1 ? i + " " : "") + "("
                            + y.describe() + ") was not recorded on this tape: none of its inputs required gradients, "
                            + "it was computed outside the tape or under Tape.pause(), or on another tape");
                }
            }

            // Intermediate tensors asked for: their cotangent is final when the loop reaches them.
            boolean[] wanted = null;
            for (int j = 0; j < wrt.length; j++) {
                Tensor x = wrt[j];
                if (x == null) throw new NullPointerException(what + ": input " + j + " is null");
                if (x.node != null && x.node.tape == this) {
                    x.node.checkUsable();
                    if (wanted == null) wanted = new boolean[n];
                    wanted[x.node.index] = true;
                } else if (!x.isVariable()) {
                    throw new IllegalArgumentException(what + ": input " + j + " (" + x.describe() + ") is not "
                            + "tracked on this tape: call requiresGrad() on it before computing with it");
                }
            }
            Cot[] intermediate = wanted == null ? null : new Cot[n];

            // Entries are released as the loop passes them (they are in cache then; a separate pass over
            // a long tape costs a cache miss each). A failure inside the loop (a NaN in anomaly mode, a
            // path into a released or foreign entry) leaves the graph released: retrying cannot succeed.
            boolean release = !retain && !record;
            if (release) {
                for (int i = n - 1; i > start; i--) nodes.get(i).release();
            }
            for (int i = start; i >= 0; i--) {
                Tensor g = cot[i];
                Node node = nodes.get(i);
                if (g == null) {
                    if (release) node.release();
                    continue;
                }
                cot[i] = null;
                boolean gFresh = fresh[i];
                boolean gExclusive = exclusive[i] && !record;
                if (intermediate != null && wanted[i]) {
                    intermediate[i] = new Cot(g, gFresh);
                    gExclusive = false; // the caller will get it
                }
                node.checkUsable();
                Primitive op = node.op();
                scratch = gExclusive ? g : null;
                Tensor[] gx;
                try {
                    gx = s.anomaly ? Anomaly.vjp(s, op, g, node) : op.vjp(g, node);
                } finally {
                    scratch = null;
                }
                Tensor given = donated;
                donated = null;
                Tensor[] x = node.inputs();
                if (gx == null || gx.length != x.length) {
                    throw new IllegalStateException(op.name() + ": vjp returned " + (gx == null ? "null" : gx.length
                            + " cotangents") + " for " + x.length + " inputs");
                }
                for (int j = 0; j < x.length; j++) {
                    Tensor xj = x[j];
                    if (!node.needsGrad(j)) {
                        if (xj.node != null && xj.node.tape != this) throw foreignPath(what, op, xj);
                        continue;
                    }
                    Tensor c = gx[j];
                    if (c == null) continue;
                    Tensor lender = lent == null ? null : lent.get(c);
                    if (lender != null && lender == xj && !leafCot.containsKey(xj)) {
                        if (!c.sameShape(xj)) {
                            throw new IllegalStateException(op.name() + ": vjp returned the gradient buffer of input "
                                    + j + " with shape " + Shapes.str(c.shapeRef()));
                        }
                        if (s.anomaly) Anomaly.checkBackward(node, j, c);
                        Cot inBuffer = new Cot(c, false);
                        inBuffer.owned = true; // later contributions of this pass add into it
                        inBuffer.inBuffer = true;
                        leafCot.put(xj, inBuffer);
                        lent.remove(c);
                        continue;
                    }
                    if (!Shapes.same(c.shapeRef(), xj.shapeRef())) {
                        throw new IllegalStateException(op.name() + ": vjp returned a cotangent of shape "
                                + Shapes.str(c.shapeRef()) + " for input " + j + " of shape " + Shapes.str(xj.shapeRef()));
                    }
                    if (s.anomaly) Anomaly.checkBackward(node, j, c);
                    // g itself or a view of it is as fresh as g; an input's or the output's storage never is.
                    boolean cFresh = lender == null && (c.data() == g.data() ? gFresh : !sharesStorage(c, node));
                    boolean cExclusive = cFresh && (c.data() == g.data() ? gExclusive : true) && onlyOnce(gx, j);
                    Node src = xj.node;
                    if (src != null && src.tape == this) {
                        src.checkUsable();
                        addInto(cot, owned, fresh, exclusive, src.index, c, cFresh, cExclusive, record);
                    } else {
                        leafCot.put(xj, add(leafCot.get(xj), c, cFresh, record));
                    }
                }
                if (given != null && !returned(gx, given)) s.pool.give(given.data());
                if (release) node.release();
            }

            // Hand out: every array given to the caller (a result, a new grad buffer) is given once, and never
            // a seed's, an input's or an output's; anything else is copied.
            Map<double[], Boolean> handedOut = new IdentityHashMap<>();
            Tensor[] result = new Tensor[wrt.length];
            for (int j = 0; j < wrt.length; j++) {
                Tensor x = wrt[j];
                Cot g = x.node != null ? intermediate[x.node.index] : leafCot.get(x);
                result[j] = g != null ? handOut(g, handedOut, record) : Tensor.zeros(x.shapeRef());
            }
            if (intoLeaves) {
                for (Map.Entry<Tensor, Cot> e : leafCot.entrySet()) {
                    Cot c = e.getValue();
                    if (c.inBuffer) {
                        e.getKey().acceptGrad(c.value);
                        continue;
                    }
                    boolean mayTake = c.fresh && !record && !handedOut.containsKey(c.value.data());
                    if (e.getKey().accumulateGrad(c.value, mayTake)) handedOut.put(c.value.data(), Boolean.TRUE);
                }
                accumulated = true;
            }
            if (release) {
                nodes = new ArrayList<>();
                bytes = 0;
            }
            return result;
        } finally {
            if (leafPass != null) {
                // A failed pass accumulates nothing: the buffers it was lent go back unused.
                if (!accumulated) {
                    for (Map.Entry<Tensor, Cot> e : leafCot.entrySet()) {
                        if (e.getValue().inBuffer) e.getKey().returnSpareGrad(e.getValue().value);
                    }
                }
                if (lent != null) {
                    for (Map.Entry<Tensor, Tensor> e : lent.entrySet()) e.getValue().returnSpareGrad(e.getKey());
                }
            }
            scratch = outerScratch;
            donated = null;
            leafPass = outerLeafPass;
            lent = outerLent;
            s.tape = savedTape;
            s.paused = savedPaused;
            s.forwardK = savedForward;
            creatingGraph = savedCreating;
        }
    }

    /** Whether c's array is the array of an input or the output of the node whose VJP returned it. */
    private static boolean sharesStorage(Tensor c, Node node) {
        double[] d = c.data();
        if (node.output().data() == d) return true;
        for (Tensor x : node.inputs()) {
            if (x.data() == d) return true;
        }
        return false;
    }

    /**
     * A gradient for the caller: the summed cotangent itself when its array is fresh and not given out yet,
     * else a copy (recorded in a recorded pass, so that it can be differentiated again).
     */
    private static Tensor handOut(Cot c, Map<double[], Boolean> handedOut, boolean record) {
        Tensor g = c.value;
        if (c.fresh && handedOut.put(g.data(), Boolean.TRUE) == null) return g;
        Tensor copy = record ? Copy.INSTANCE.apply(g) : Tensor.wrapUnchecked(g.data().clone(), g.shapeRef());
        handedOut.put(copy.data(), Boolean.TRUE);
        return copy;
    }

    private static IllegalStateException foreignPath(String what, Primitive op, Tensor x) {
        return new IllegalStateException(what + ": the gradient path through op '" + op.name()
                + "' leads into a value recorded on another tape (" + x.describe() + ", produced by op '"
                + x.node.op().name() + "'); detach() it to treat it as a constant, or compute both under one tape");
    }

    private static Tensor seedFor(String what, Tensor y, Tensor seed, int i) {
        if (seed == null) {
            if (y.size() != 1) {
                throw new ShapeException(what + ": output " + i + " has shape " + Shapes.str(y.shapeRef())
                        + "; a non-scalar output needs a seed cotangent of that shape");
            }
            return Tensor.ones(y.shapeRef());
        }
        if (!seed.sameShape(y)) {
            throw new ShapeException(what + ": seed of shape " + Shapes.str(seed.shapeRef())
                    + " does not match output " + i + " of shape " + Shapes.str(y.shapeRef()));
        }
        // A grad buffer passed as a seed would change under the accumulation at the end of this very pass.
        return seed.isGradBuffer() ? seed.copy() : seed;
    }

    /**
     * Sums cotangents without writing any array the engine does not own (VJPs may return their input g, a
     * seed flows in as it is): the first contribution is kept as is, the second goes into a new buffer that
     * later ones add into. A recorded backward sums with the recorded {@link Accumulate} instead.
     */
    private static Cot add(Cot prev, Tensor c, boolean fresh, boolean record) {
        if (prev == null) return new Cot(c, fresh);
        if (record) {
            prev.value = Accumulate.INSTANCE.apply(prev.value, c);
            prev.fresh = true;
        } else if (prev.owned) {
            addInPlace(prev.value.data(), c.data());
        } else {
            prev.value = Tensor.wrapUnchecked(Accumulate.sum(prev.value.data(), c.data()), prev.value.shapeRef());
            prev.owned = true;
            prev.fresh = true;
        }
        return prev;
    }

    /** Whether the array of {@code g} is among a VJP's results. */
    private static boolean returned(Tensor[] gx, Tensor g) {
        for (Tensor c : gx) {
            if (c != null && c.data() == g.data()) return true;
        }
        return false;
    }

    /** Whether no other cotangent of one VJP's result shares the array of the one at {@code j}. */
    private static boolean onlyOnce(Tensor[] gx, int j) {
        double[] d = gx[j].data();
        for (int k = 0; k < gx.length; k++) {
            if (k != j && gx[k] != null && gx[k].data() == d) return false;
        }
        return true;
    }

    /** {@link #add} for the entries of the tape, whose state is kept in arrays. */
    private static void addInto(Tensor[] cot, boolean[] owned, boolean[] fresh, boolean[] exclusive, int idx, Tensor c,
            boolean cFresh, boolean cExclusive, boolean record) {
        Tensor prev = cot[idx];
        if (prev == null) {
            cot[idx] = c;
            fresh[idx] = cFresh;
            exclusive[idx] = cExclusive;
        } else if (record) {
            cot[idx] = Accumulate.INSTANCE.apply(prev, c);
            fresh[idx] = true;
        } else if (owned[idx]) {
            addInPlace(prev.data(), c.data());
        } else {
            cot[idx] = Tensor.wrapUnchecked(Accumulate.sum(prev.data(), c.data()), prev.shapeRef());
            owned[idx] = true;
            fresh[idx] = true;
            exclusive[idx] = true;
        }
    }

    private static void addInPlace(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }

    /** Releases every entry recorded so far and starts a fresh segment. */
    public void release() {
        for (Node n : nodes) n.release();
        nodes = new ArrayList<>();
        bytes = 0;
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(what + ": this tape belongs to thread '" + owner.getName()
                    + "'; tapes are confined to the thread that opened them");
        }
    }
}
