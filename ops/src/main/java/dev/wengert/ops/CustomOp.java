package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Objects;

/**
 * Defines a new primitive from functions, with its own derivative rules: the same {@link Primitive}
 * interface the built-in ops implement, so reverse mode, forward mode, gradients of gradients and
 * gradient checking all work with it.
 *
 * <pre>{@code
 * // y = x³ with a hand-written derivative 3x²
 * Primitive cube = CustomOp.named("cube")
 *         .forward(x -> Tensor.wrap(map(x[0].data(), v -> v * v * v), x[0].shape()))
 *         .vjp((g, x, y) -> new Tensor[] {Ops.mul(g, Ops.mul(3.0, Ops.square(x[0])))})
 *         .jvpPerDirection((t, x, y) -> Ops.mul(t[0], Ops.mul(3.0, Ops.square(x[0]))))
 *         .build();
 * Tensor y = cube.apply(x);
 * }</pre>
 *
 * <p>Rules: the forward function computes values only (it may use raw arrays). The VJP receives the
 * cotangent g of the output and returns one cotangent per input (of that input's shape, or null for
 * none); write it with {@link Ops} so that the backward pass can be recorded for higher-order
 * derivatives. The JVP is given either for a whole batch of tangents ({@link Builder#jvp}: tangents of
 * shape {@code [k, shape(x_i)...]}, result {@code [k, shape(y)...]}), or for one direction at a time
 * ({@link Builder#jvpPerDirection}: plain shapes; the op loops over the k directions). The output shape
 * defaults to the first input's.
 *
 * <p>Memory: the VJP's results are copied unless they share storage with g, an input or the output
 * (a rule may return a tensor it keeps, such as a cached constant, and the engine adds into gradient
 * buffers in place); the values a recorded VJP computes are not copied.
 */
public final class CustomOp {
    private CustomOp() {}

    /** The forward pass: values of the output from values of the inputs. */
    @FunctionalInterface
    public interface Forward {
        /**
         * The output value from the input values.
         *
         * @param x the inputs; read them, never modify them
         * @return a new tensor of the shape the shape rule gives
         */
        Tensor apply(Tensor[] x);
    }

    /** The shape rule: the output shape from the inputs, or a {@link ShapeException}. */
    @FunctionalInterface
    public interface ShapeRule {
        /**
         * The output shape from the inputs.
         *
         * @param x the inputs, their count already checked
         * @return the output's shape
         */
        int[] apply(Tensor[] x);
    }

    /** The VJP: cotangents of the inputs from the cotangent g of the output y. */
    @FunctionalInterface
    public interface Vjp {
        /**
         * One cotangent per input (or null) from the output cotangent {@code g}.
         *
         * @param g the output's cotangent, of y's shape
         * @param x the inputs
         * @param y the output
         * @return one cotangent per input, of its shape, or null for an input that gets none
         */
        Tensor[] apply(Tensor g, Tensor[] x, Tensor y);
    }

    /** The JVP: the output tangent from input tangents t (null for zero). */
    @FunctionalInterface
    public interface Jvp {
        /**
         * The output tangent from the input tangents {@code t}.
         *
         * @param t the input tangents, one per input, null for zero: {@code [k, shape(x_i)...]} for {@link
         *     Builder#jvp}, {@code shape(x_i)} for {@link Builder#jvpPerDirection}
         * @param x the inputs
         * @param y the output
         * @return the output tangent ({@code [k, shape(y)...]}, or {@code shape(y)} per direction)
         */
        Tensor apply(Tensor[] t, Tensor[] x, Tensor y);
    }

    /**
     * Starts the definition of an op named {@code name} (the name errors print).
     *
     * @param name the op's name, not null
     * @return a builder with arity 1 and the first input's shape as the shape rule
     */
    public static Builder named(String name) {
        return new Builder(Objects.requireNonNull(name, "name"));
    }

    /** Collects the rules of a custom op. */
    public static final class Builder {
        private final String name;
        private int arity = 1;
        private ShapeRule shape;
        private Forward forward;
        private Vjp vjp;
        private Jvp jvp;
        private boolean perDirection;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The number of inputs (default 1; -1 for any).
         *
         * @param arity the number of inputs, or -1 for any number
         * @return this builder
         */
        public Builder arity(int arity) {
            this.arity = arity;
            return this;
        }

        /**
         * The shape rule (default: the first input's shape).
         *
         * @param rule the shape rule; it should throw a {@link ShapeException} naming the op for bad shapes
         * @return this builder
         */
        public Builder shape(ShapeRule rule) {
            this.shape = rule;
            return this;
        }

        /**
         * The forward pass (required).
         *
         * @param f the forward function
         * @return this builder
         */
        public Builder forward(Forward f) {
            this.forward = f;
            return this;
        }

        /**
         * The vector-Jacobian product, written with {@link Ops} so it can be recorded.
         *
         * @param rule the VJP
         * @return this builder
         */
        public Builder vjp(Vjp rule) {
            this.vjp = rule;
            return this;
        }

        /**
         * A JVP over a batch of tangents (leading axis k).
         *
         * @param rule the JVP, taking and giving tangent batches {@code [k, ...]}
         * @return this builder
         */
        public Builder jvp(Jvp rule) {
            this.jvp = rule;
            this.perDirection = false;
            return this;
        }

        /**
         * A JVP for one tangent direction; the op applies it to each of the k directions.
         *
         * @param rule the JVP, taking and giving tangents of the plain shapes
         * @return this builder
         */
        public Builder jvpPerDirection(Jvp rule) {
            this.jvp = rule;
            this.perDirection = true;
            return this;
        }

        /**
         * The primitive. A missing forward is an error now; a missing VJP or JVP when first needed.
         *
         * @return a new primitive; apply it with {@link Primitive#apply} or {@link Ops#apply}
         * @throws IllegalStateException when no forward function was given
         */
        public Primitive build() {
            if (forward == null) throw new IllegalStateException("custom op '" + name + "': no forward function");
            return new Built(this);
        }
    }

    static final class Built extends Primitive {
        private final String name;
        private final int arity;
        private final ShapeRule shape;
        private final Forward forward;
        private final Vjp vjp;
        private final Jvp jvp;
        private final boolean perDirection;

        Built(Builder b) {
            this.name = b.name;
            this.arity = b.arity;
            this.shape = b.shape;
            this.forward = b.forward;
            this.vjp = b.vjp;
            this.jvp = b.jvp;
            this.perDirection = b.perDirection;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int arity() {
            return arity;
        }

        @Override
        public int[] shape(Tensor... x) {
            if (shape != null) return shape.apply(x);
            if (x.length == 0) throw new ShapeException(name + ": no inputs and no shape rule");
            return x[0].shape();
        }

        @Override
        public Tensor forward(Tensor[] x, int[] outShape, Saved saved) {
            Tensor y = forward.apply(x);
            if (y == null || !Shapes.same(y.shape(), outShape)) {
                throw new IllegalStateException(name + ": forward returned " + (y == null ? "null"
                        : "shape " + Shapes.str(y.shape())) + " but the shape rule says " + Shapes.str(outShape));
            }
            return y;
        }

        @Override
        public Tensor[] vjp(Tensor g, Node node) {
            if (vjp == null) {
                throw new UnsupportedOperationException("custom op '" + name + "' has no VJP: give one with .vjp(...)");
            }
            Tensor[] gx = vjp.apply(g, node.inputs(), node.output());
            if (gx != null) {
                // The engine may keep a returned array as a gradient buffer and add into it later; a rule may
                // return a tensor it keeps elsewhere (a cached constant), so anything that is not plainly a
                // view of g, an input or the output (which the engine recognises), nor a value this recorded
                // VJP computed, is copied.
                boolean recorded = node.creatingGraph();
                for (int i = 0; i < gx.length; i++) {
                    Tensor c = gx[i];
                    if (c != null && !known(c, g, node) && !(recorded && c.node() != null)) gx[i] = c.copy();
                }
            }
            return gx;
        }

        private static boolean known(Tensor c, Tensor g, Node node) {
            double[] d = c.data();
            if (d == g.data() || d == node.output().data()) return true;
            for (Tensor x : node.inputs()) if (x.data() == d) return true;
            return false;
        }

        @Override
        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            if (jvp == null) {
                throw new UnsupportedOperationException("custom op '" + name + "' has no JVP: give one with .jvp(...) "
                        + "or .jvpPerDirection(...)");
            }
            if (!perDirection) return jvp.apply(t, x, y);
            int k = -1;
            for (Tensor ti : t) if (ti != null) k = ti.dim(0);
            Tensor[] rows = new Tensor[k];
            for (int d = 0; d < k; d++) {
                Tensor[] td = new Tensor[t.length];
                for (int i = 0; i < t.length; i++) {
                    if (t[i] != null) td[i] = Ops.squeeze(Ops.slice(t[i], 0, d, d + 1), 0);
                }
                Tensor r = jvp.apply(td, x, y);
                rows[d] = r == null ? Tensor.zeros(y.shape()) : r;
            }
            return Ops.stack(0, rows);
        }
    }
}
