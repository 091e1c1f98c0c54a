package dev.wengert.core;

/**
 * Anomaly mode: while on (per thread), every op's output, every VJP's cotangent and every tangent is
 * checked, and the first NaN or infinity throws an {@link AnomalyException} naming the op, the
 * element, and the line of user code that created the op. Slower; meant for hunting a NaN.
 *
 * <pre>{@code
 * try (var a = Anomaly.enable()) { ... }
 * }</pre>
 */
public final class Anomaly {
    private Anomaly() {}

    /**
     * Turns anomaly mode on for this thread until the returned scope is closed.
     *
     * @return the scope; closing it restores the setting this thread had before, so scopes nest
     */
    public static Scope enable() {
        State s = State.get();
        boolean before = s.anomaly;
        s.anomaly = true;
        return new Scope(s, before);
    }

    /** {@return whether anomaly mode is on for this thread} */
    public static boolean isEnabled() {
        return State.get().anomaly;
    }

    /** Restores the previous anomaly setting when closed. */
    public static final class Scope implements AutoCloseable {
        private final State state;
        private final boolean before;

        private Scope(State state, boolean before) {
            this.state = state;
            this.before = before;
        }

        @Override
        public void close() {
            state.anomaly = before;
        }
    }

    static void checkForward(Primitive p, Tensor[] x, Tensor y, Node node) {
        int bad = firstNonFinite(y.data());
        if (bad < 0) return;
        StringBuilder msg = new StringBuilder();
        msg.append("anomaly: op '").append(p.name()).append("' produced ").append(y.data()[bad])
                .append(" at index ").append(index(y, bad)).append(" of its output (shape ")
                .append(Shapes.str(y.shapeRef())).append(")");
        for (int i = 0; i < x.length; i++) {
            int xb = firstNonFinite(x[i].data());
            if (xb >= 0) {
                msg.append("; input ").append(i).append(" already held ").append(x[i].data()[xb]).append(" at index ")
                        .append(index(x[i], xb));
                break;
            }
        }
        StackTraceElement site = node != null && node.site != null ? node.site : userSite(p);
        if (site != null) msg.append("; created at ").append(site);
        throw new AnomalyException(msg.toString());
    }

    static void checkBackward(Node node, int input, Tensor c) {
        int bad = firstNonFinite(c.data());
        if (bad < 0) return;
        throw new AnomalyException("anomaly: the VJP of op '" + node.op().name() + "' produced " + c.data()[bad]
                + " at index " + index(c, bad) + " of the cotangent of input " + input + " (shape "
                + Shapes.str(c.shapeRef()) + ")" + inputsAt(node.inputs(), c.shapeRef(), bad)
                + (node.site != null ? "; the op was created at " + node.site : ""));
    }

    static void checkTangent(Primitive p, Tensor[] x, Tensor y, Tensor t) {
        int bad = firstNonFinite(t.data());
        if (bad < 0) return;
        int m = y.size();
        int at = bad % m; // t is [k, shape(y)...] and non-empty here, so y is too
        StackTraceElement site = userSite(p);
        throw new AnomalyException("anomaly: the JVP of op '" + p.name() + "' produced " + t.data()[bad]
                + " at index " + index(t, bad) + " of the output tangent (shape " + Shapes.str(t.shapeRef()) + "): direction "
                + bad / m + ", output element " + index(y, at) + inputsAt(x, y.shapeRef(), at)
                + (site != null ? "; created at " + site : ""));
    }

    /**
     * Runs p's JVP with the anomaly checks of the ops inside it off: they are p's own arithmetic (sqrt's
     * JVP divides by 2√x), so a non-finite value is reported once, by {@link #checkTangent}, naming p and
     * its inputs rather than an op its rule is built from.
     */
    static Tensor jvp(State s, Primitive p, Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        boolean on = s.anomaly;
        s.anomaly = false;
        try {
            return p.jvp(t, x, y, saved);
        } finally {
            s.anomaly = on;
        }
    }

    /** Runs p's VJP with the checks of its inner ops off, as {@link #jvp}; {@link #checkBackward} names p. */
    static Tensor[] vjp(State s, Primitive p, Tensor g, Node node) {
        boolean on = s.anomaly;
        s.anomaly = false;
        try {
            return p.vjp(g, node);
        } finally {
            s.anomaly = on;
        }
    }

    /**
     * {@code ", where input 0 is 0.0, input 1 is 0.5"}: the inputs at position {@code flat} of {@code shape},
     * for those that broadcast to it (the others have no single element there).
     */
    private static String inputsAt(Tensor[] x, int[] shape, int flat) {
        StringBuilder sb = new StringBuilder();
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1, f = flat; i >= 0; i--) {
            idx[i] = f % shape[i];
            f /= shape[i];
        }
        for (int i = 0; i < x.length; i++) {
            int[] s = x[i].shapeRef();
            if (!Shapes.broadcastsTo(s, shape)) continue;
            int off = 0;
            for (int d = 0; d < s.length; d++) off = off * s[d] + (s[d] == 1 ? 0 : idx[d + shape.length - s.length]);
            sb.append(sb.length() == 0 ? ", where input " : ", input ").append(i).append(" is ").append(x[i].data()[off]);
        }
        return sb.toString();
    }

    private static int firstNonFinite(double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) return i;
        }
        return -1;
    }

    private static String index(Tensor t, int flat) {
        return t.rank() == 0 ? "[]" : java.util.Arrays.toString(t.unflatIndex(flat)).replace(" ", "");
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * Where user code applied {@code op}: the first stack frame that is neither the engine's nor the
     * op library's. Library frames are the engine's and those of classes in the op's package loaded from
     * the same place (jar or classes folder) as the op, such as a facade; so a test or user class is
     * reported even when it shares the package name.
     */
    static StackTraceElement userSite(Primitive op) {
        Class<?> opClass = op.getClass();
        Object opLocation = location(opClass);
        String opPackage = opClass.getPackageName();
        Object engine = location(Anomaly.class);
        return WALKER.walk(frames -> frames.filter(f -> {
            Class<?> c = f.getDeclaringClass();
            Object where = location(c);
            if (where.equals(engine) && c.getPackageName().equals("dev.wengert.core")) return false;
            return !(where.equals(opLocation) && c.getPackageName().equals(opPackage));
        }).findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    private static Object location(Class<?> c) {
        java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? c.getPackageName() : cs.getLocation().toString();
    }
}
