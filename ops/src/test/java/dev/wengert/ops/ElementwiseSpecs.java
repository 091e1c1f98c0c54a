package dev.wengert.ops;

import static dev.wengert.ops.Gen.Domain.NONZERO;
import static dev.wengert.ops.Gen.Domain.POSITIVE;
import static dev.wengert.ops.Gen.Domain.REAL;
import static dev.wengert.ops.Gen.Domain.SMALL;

import dev.wengert.core.Primitive;
import dev.wengert.core.Tensor;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/** Spec rows of the elementwise ops. */
final class ElementwiseSpecs {
    private ElementwiseSpecs() {}

    static OpSpec unary(String name, Class<? extends Primitive> p, Gen.Domain d, UnaryOperator<Tensor> op,
            DoubleUnaryOperator ref) {
        return new OpSpec(name, p, (spec, rng) -> {
            Tensor x = Gen.tensor(rng, d, Gen.shape(rng));
            return new OpCase(spec, "", new Tensor[] {x}, in -> op.apply(in[0]), in -> Ref.map(in[0], ref));
        });
    }

    static OpSpec binary(String name, Class<? extends Primitive> p, Gen.Domain da, Gen.Domain db,
            java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
        return new OpSpec(name, p, (spec, rng) -> {
            int[][] s = Gen.broadcastPair(rng);
            Tensor a = Gen.tensor(rng, da, s[0]);
            Tensor b = Gen.tensor(rng, db, s[1]);
            return new OpCase(spec, "", new Tensor[] {a, b}, in -> op.apply(in[0], in[1]),
                    in -> Ref.map2(in[0], in[1], ref));
        });
    }

    private static Tensor s(double v) {
        return Tensor.scalar(v);
    }

    private static Tensor[] in(double... v) {
        Tensor[] t = new Tensor[v.length];
        for (int i = 0; i < v.length; i++) t[i] = Tensor.scalar(v[i]);
        return t;
    }

    static List<OpSpec> all() {
        return List.of(
                binary("add", Add.class, REAL, REAL, Ops::add, Double::sum),
                binary("sub", Sub.class, REAL, REAL, Ops::sub, (a, b) -> a - b),
                binary("mul", Mul.class, REAL, REAL, Ops::mul, (a, b) -> a * b),
                binary("div", Div.class, REAL, NONZERO, Ops::div, (a, b) -> a / b),
                binary("pow", Pow.class, POSITIVE, SMALL, Ops::pow, Math::pow)
                        .special("pow(0, 2): zero base", in(0, 2), x -> Ops.pow(x[0], x[1]), new double[] {0},
                                new double[] {0}, new double[] {0})
                        .special("pow(2, 3)", in(2, 3), x -> Ops.pow(x[0], x[1]), new double[] {8},
                                new double[] {12}, new double[] {8 * Math.log(2)}),
                binary("maximum", Maximum.class, REAL, REAL, Ops::maximum, Math::max)
                        .special("maximum tie splits the gradient", in(1.5, 1.5), x -> Ops.maximum(x[0], x[1]),
                                new double[] {1.5}, new double[] {0.5}, new double[] {0.5}),
                binary("minimum", Minimum.class, REAL, REAL, Ops::minimum, Math::min)
                        .special("minimum tie splits the gradient", in(-2, -2), x -> Ops.minimum(x[0], x[1]),
                                new double[] {-2}, new double[] {0.5}, new double[] {0.5}),
                where(),
                unary("neg", Neg.class, REAL, Ops::neg, v -> -v),
                unary("exp", Exp.class, SMALL, Ops::exp, Math::exp)
                        .special("exp(0)", in(0), x -> Ops.exp(x[0]), new double[] {1}, new double[] {1})
                        .special("exp(-1000) underflows to 0", in(-1000), x -> Ops.exp(x[0]), new double[] {0},
                                new double[] {0}),
                unary("log", Log.class, POSITIVE, Ops::log, Math::log)
                        .special("log(1)", in(1), x -> Ops.log(x[0]), new double[] {0}, new double[] {1}),
                unary("sqrt", Sqrt.class, POSITIVE, Ops::sqrt, Math::sqrt)
                        .special("sqrt(4)", in(4), x -> Ops.sqrt(x[0]), new double[] {2}, new double[] {0.25}),
                unary("abs", Abs.class, REAL, Ops::abs, Math::abs)
                        .special("abs at the kink 0: subgradient 0", in(0), x -> Ops.abs(x[0]), new double[] {0},
                                new double[] {0})
                        .special("abs(-3)", in(-3), x -> Ops.abs(x[0]), new double[] {3}, new double[] {-1}),
                unary("tanh", Tanh.class, REAL, Ops::tanh, Math::tanh)
                        .special("tanh(1000)", in(1000), x -> Ops.tanh(x[0]), new double[] {1}, new double[] {0})
                        .special("tanh(-1000)", in(-1000), x -> Ops.tanh(x[0]), new double[] {-1}, new double[] {0}),
                unary("sigmoid", Sigmoid.class, REAL, Ops::sigmoid, v -> 1 / (1 + Math.exp(-v)))
                        .special("sigmoid(1000)", in(1000), x -> Ops.sigmoid(x[0]), new double[] {1}, new double[] {0})
                        .special("sigmoid(-1000) without overflow", in(-1000), x -> Ops.sigmoid(x[0]),
                                new double[] {0}, new double[] {0})
                        .special("sigmoid(0)", in(0), x -> Ops.sigmoid(x[0]), new double[] {0.5}, new double[] {0.25}),
                unary("relu", Relu.class, REAL, Ops::relu, v -> Math.max(v, 0))
                        .special("relu at the kink 0: subgradient 0", in(0), x -> Ops.relu(x[0]), new double[] {0},
                                new double[] {0})
                        .special("relu(2)", in(2), x -> Ops.relu(x[0]), new double[] {2}, new double[] {1}),
                clamp());
    }

    private static OpSpec where() {
        return new OpSpec("where", Where.class, (spec, rng) -> {
            int[][] s = Gen.broadcastPair(rng);
            int[] out = Ref.broadcastShape(s[0], s[1]);
            Tensor cond = Ops.mask(Gen.tensor(rng, Gen.broadcastable(rng, out)), v -> v > 0);
            Tensor a = Gen.tensor(rng, s[0]);
            Tensor b = Gen.tensor(rng, s[1]);
            return new OpCase(spec, "cond " + java.util.Arrays.toString(cond.data()), new Tensor[] {a, b},
                    in -> Ops.where(cond, in[0], in[1]),
                    in -> Ref.where(cond, in[0], in[1]));
        }).special("where picks and routes gradients", new Tensor[] {Tensor.vector(1, 2), Tensor.vector(3, 4)},
                x -> Ops.where(Tensor.vector(1, 0), x[0], x[1]), new double[] {1, 4}, new double[] {1, 0},
                new double[] {0, 1});
    }

    private static OpSpec clamp() {
        return new OpSpec("clamp", Clamp.class, (spec, rng) -> {
            double a = -0.5 - rng.nextDouble();
            double b = 0.5 + rng.nextDouble();
            // One case in six with the bounds the wrong way round: the formula gives hi everywhere.
            boolean swapped = rng.nextInt(6) == 0;
            double lo = swapped ? b : a;
            double hi = swapped ? a : b;
            Tensor x = Gen.tensor(rng, Gen.shape(rng));
            return new OpCase(spec, "lo " + lo + ", hi " + hi, new Tensor[] {x}, in -> Ops.clamp(in[0], lo, hi),
                    in -> Ref.map(in[0], v -> Math.min(Math.max(v, lo), hi)));
        }).special("clamp at a bound passes the gradient", in(1), x -> Ops.clamp(x[0], -1, 1),
                new double[] {1}, new double[] {1})
                .special("clamp outside", in(5), x -> Ops.clamp(x[0], -1, 1), new double[] {1}, new double[] {0})
                .special("clamp with lo > hi is hi, gradient 0", in(-3), x -> Ops.clamp(x[0], 2, 1), new double[] {1},
                        new double[] {0});
    }
}
