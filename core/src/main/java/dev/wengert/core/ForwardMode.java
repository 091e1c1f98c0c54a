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

        /** Output {@code i}'s value. */
        public Tensor value(int i) {
            return values[i];
        }

        /** Output {@code i}'s tangent: shape of the output for a single direction, {@code [k, ...]} for a batch. */
        public Tensor tangent(int i) {
            return tangents[i];
        }

        /** The first output's value. */
        public Tensor value() {
            return values[0];
        }

        /** The first output's tangent. */
        public Tensor tangent() {
            return tangents[0];
        }

        /** The number of outputs. */
        public int outputs() {
            return values.length;
        }
    }

    /** {@code (f(x), J_f(x) v)} for a function of one tensor. */
    public static Result jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        return jvp(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {x}, new Tensor[] {v});
    }

    /**
     * {@code (f(x), sum_i J_i v_i)} for one tangent direction: {@code tangents[i]} has the shape of
     * {@code primals[i]}, or is null for zero.
     */
    public static Result jvp(Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        checkLengths(primals, tangents);
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
        Result r = run(1, f, primals, lifted);
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
     */
    public static Result jvpBatch(int k, Function<Tensor[], Tensor[]> f, Tensor[] primals, Tensor[] tangents) {
        checkLengths(primals, tangents);
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
        return run(k, f, primals, tangents);
    }

    /**
     * The Jacobian of {@code f} at {@code x} by forward mode with one direction per input element:
     * shape {@code [shape(f(x))..., shape(x)...]}.
     */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x) {
        int n = x.size();
        double[] basis = new double[n * n];
        for (int i = 0; i < n; i++) basis[i * n + i] = 1.0;
        Tensor eye = Tensor.wrapUnchecked(basis, Shapes.prepend(n, x.shapeRef()));
        Result r = jvpBatch(n, in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {x}, new Tensor[] {eye});
        Tensor t = r.tangent(); // [n, out...]: transpose to [out..., n]
        int m = r.value().size();
        double[] jac = new double[m * n];
        double[] td = t.data();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) jac[i * n + j] = td[j * m + i];
        }
        int[] outShape = r.value().shapeRef();
        int[] shape = new int[outShape.length + x.rank()];
        System.arraycopy(outShape, 0, shape, 0, outShape.length);
        System.arraycopy(x.shapeRef(), 0, shape, outShape.length, x.rank());
        return Tensor.wrapUnchecked(jac, shape);
    }

    /** An untracked view of t if no result or caller's tensor has its array yet, else a copy. */
    private static Tensor unshared(Tensor t, Map<double[], Boolean> taken) {
        if (taken.put(t.data(), Boolean.TRUE) == null) return Tensor.viewOf(t, t.shapeRef());
        Tensor c = t.copy();
        taken.put(c.data(), Boolean.TRUE);
        return c;
    }

    private static void checkLengths(Tensor[] primals, Tensor[] tangents) {
        if (primals.length != tangents.length) {
            throw new IllegalArgumentException("jvp: " + primals.length + " primals but " + tangents.length + " tangents");
        }
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
