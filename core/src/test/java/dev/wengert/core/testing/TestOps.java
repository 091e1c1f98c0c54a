package dev.wengert.core.testing;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;

/**
 * A handful of elementwise primitives for testing the engine on its own (core knows no op; the real
 * ones live in the ops module). Same-shape inputs only.
 */
public final class TestOps {
    private TestOps() {}

    public static Tensor add(Tensor a, Tensor b) {
        return ADD.apply(a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return MUL.apply(a, b);
    }

    public static Tensor sin(Tensor x) {
        return SIN.apply(x);
    }

    public static Tensor cos(Tensor x) {
        return COS.apply(x);
    }

    public static Tensor neg(Tensor x) {
        return NEG.apply(x);
    }

    public static Tensor relu(Tensor x) {
        return RELU.apply(x);
    }

    public static Tensor log(Tensor x) {
        return LOG.apply(x);
    }

    /** x's elements in another shape of the same size, over the same storage (a view op). */
    public static Tensor view(Tensor x, int... shape) {
        return new View(shape).apply(x);
    }

    /** The view op: forward returns {@link Tensor#viewOf} its input; VJP: g viewed in the input's shape. */
    public static final class View extends Primitive {
        private final int[] shape;

        public View(int[] shape) {
            this.shape = shape.clone();
        }

        public String name() {
            return "view";
        }

        public int arity() {
            return 1;
        }

        public int[] shape(Tensor... x) {
            if (Shapes.size(shape) != x[0].size()) {
                throw new ShapeException("view: " + Shapes.str(x[0].shape()) + " to " + Shapes.str(shape));
            }
            return shape.clone();
        }

        public Tensor forward(Tensor[] x, int[] s, Saved saved) {
            return Tensor.viewOf(x[0], s);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {view(g, n.input(0).shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return view(t[0], Shapes.prepend(t[0].dim(0), y.shape()));
        }
    }

    public abstract static class Binary extends Primitive {
        @Override
        public int arity() {
            return 2;
        }

        @Override
        public int[] shape(Tensor... x) {
            if (!x[0].sameShape(x[1])) {
                throw new ShapeException(name() + ": shapes differ: " + Shapes.str(x[0].shape()) + " and "
                        + Shapes.str(x[1].shape()));
            }
            return x[0].shape();
        }

        protected abstract double f(double a, double b);

        @Override
        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            double[] a = x[0].data();
            double[] b = x[1].data();
            double[] y = new double[a.length];
            for (int i = 0; i < y.length; i++) y[i] = f(a[i], b[i]);
            return Tensor.wrap(y, shape);
        }
    }

    public abstract static class Unary extends Primitive {
        @Override
        public int arity() {
            return 1;
        }

        @Override
        public int[] shape(Tensor... x) {
            return x[0].shape();
        }

        protected abstract double f(double a);

        @Override
        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            double[] a = x[0].data();
            double[] y = new double[a.length];
            for (int i = 0; i < y.length; i++) y[i] = f(a[i]);
            return Tensor.wrap(y, shape);
        }
    }

    /** Tangent batches [k, s] times a [s] factor. */
    public static Tensor scaleBatch(Tensor t, Tensor factor) {
        double[] td = t.data();
        double[] fd = factor.data();
        double[] out = new double[td.length];
        for (int i = 0; i < out.length; i++) out[i] = td[i] * fd[i % fd.length];
        return Tensor.wrap(out, t.shape());
    }

    public static final Primitive ADD = new Binary() {
        public String name() {
            return "add";
        }

        protected double f(double a, double b) {
            return a + b;
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {g, g};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            if (t[0] == null) return t[1];
            if (t[1] == null) return t[0];
            return add(t[0], t[1]);
        }
    };

    public static final Primitive MUL = new Binary() {
        public String name() {
            return "mul";
        }

        protected double f(double a, double b) {
            return a * b;
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, n.input(1)), mul(g, n.input(0))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            Tensor a = t[0] == null ? null : scaleBatch(t[0], x[1]);
            Tensor b = t[1] == null ? null : scaleBatch(t[1], x[0]);
            if (a == null) return b;
            if (b == null) return a;
            return add(a, b);
        }
    };

    public static final Primitive SIN = new Unary() {
        public String name() {
            return "sin";
        }

        protected double f(double a) {
            return Math.sin(a);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, cos(n.input(0)))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return scaleBatch(t[0], cos(x[0]));
        }
    };

    public static final Primitive COS = new Unary() {
        public String name() {
            return "cos";
        }

        protected double f(double a) {
            return Math.cos(a);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, neg(sin(n.input(0))))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return scaleBatch(t[0], neg(sin(x[0])));
        }
    };

    public static final Primitive NEG = new Unary() {
        public String name() {
            return "neg";
        }

        protected double f(double a) {
            return -a;
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {neg(g)};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return neg(t[0]);
        }
    };

    public static final Primitive LOG = new Unary() {
        public String name() {
            return "log";
        }

        protected double f(double a) {
            return Math.log(a);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            double[] x = n.input(0).data();
            double[] inv = new double[x.length];
            for (int i = 0; i < x.length; i++) inv[i] = 1 / x[i];
            return new Tensor[] {mul(g, Tensor.wrap(inv, n.input(0).shape()))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            double[] xd = x[0].data();
            double[] inv = new double[xd.length];
            for (int i = 0; i < xd.length; i++) inv[i] = 1 / xd[i];
            return scaleBatch(t[0], Tensor.wrap(inv, x[0].shape()));
        }
    };

    public static final Primitive RELU = new Unary() {
        public String name() {
            return "relu";
        }

        protected double f(double a) {
            return Math.max(a, 0);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            double[] x = n.input(0).data();
            double[] m = new double[x.length];
            for (int i = 0; i < x.length; i++) m[i] = x[i] > 0 ? 1 : 0;
            return new Tensor[] {mul(g, Tensor.wrap(m, n.input(0).shape()))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            double[] xd = x[0].data();
            double[] m = new double[xd.length];
            for (int i = 0; i < xd.length; i++) m[i] = xd[i] > 0 ? 1 : 0;
            return scaleBatch(t[0], Tensor.wrap(m, x[0].shape()));
        }

        public boolean hasKinks() {
            return true;
        }

        public long branch(Tensor[] x, Tensor y, Saved s) {
            long h = 7;
            for (double v : x[0].data()) h = 31 * h + (v > 0 ? 1 : v < 0 ? -1 : 0);
            return h;
        }
    };

    /** sqrt(|x|), whose derivative is infinite at 0: for anomaly mode. First order only. */
    public static final Primitive ROOT = new Unary() {
        public String name() {
            return "root";
        }

        protected double f(double a) {
            return Math.sqrt(Math.abs(a));
        }

        public Tensor[] vjp(Tensor g, Node n) {
            double[] x = n.input(0).data();
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) d[i] = 0.5 / Math.sqrt(Math.abs(x[i])) * g.data()[i];
            return new Tensor[] {Tensor.wrap(d, n.input(0).shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            throw new UnsupportedOperationException("root: first order only");
        }
    };
}
