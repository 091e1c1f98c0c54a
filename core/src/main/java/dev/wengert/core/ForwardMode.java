package dev.wengert.core;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Forward mode: Jacobian-vector products {@code J v} computed alongside the function, without a tape.
 * Each primitive's {@link Primitive#jvp} pushes tangents from inputs to outputs.
 *
 * <p>Tangents come in batches: with k directions, the tangent of an input of shape {@code s} has shape
 * {@code [k, s...]}, and every output gets a tangent of shape {@code [k, shape(out)...]}. One run with
 * k directions costs about as much as k single runs of the tangent arithmetic, but the arithmetic is
 * batched into large kernels (a matmul with a tangent batch is one matmul). Exact RTRL carries the
 * influence matrix {@code dh/dθ} this way.
 *
 * <p>Nothing is recorded while forward mode runs (the primals are constants to any open tape), and
 * forward-mode runs do not nest.
 */
public final class ForwardMode {
    private static final AtomicLong LEVELS = new AtomicLong();

    private ForwardMode() {}

    /** The outputs of a function and their tangents. */
    public static final class Result {
        private final Tensor[] values;
        private final Tensor[] tangents;

        Result(Tensor[] values, Tensor[] tangents) {
            this.values = values;
            this.tangents = tangents;
        }

        /**
         * {@return output {@code i}'s value}
         *
         * @param i the output's index, from 0 to {@link #outputs()} − 1
         */
        public Tensor value(int i) {
            return values[check("value", i)];
        }

        /**
         * {@return output {@code i}'s tangent} It has the output's shape for a single direction,
         * {@code [k, ...]} for a batch.
         *
         * @param i the output's index, from 0 to {@link #outputs()} − 1
         */
        public Tensor tangent(int i) {
            return tangents[check("tangent", i)];
        }

        private int check(String what, int i) {
            if (i < 0 || i >= values.length) {
                throw new IndexOutOfBoundsException(what + ": output " + i + " of a result with " + values.length
                        + " output" + (values.length == 1 ? "" : "s"));
            }
            return i;
        }

        /** {@return the first output's value} */
        public Tensor value() {
            return values[0];
        }

        /** {@return the first output's tangent} */
        public Tensor tangent() {
            return tangents[0];
        }

        /** {@return the number of outputs} */
        public int outputs() {
            return values.length;
        }
    }

    /**
     * {@code (f(x), J_f(x) v)} for a function of one tensor.
     *
     * @param f the function; its tensor operations are differentiated, anything else is a constant
     * @param x the primal input
     * @param v the tangent direction, of x's shape; null means zero
     * @return one output, {@code f(x)}, with its tangent {@code J_f(x) v}
     */
    public static Result jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        if (f == null) throw new NullPointerException("jvp: f is null");
        if (x == null) throw new NullPointerException("jvp: the primal x is null");
        return jvp(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {x}, new Tensor[] {v});
    }

    /**
     * {@code (f(x), sum_i J_i v_i)} for one tangent direction: {@code tangents[i]} has the shape of
     * {@code primals[i]}, or is null for zero.
     *
     * @param f        the function, from the primals to its outputs (none of them null)
     * @param primals  the inputs, none null
     * @param tangents one per primal (same length), each of its primal's shape or null
     * @return f's outputs with their tangents, each of its output's shape
     */
    public static Result jvp(Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        checkArguments("jvp", f, primals, tangents);
        Tensor[] lifted = new Tensor[tangents.length];
        for (int i = 0; i < tangents.length; i++) {
            Tensor v = tangents[i];
            if (v == null) continue;
            if (!v.sameShape(primals[i])) {
                throw new ShapeException("jvp: tangent " + i + " has shape " + Shapes.str(v.shapeRef())
                        + ", primal " + i + " has shape " + Shapes.str(primals[i].shapeRef()));
            }
            lifted[i] = Tensor.wrapUnchecked(v.data(), Shapes.prepend(1, v.shapeRef()));
        }
        Result r = run(1, checkedOutputs("jvp", f), primals, lifted);
        for (int i = 0; i < r.tangents.length; i++) {
            Tensor t = r.tangents[i];
            r.tangents[i] = Tensor.wrapUnchecked(t.data(), Shapes.dropFirst(t.shapeRef()));
        }
        return r;
    }

    /**
     * Forward mode with k directions at once: {@code tangents[i]} has shape {@code [k, shape(primals[i])...]}
     * (or is null for zero), and each output's tangent has shape {@code [k, shape(output)...]}: row j
     * is {@code J v^{(j)}}.
     *
     * @param k        the number of directions, at least 1
     * @param f        the function, from the primals to its outputs (none of them null)
     * @param primals  the inputs, none null
     * @param tangents one per primal (same length), each {@code [k, shape(primals[i])...]} or null
     * @return f's outputs with their tangents, each {@code [k, shape(output)...]}
     */
    public static Result jvpBatch(int k, Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        checkArguments("jvpBatch", f, primals, tangents);
        if (k < 1) throw new IllegalArgumentException("jvpBatch: the number of directions must be positive, got " + k);
        for (int i = 0; i < tangents.length; i++) {
            Tensor v = tangents[i];
            if (v == null) continue;
            int[] expected = Shapes.prepend(k, primals[i].shapeRef());
            if (!Shapes.same(v.shapeRef(), expected)) {
                throw new ShapeException("jvpBatch: tangent " + i + " has shape " + Shapes.str(v.shapeRef())
                        + ", expected " + Shapes.str(expected) + " (" + k + " directions x primal shape)");
            }
        }
        return run(k, checkedOutputs("jvpBatch", f), primals, tangents);
    }

    /**
     * The Jacobian of {@code f} at {@code x} by forward mode with one direction per input element:
     * shape {@code [shape(f(x))..., shape(x)...]}, {@code J[i..., j...] = ∂f(x)[i...] / ∂x[j...]}. An empty x
     * gives an empty Jacobian.
     *
     * <p>The n = size(x) directions go through f in batches of at most {@link #JACOBIAN_BATCH} / n (and at
     * least one), so the identity basis and f's tangents stay bounded however large x is; only the Jacobian
     * itself, m × n for m = size(f(x)), has to fit.
     *
     * @param f the function; it runs once per batch of directions, so it should be deterministic
     * @param x the point at which to differentiate
     * @return a new tensor of shape {@code [shape(f(x))..., shape(x)...]}
     * @throws AllocationException when the Jacobian does not fit in a Java array or in the heap
     */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x) {
        return jacobian(f, x, JACOBIAN_BATCH);
    }

    /** {@link #jacobian(UnaryOperator, Tensor)} with at most {@code batch} basis elements per run of f. */
    static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x, long batch) {
        if (f == null) throw new NullPointerException("jacobian: f is null");
        if (x == null) throw new NullPointerException("jacobian: x is null");
        Function<Tensor[], Tensor[]> g = in -> new Tensor[] {f.apply(in[0])};
        int n = x.size();
        if (n == 0) {
            // No directions: one run with a zero tangent gives the output's shape.
            Tensor y = jvpBatch(1, g, new Tensor[] {x}, new Tensor[] {null}).value();
            return Tensor.wrapUnchecked(new double[0], concat(y.shapeRef(), x.shapeRef()));
        }
        int k = (int) Math.max(1, Math.min(n, batch / n));
        double[] jac = null;
        int[] outShape = null;
        int m = 0;
        double[] basis = null;
        for (int j0 = 0; j0 < n; j0 += k) {
            int kb = Math.min(k, n - j0);
            if (basis == null || basis.length != (long) kb * n) {
                basis = Allocation.doubles("jacobian", "a batch of " + kb + " basis directions of size " + n,
                        (long) kb * n);
            } else {
                // Reused: clear the previous batch's ones (f's tangents are copied out before this).
                for (int d = 0; d < kb; d++) basis[d * n + j0 - k + d] = 0.0;
            }
            for (int d = 0; d < kb; d++) basis[d * n + j0 + d] = 1.0;
            Tensor dirs = Tensor.wrapUnchecked(basis, Shapes.prepend(kb, x.shapeRef()));
            Result r = jvpBatch(kb, g, new Tensor[] {x}, new Tensor[] {dirs});
            if (jac == null) {
                outShape = r.value().shapeRef();
                m = r.value().size();
                jac = Allocation.doubles("jacobian", "the Jacobian of shape " + Shapes.str(outShape) + " x "
                        + Shapes.str(x.shapeRef()), (long) m * n);
            }
            double[] td = r.tangent().data(); // [kb, out...]: row d is column j0 + d of J
            for (int d = 0; d < kb; d++) {
                for (int i = 0; i < m; i++) jac[i * n + j0 + d] = td[d * m + i];
            }
        }
        return Tensor.wrapUnchecked(jac, concat(outShape, x.shapeRef()));
    }

    /** The most basis elements (directions × input size) {@link #jacobian} pushes through f at once: 32 MiB. */
    public static final long JACOBIAN_BATCH = 1L << 22;

    private static int[] concat(int[] a, int[] b) {
        int[] s = new int[a.length + b.length];
        System.arraycopy(a, 0, s, 0, a.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    /** An untracked view of t if no result or caller's tensor has its array yet, else a copy. */
    private static Tensor unshared(Tensor t, Map<double[], Boolean> taken) {
        if (taken.put(t.data(), Boolean.TRUE) == null) return Tensor.viewOf(t, t.shapeRef());
        Tensor c = t.copy();
        taken.put(c.data(), Boolean.TRUE);
        return c;
    }

    private static void checkArguments(String op, Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        if (f == null) throw new NullPointerException(op + ": f is null");
        if (primals == null) throw new NullPointerException(op + ": the primals array is null");
        if (tangents == null) throw new NullPointerException(op + ": the tangents array is null");
        if (primals.length != tangents.length) {
            throw new IllegalArgumentException(op + ": " + primals.length + " primals but " + tangents.length + " tangents");
        }
        for (int i = 0; i < primals.length; i++) {
            if (primals[i] == null) throw new NullPointerException(op + ": primal " + i + " is null");
        }
    }

    /** f, with a null result or a null output turned into a message naming it. */
    private static Function<Tensor[], Tensor[]> checkedOutputs(String op, Function<Tensor[], Tensor[]> f) {
        return in -> {
            Tensor[] out = f.apply(in);
            if (out == null) throw new IllegalStateException(op + ": the function returned null instead of its outputs");
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) throw new IllegalStateException(op + ": the function returned null as output " + i);
            }
            return out;
        };
    }

    private static Result run(int k, Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        State s = State.get();
        if (s.forwardK > 0) {
            throw new IllegalStateException("jvp: forward-mode runs do not nest");
        }
        long level = LEVELS.incrementAndGet();
        Tensor[] in = new Tensor[primals.length];
        for (int i = 0; i < primals.length; i++) {
            in[i] = primals[i].detach();
            in[i].tangent = tangents[i];
            in[i].tangentLevel = level;
        }
        Tensor[] out;
        s.forwardK = k;
        s.forwardLevel = level;
        s.paused++;
        try {
            out = f.apply(in);
        } finally {
            s.paused--;
            s.forwardK = 0;
            s.forwardLevel = 0;
        }
        // Results never share an array with a primal, a tangent passed in, or each other (an output may be an
        // input, a view of one, or the same tensor twice): such results are copied.
        Map<double[], Boolean> taken = new IdentityHashMap<>();
        for (int i = 0; i < primals.length; i++) {
            taken.put(primals[i].data(), Boolean.TRUE);
            if (tangents[i] != null) taken.put(tangents[i].data(), Boolean.TRUE);
        }
        Tensor[] values = new Tensor[out.length];
        Tensor[] tans = new Tensor[out.length];
        for (int i = 0; i < out.length; i++) {
            Tensor y = out[i];
            Tensor t = y.tangentLevel == level ? y.tangent : null;
            values[i] = unshared(y, taken);
            tans[i] = t != null ? unshared(t, taken) : Tensor.zeros(Shapes.prepend(k, y.shapeRef()));
        }
        return new Result(values, tans);
    }
}
