package dev.wengert.core;

/**
 * The sum of two cotangents of the same shape: the one operation the chain rule itself needs, to
 * accumulate gradients over fan-out when a backward pass is recorded (JAX's {@code add_any}). It is
 * internal to the engine; user-facing addition, with broadcasting, is the {@code ops} module's.
 *
 * <p>y = a + b; VJP: (g, g); JVP: t_a + t_b.
 */
final class Accumulate extends Primitive {
    static final Accumulate INSTANCE = new Accumulate();

    private Accumulate() {}

    @Override
    public String name() {
        return "accumulate";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public int[] shape(Tensor... x) {
        if (!x[0].sameShape(x[1])) {
            throw new ShapeException("accumulate: cotangent shapes differ: " + Shapes.str(x[0].shapeRef()) + " and "
                    + Shapes.str(x[1].shapeRef()));
        }
        return x[0].shapeRef();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrapUnchecked(sum(x[0].data(), x[1].data()), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {node.needsGrad(0) ? g : null, node.needsGrad(1) ? g : null};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        if (t[0] == null) return t[1];
        if (t[1] == null) return t[0];
        return Tensor.wrapUnchecked(sum(t[0].data(), t[1].data()), t[0].shapeRef());
    }

    static double[] sum(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < c.length; i++) c[i] = a[i] + b[i];
        return c;
    }
}
