package dev.wengert.rnn.rtrl;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.Cell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a cell, {@code s_t = F(θ, s_{t−1}, x_t)}, recorded on a tape and read as a graph, for
 * {@link GenericRtrl}: which parameters enter through a structure that makes their immediate Jacobian
 * cheap, and a forward-mode sweep over the recorded ops ({@link #replay}) that can start tangents at any
 * recorded value, not only at the step's inputs.
 *
 * <h2>Structured uses</h2>
 * A use of parameter P is an input edge of a recorded op y = op(..., P, ...). Three kinds are recognised,
 * each with {@code y} of shape {@code [B, w]} (B the batch):
 * <ul>
 *   <li>{@code y = v Pᵀ} or {@code y = v P} ({@code Ops.matmul}, v of shape {@code [B, d]}): y_{b,i} depends
 *       on row i (column i) of P alone, {@code ∂y_{b,i}/∂P_{ij} = v_{b,j}};</li>
 *   <li>{@code y = a ± P}, {@code y = P ± a} with P of shape {@code [w]} or {@code [1, w]} (a bias):
 *       {@code ∂y_{b,i}/∂P_i = ±1};</li>
 *   <li>{@code y = a ⊙ P}, {@code y = P ⊙ a} with a of shape {@code [B, w]} (a gain):
 *       {@code ∂y_{b,i}/∂P_i = a_{b,i}}.</li>
 * </ul>
 * A parameter all of whose uses are recognised is <em>structured</em>: the derivative of the new state with
 * respect to it is {@code Σ_uses (∂s/∂y)[:, i] · coefficient}, so it needs w tangent directions per use (one
 * per unit of y, a {@link Seed}) instead of one per scalar of P. Any other parameter is <em>dense</em>: one
 * direction per scalar, started at the parameter itself, as plain forward mode does. Seeds on values that only
 * feed additions of their own shape move down to the sum ({@code W h + U x + b} is one seed of n directions,
 * shared by W, U and b).
 *
 * <h2>Batches</h2>
 * A seed direction is one-hot in unit i for every sequence of the batch at once, which is exact only when
 * sequence b's new state does not depend on sequence b′'s values (b′ ≠ b). The graph is checked for that
 * ({@link #rowLocal}): the state and the input are batched by rows; parameters and constants are not;
 * elementwise ops and products {@code v op(C)} of a batched v with an unbatched C keep the rows apart; any
 * other op on batched values (a sum over the batch, a reshape, an op of a user's) counts as mixing them. With
 * one sequence (B = 1) nothing can mix. A step that may mix sequences is differentiated the plain way
 * (parameter directions, the influence matrix as the state's tangent), which is exact for any cell.
 */
final class StepGraph {
    /** The kind of a value: not batched (parameters, constants, values made from them alone). */
    static final int CONST = 0;
    /** Batched by rows: shape {@code [B, ...]}, row b made from row b of the state and the input alone. */
    static final int ROWED = 1;
    /** Anything else: rows may be mixed. */
    static final int MIXED = 2;

    /** Use kinds. */
    static final int MATMUL_NT = 0;
    static final int MATMUL_NN = 1;
    static final int BIAS = 2;
    static final int GAIN = 3;

    // The ops recognised, found by applying them once (they are package-private classes of the ops module).
    private static final Primitive ADD;
    private static final Primitive SUB;
    private static final Primitive MUL;
    private static final Primitive MATMUL_NN_OP;
    private static final Primitive MATMUL_NT_OP;
    private static final Primitive MATMUL_TN_OP;
    private static final Primitive MATMUL_TT_OP;
    /** The base class of the unary elementwise ops (tanh, σ, exp ...), or null if it could not be found. */
    private static final Class<?> UNARY;
    /** The base class of the binary elementwise ops with broadcasting (+, −, ⊙, / ...), or null. */
    private static final Class<?> BINARY;

    static {
        try (Tape tape = Tape.open()) {
            Tensor a = Tensor.zeros(2, 2).requiresGrad();
            Tensor b = Tensor.zeros(2, 2).requiresGrad();
            ADD = Ops.add(a, b).node().op();
            SUB = Ops.sub(a, b).node().op();
            MUL = Ops.mul(a, b).node().op();
            MATMUL_NN_OP = Ops.matmul(a, b, false, false).node().op();
            MATMUL_NT_OP = Ops.matmul(a, b, false, true).node().op();
            MATMUL_TN_OP = Ops.matmul(a, b, true, false).node().op();
            MATMUL_TT_OP = Ops.matmul(a, b, true, true).node().op();
            UNARY = base(Ops.tanh(a).node().op(), Ops.sigmoid(a).node().op(), "UnaryElementwise");
            BINARY = base(ADD, MUL, "BinaryElementwise");
        }
    }

    /** The common superclass of two ops if it has the expected name, else null (nothing is then assumed). */
    private static Class<?> base(Primitive p, Primitive q, String name) {
        Class<?> c = p.getClass().getSuperclass();
        return c == q.getClass().getSuperclass() && c.getSimpleName().equals(name) ? c : null;
    }

    /** One recognised use of a structured parameter. */
    static final class Use {
        /** The parameter's index in the cell's parameters. */
        final int param;
        /** {@link #MATMUL_NT}, {@link #MATMUL_NN}, {@link #BIAS} or {@link #GAIN}. */
        final int kind;
        /** ±1: the sign of y's seed relative to y (a subtraction on the way flips it). */
        double sign;
        /** The coefficient: v ({@code [B, d]}) of a product, a ({@code [B, w]}) of a gain, null for a bias. */
        final Tensor coefficient;
        /** w: the units of y. */
        final int width;
        /** d: the inner size of a product, 1 otherwise. */
        final int depth;
        /** Where its directions start. */
        Seed seed;
        /** y, the value the use makes. */
        final Tensor output;

        Use(Tensor output, int param, int kind, double sign, Tensor coefficient, int width, int depth) {
            this.output = output;
            this.param = param;
            this.kind = kind;
            this.sign = sign;
            this.coefficient = coefficient;
            this.width = width;
            this.depth = depth;
        }
    }

    /** A value whose tangent gets w extra directions, one-hot in each of its units in every row. */
    static final class Seed {
        final Tensor at;
        final int width;
        /** The first of its directions. */
        int direction;
        final List<Use> uses = new ArrayList<>();

        Seed(Tensor at, int width) {
            this.at = at;
            this.width = width;
        }
    }

    final int batch;
    /** The new state, as recorded (tracked by this graph's tape; detach before handing out). */
    final Tensor[] outputs;
    /** Whether seeds may be one-hot over the whole batch at once (see the class comment). */
    final boolean rowLocal;
    /** Per cell parameter: true when all its uses are recognised (or it has none). */
    final boolean[] structured;
    /** The seeds, in direction order (directions {@code [stateSize, stateSize + Σ widths)}). */
    final List<Seed> seeds = new ArrayList<>();
    /** The seed directions in all. */
    final int seedDirections;
    /** The parameters with one direction per scalar (the dense ones that are used), in order. */
    final int[] denseParams;
    /** Parameter scalars that need one direction each: the sizes of {@link #denseParams} summed. */
    final int denseDirections;

    private final Tensor[] paramLeaves;
    private final Tensor[] stateLeaves;
    private final List<Node> order;
    private final Map<Tensor, Seed> seedAt = new IdentityHashMap<>();
    /** Per value, the last recorded op reading it (its only one when it has one consumer). */
    private final Map<Tensor, Node> lastConsumer = new IdentityHashMap<>();

    private StepGraph(int batch, Tensor[] paramLeaves, Tensor[] stateLeaves, Tensor xLeaf, Tensor[] outputs) {
        this.batch = batch;
        this.paramLeaves = paramLeaves;
        this.stateLeaves = stateLeaves;
        this.outputs = outputs;
        this.order = topological(outputs);

        Map<Tensor, Integer> paramIndex = new IdentityHashMap<>();
        for (int i = 0; i < paramLeaves.length; i++) paramIndex.put(paramLeaves[i], i);
        Map<Tensor, Integer> kind = new IdentityHashMap<>();
        for (Tensor s : stateLeaves) kind.put(s, ROWED);
        kind.put(xLeaf, ROWED);
        Map<Tensor, Integer> consumers = new IdentityHashMap<>();
        for (Node node : order) {
            Tensor[] in = node.inputs();
            for (Tensor t : in) {
                consumers.merge(t, 1, Integer::sum);
                lastConsumer.put(t, node);
            }
            kind.put(node.output(), kindOf(node, kind));
        }
        for (Tensor o : outputs) consumers.merge(o, 1, Integer::sum);
        boolean local = true;
        if (batch > 1) for (Tensor o : outputs) local &= kindOfValue(o, kind) != MIXED;
        this.rowLocal = local;

        // Recognise every use of every parameter; one unrecognised use (or being an output) makes it dense.
        structured = new boolean[paramLeaves.length];
        Arrays.fill(structured, true);
        List<List<Use>> uses = new ArrayList<>();
        for (int i = 0; i < paramLeaves.length; i++) uses.add(new ArrayList<>());
        for (Tensor o : outputs) {
            Integer pi = paramIndex.get(o);
            if (pi != null) structured[pi] = false;
        }
        for (Node node : order) {
            Tensor[] in = node.inputs();
            for (int e = 0; e < in.length; e++) {
                Integer pi = paramIndex.get(in[e]);
                if (pi == null || !structured[pi]) continue;
                Use u = local ? recognise(node, e, pi, kind) : null;
                if (u == null) structured[pi] = false;
                else uses.get(pi).add(u);
            }
        }
        int stateSize = 0;
        for (Tensor s : stateLeaves) stateSize += s.dim(1);
        int next = stateSize;
        List<Integer> dense = new ArrayList<>();
        int denseCount = 0;
        for (int i = 0; i < paramLeaves.length; i++) {
            if (!structured[i]) {
                dense.add(i);
                denseCount += paramLeaves[i].size();
                continue;
            }
            for (Use u : uses.get(i)) {
                Tensor at = sink(u, consumers, kind);
                Seed s = seedAt.get(at);
                if (s == null) {
                    s = new Seed(at, u.width);
                    s.direction = next;
                    next += u.width;
                    seedAt.put(at, s);
                    seeds.add(s);
                }
                u.seed = s;
                s.uses.add(u);
            }
        }
        this.seedDirections = next - stateSize;
        this.denseParams = dense.stream().mapToInt(Integer::intValue).toArray();
        this.denseDirections = denseCount;
    }

    /**
     * Runs one step of {@code cell} on a tape, from fresh leaves over the given parameters, state and input,
     * and analyses it.
     *
     * @param who the learner, for messages
     * @throws ShapeException when the step returns the wrong number of state parts or a part of the wrong shape
     */
    static StepGraph record(String who, Cell cell, Tensor[] params, Tensor[] state, Tensor x) {
        int batch = x.dim(0);
        Tensor[] pl = new Tensor[params.length];
        for (int i = 0; i < params.length; i++) pl[i] = params[i].detach().requiresGrad();
        Tensor[] sl = new Tensor[state.length];
        for (int i = 0; i < state.length; i++) sl[i] = state[i].detach().requiresGrad();
        Tensor xl = x.detach().requiresGrad();
        Tensor[] out;
        try (Tape tape = Tape.open()) {
            out = cell.step(pl, sl, xl);
        }
        int[] sizes = cell.stateSizes();
        if (out == null) throw new IllegalStateException(who + ": " + cell.name() + ".step returned null");
        if (out.length != sizes.length) {
            throw new IllegalStateException(who + ": " + cell.name() + ".step returned " + out.length
                    + " state parts, the cell declares " + sizes.length + " (stateSizes)");
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) throw new IllegalStateException(who + ": " + cell.name() + ".step returned null as state part " + i);
            if (!out[i].hasShape(batch, sizes[i])) {
                throw new ShapeException(who + ": " + cell.name() + ".step returned state part " + i + " of shape "
                        + Shapes.str(out[i].shape()) + ", expected [" + batch + "," + sizes[i] + "]");
            }
        }
        return new StepGraph(batch, pl, sl, xl, out);
    }

    /** The recorded nodes the outputs depend on, inputs before the ops that read them. */
    private static List<Node> topological(Tensor[] outputs) {
        List<Node> order = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Tensor o : outputs) {
            Node root = o.node();
            if (root == null || seen.containsKey(root)) continue;
            seen.put(root, Boolean.TRUE);
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                int i = next.pop();
                Tensor[] in = n.inputs();
                while (i < in.length && (in[i].node() == null || seen.containsKey(in[i].node()))) i++;
                if (i < in.length) {
                    next.push(i + 1);
                    Node child = in[i].node();
                    seen.put(child, Boolean.TRUE);
                    stack.push(child);
                    next.push(0);
                } else {
                    stack.pop();
                    order.add(n);
                }
            }
        }
        return order;
    }

    private static int kindOfValue(Tensor t, Map<Tensor, Integer> kind) {
        Integer k = kind.get(t);
        return k == null ? CONST : k; // a leaf that is neither state nor input: a constant
    }

    /** The kind of a node's output from its inputs' kinds (see the class comment). */
    private int kindOf(Node node, Map<Tensor, Integer> kind) {
        Tensor[] in = node.inputs();
        boolean rowed = false;
        for (Tensor t : in) {
            int k = kindOfValue(t, kind);
            if (k == MIXED) return MIXED;
            rowed |= k == ROWED;
        }
        if (!rowed) return CONST;
        Tensor y = node.output();
        Primitive op = node.op();
        if (y.rank() == 0 || y.dim(0) != batch) return MIXED;
        if (UNARY != null && UNARY.isInstance(op)) return ROWED;
        if (BINARY != null && BINARY.isInstance(op)) {
            // A batched operand must keep its row axis in front: the same rank as y (no broadcast can then move it).
            for (Tensor t : in) if (kindOfValue(t, kind) == ROWED && t.rank() != y.rank()) return MIXED;
            return ROWED;
        }
        if (op == MATMUL_NN_OP || op == MATMUL_NT_OP) {
            return in[0].rank() == 2 && in[1].rank() == 2 && kindOfValue(in[1], kind) == CONST ? ROWED : MIXED;
        }
        return MIXED;
    }

    /** The use of parameter {@code param} as input {@code e} of {@code node}, if it is a recognised one. */
    private Use recognise(Node node, int e, int param, Map<Tensor, Integer> kind) {
        Tensor y = node.output();
        if (y.rank() != 2 || y.dim(0) != batch || (batch > 1 && kindOfValue(y, kind) != ROWED)) return null;
        int w = y.dim(1);
        Tensor p = node.input(e);
        Primitive op = node.op();
        if ((op == MATMUL_NT_OP || op == MATMUL_NN_OP) && e == 1 && p.rank() == 2) {
            Tensor v = node.input(0);
            if (v == p || v.rank() != 2 || v.dim(0) != batch) return null;
            return new Use(y, param, op == MATMUL_NT_OP ? MATMUL_NT : MATMUL_NN, 1.0, v, w, v.dim(1));
        }
        boolean vector = (p.rank() == 1 && p.dim(0) == w) || (p.rank() == 2 && p.dim(0) == 1 && p.dim(1) == w);
        if (!vector || node.arity() != 2) return null;
        Tensor other = node.input(1 - e);
        if (other == p) return null;
        if (op == ADD) return new Use(y, param, BIAS, 1.0, null, w, 1);
        if (op == SUB) return new Use(y, param, BIAS, e == 0 ? 1.0 : -1.0, null, w, 1);
        if (op == MUL && other.rank() == 2 && other.dim(0) == batch && other.dim(1) == w) {
            return new Use(y, param, GAIN, 1.0, other, w, 1);
        }
        return null;
    }

    /**
     * Where a use's seed goes: down from y through additions of y's own shape while y has no other consumer
     * and is not part of the new state ({@code ∂s/∂y = ±∂s/∂(y + a)} there), flipping the sign across the
     * right-hand side of a subtraction.
     */
    private Tensor sink(Use u, Map<Tensor, Integer> consumers, Map<Tensor, Integer> kind) {
        Tensor at = u.output;
        while (consumers.getOrDefault(at, 0) == 1 && !isOutput(at)) {
            Node c = consumer(at);
            if (c == null || (c.op() != ADD && c.op() != SUB) || !Arrays.equals(c.output().shape(), at.shape())) break;
            if (batch > 1 && kindOfValue(c.output(), kind) != ROWED) break;
            if (c.op() == SUB && c.input(1) == at) u.sign = -u.sign;
            at = c.output();
        }
        return at;
    }

    private boolean isOutput(Tensor t) {
        for (Tensor o : outputs) if (o == t) return true;
        return false;
    }

    private Node consumer(Tensor t) {
        return lastConsumer.get(t);
    }

    /** Whether a seed sits on this value. */
    Seed seedAt(Tensor t) {
        return seedAt.get(t);
    }

    /**
     * A forward-mode sweep over the recorded ops with k directions: tangents start at the parameters and
     * state parts given (shape {@code [k, shape...]}, or null for zero) and, when {@code seeded}, at every
     * {@link Seed} (one-hot, added to what flows in). Returns the new state's tangents, {@code [k, B, size]}
     * per part (null for zero). Each op's own JVP rule is used, except that a product {@code v op(C)} of a
     * tangent batch with a matrix is one matrix product over all directions at once.
     */
    Tensor[] replay(int k, Tensor[] paramTangents, Tensor[] stateTangents, boolean seeded) {
        Map<Tensor, Tensor> tan = new IdentityHashMap<>();
        for (int i = 0; i < paramLeaves.length; i++) if (paramTangents[i] != null) tan.put(paramLeaves[i], paramTangents[i]);
        for (int i = 0; i < stateLeaves.length; i++) if (stateTangents[i] != null) tan.put(stateLeaves[i], stateTangents[i]);
        try (Tape.Scope paused = Tape.pause()) {
            for (Node node : order) {
                Tensor[] in = node.inputs();
                Tensor[] t = null;
                for (int i = 0; i < in.length; i++) {
                    Tensor ti = tan.get(in[i]);
                    if (ti == null) continue;
                    if (t == null) t = new Tensor[in.length];
                    t[i] = ti;
                }
                Tensor ty = t == null ? null : jvp(node, t, k);
                Seed s = seeded ? seedAt.get(node.output()) : null;
                if (s != null) ty = plusSeed(ty, s, k);
                if (ty != null) tan.put(node.output(), ty);
            }
        }
        Tensor[] out = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor o = outputs[i];
            Tensor t = tan.get(o);
            if (t == null && seeded && seedAt.containsKey(o)) t = plusSeed(null, seedAt.get(o), k);
            out[i] = t;
        }
        return out;
    }

    private Tensor jvp(Node node, Tensor[] t, int k) {
        Primitive op = node.op();
        Tensor[] x = node.inputs();
        if ((op == MATMUL_NT_OP || op == MATMUL_NN_OP) && t[0] != null && x[0].rank() == 2 && x[1].rank() == 2) {
            // t_y = t_v op(C) + v op(t_C): the first term for all k directions in one product.
            boolean transB = op == MATMUL_NT_OP;
            Tensor c = x[1];
            int rows = k * x[0].dim(0);
            int depth = x[0].dim(1);
            int w = node.output().dim(1);
            double[] out = new double[rows * w];
            Gemm.gemm(false, transB, rows, w, depth, 1.0, t[0].data(), 0, depth, c.data(), 0, c.dim(1), 0.0, out, 0, w);
            Tensor ty = Tensor.wrap(out, k, x[0].dim(0), w);
            if (t[1] == null) return ty;
            Tensor rest = op.jvp(new Tensor[] {null, t[1]}, x, node.output(), node);
            return rest == null ? ty : Ops.add(ty, rest);
        }
        return op.jvp(t, x, node.output(), node);
    }

    /** {@code ty} (null: zero) plus the seed's one-hot directions, in a new array. */
    private Tensor plusSeed(Tensor ty, Seed s, int k) {
        int rows = batch;
        int w = s.width;
        double[] d = ty == null ? new double[k * rows * w] : ty.data().clone();
        for (int i = 0; i < w; i++) {
            int base = (s.direction + i) * rows * w + i;
            for (int b = 0; b < rows; b++) d[base + b * w] += 1.0;
        }
        return Tensor.wrap(d, k, rows, w);
    }
}
