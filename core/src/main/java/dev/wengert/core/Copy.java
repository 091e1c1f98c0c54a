package dev.wengert.core;

/**
 * A copy into new storage: the engine's way to hand out, from a recorded backward pass, a gradient that
 * must not share its array with another result or a seed, while keeping it differentiable. Internal to
 * the engine, like {@link Accumulate}.
 *
 * <p>y = x; VJP: g; JVP: t.
 */
final class Copy extends Primitive {
    static final Copy INSTANCE = new Copy();

    private Copy() {}

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        return x[0].shapeRef();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        return Tensor.wrapUnchecked(x[0].data().clone(), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        return new Tensor[] {g};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        return t[0];
    }
}
