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

    /** Turns anomaly mode on for this thread until the returned scope is closed. */
    public static Scope enable() {
        State s = State.get();
        boolean before = s.anomaly;
        s.anomaly = true;
        return new Scope(s, before);
    }

    /** Whether anomaly mode is on for this thread. */
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
                + Shapes.str(c.shapeRef()) + ")" + (node.site != null ? "; the op was created at " + node.site : ""));
    }

    static void checkTangent(Primitive p, Tensor t) {
        int bad = firstNonFinite(t.data());
        if (bad < 0) return;
        StackTraceElement site = userSite(p);
        throw new AnomalyException("anomaly: the JVP of op '" + p.name() + "' produced " + t.data()[bad]
                + " at index " + index(t, bad) + " of the output tangent (shape " + Shapes.str(t.shapeRef()) + ")"
                + (site != null ? "; created at " + site : ""));
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
