package dev.wengert.core;

/**
 * Applies primitives: the forward pass, recording on the current tape, forward-mode tangents,
 * anomaly checks and kink logging. Knows no particular op.
 */
final class Engine {
    private Engine() {}

    /*
     * Primitive.apply (a default method, small enough for the JIT to inline into the facade that calls
     * it, where the op's class is known) calls the op's arity, shape and forward itself, so those calls
     * need no interface dispatch; the engine's part comes before and after forward.
     */

    /** Checks the number of inputs and that none is null; the messages name the op. */
    static void checkInputs(Primitive p, int arity, Tensor[] x) {
        if (x == null) throw new NullPointerException(p.name() + ": the inputs array is null");
        if (arity >= 0 && x.length != arity) {
            throw new IllegalArgumentException(p.name() + ": expects " + arity + " input" + (arity == 1 ? "" : "s")
                    + ", got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) throw new NullPointerException(p.name() + ": input " + i + " is null");
        }
    }

    /**
     * Before forward: where forward saves. A new tape node when the application is recorded (a tracked
     * input, a recording tape), a scratch holder in forward mode or while kinks are logged, else the
     * discarding sink.
     */
    static Saved begin(Primitive p, Tensor[] x) {
        State s = State.get();
        Tape tape = s.recording();
        if (tape != null) {
            long mask = tape.trackedMask(x);
            if (mask != 0L) return tape.newNode(p, x, mask, s.anomaly);
        }
        return s.forwardK > 0 || s.branches != null ? Saved.fresh() : Saved.DISCARD;
    }

    /** After forward: checks the output, records it, and runs the anomaly check, forward mode and kink log. */
    static Tensor end(Primitive p, Tensor[] x, int[] shape, Saved saved, Tensor y) {
        if (y == null || !Shapes.same(y.shapeRef(), shape)) {
            throw new IllegalStateException(p.name() + ": forward returned "
                    + (y == null ? "null" : "shape " + Shapes.str(y.shapeRef())) + " but the shape rule says "
                    + Shapes.str(shape));
        }
        if (y.node != null || y.isVariable() || aliasesInput(y, x)) {
            y = y.detach(); // a fresh tensor object, so recording cannot change an existing one
        }
        Node node = saved instanceof Node ? (Node) saved : null;
        State s = State.get();
        if (node != null) {
            node.output = y;
            y.node = node;
            node.tape.add(node, s);
        }
        if (s.anomaly) Anomaly.checkForward(p, x, y, node);
        if (s.forwardK > 0) propagateTangent(s, p, x, y, saved);
        if (s.branches != null && p.hasKinks()) s.branches.add(p, p.branch(x, y, saved));
        return y;
    }

    private static boolean aliasesInput(Tensor y, Tensor[] x) {
        for (Tensor xi : x) {
            if (xi == y) return true;
        }
        return false;
    }

    private static void propagateTangent(State s, Primitive p, Tensor[] x, Tensor y, Saved saved) {
        Tensor[] t = null;
        long level = s.forwardLevel;
        for (int i = 0; i < x.length; i++) {
            if (x[i].tangent != null && x[i].tangentLevel == level) {
                if (t == null) t = new Tensor[x.length];
                t[i] = x[i].tangent;
            }
        }
        if (t == null) return;
        int k = s.forwardK;
        Tensor ty;
        // Tangent arithmetic is neither recorded nor itself given tangents.
        s.forwardK = 0;
        s.paused++;
        try {
            ty = s.anomaly ? Anomaly.jvp(s, p, t, x, y, saved) : p.jvp(t, x, y, saved);
        } finally {
            s.paused--;
            s.forwardK = k;
        }
        if (ty != null) {
            int[] expected = Shapes.prepend(k, y.shapeRef());
            if (!Shapes.same(ty.shapeRef(), expected)) {
                throw new IllegalStateException(p.name() + ": jvp returned a tangent of shape " + Shapes.str(ty.shapeRef())
                        + ", expected " + Shapes.str(expected) + " (" + k + " directions x output shape)");
            }
            if (s.anomaly) Anomaly.checkTangent(p, x, y, ty);
        }
        y.tangent = ty;
        y.tangentLevel = level;
    }
}
