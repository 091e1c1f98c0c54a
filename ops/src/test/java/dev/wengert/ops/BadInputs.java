package dev.wengert.ops;

import static dev.wengert.ops.Fuzzed.bad;
import static dev.wengert.ops.Fuzzed.nullArgument;
import static dev.wengert.ops.Fuzzed.valid;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Bad and extreme parameters per op of the spec table, keyed by the row's name: axes, indices, steps,
 * permutations and target shapes out of range or at the int limits, null parameters, outputs past
 * 2^31 − 1 elements or past the heap, and valid extremes (huge steps, empty selections) with their
 * reference results. {@link BadInputProperties} draws from these and checks that every row has some.
 */
final class BadInputs {
    private BadInputs() {}

    /** Makes a bad call from a random instance of the op (from {@code spec.make(rng)}) or from scratch. */
    interface Maker extends BiFunction<OpSpec, Random, Fuzzed> {}

    /** N² > 2^31 − 1: an outer product of two N-vectors has no array. */
    static final int PAST_INT = 65536;
    /** N² = 2,147,395,600 elements fit an int; their 16 GiB fit no test heap. */
    static final int PAST_HEAP = 46340;

    private static final int[] INT_EXTREMES = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1,
        Integer.MAX_VALUE};
    /** Finite values at the edges: overflow and underflow of exp, subnormals, signed zero. */
    private static final double[] EXTREME_VALUES = {1e308, -1e308, Double.MIN_VALUE, -Double.MIN_VALUE, -0.0, 709.8,
        -745.2, 1e-308, Double.MAX_VALUE, -Double.MAX_VALUE};

    static final Map<String, List<Maker>> BY_SPEC = new HashMap<>();

    static List<Maker> of(OpSpec spec) {
        return BY_SPEC.getOrDefault(spec.name, List.of());
    }

    private static void put(String name, Maker... makers) {
        BY_SPEC.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(makers));
    }

    /** Whether the heap is below the 16 GiB that {@link #PAST_HEAP} needs to be refused. */
    static boolean heapBelow16GiB() {
        return Runtime.getRuntime().maxMemory() < 16L << 30;
    }

    private static int pick(Random rng, int[] values) {
        return values[rng.nextInt(values.length)];
    }

    /** An axis out of range for rank r: r, −r−1 or an int extreme. */
    private static int badAxis(Random rng, int r) {
        switch (rng.nextInt(3)) {
            case 0:
                return r;
            case 1:
                return -r - 1;
            default:
                return pick(rng, INT_EXTREMES);
        }
    }

    /** Zero inputs of lstmSequence for hidden size n, input size m, batch B and T steps. */
    private static Tensor[] lstmIn(int n, int m, int batch, int steps) {
        Tensor[] in = new Tensor[15];
        for (int g = 0; g < 4; g++) {
            in[g] = zeros(n, n);
            in[4 + g] = zeros(n, m);
            in[8 + g] = zeros(n);
        }
        in[12] = zeros(batch, n);
        in[13] = zeros(batch, n);
        in[14] = zeros(steps, batch, m);
        return in;
    }

    /** Zero inputs of gruSequence for hidden size n, input size m, batch B and T steps. */
    private static Tensor[] gruIn(int n, int m, int batch, int steps) {
        Tensor[] in = new Tensor[11];
        for (int g = 0; g < 3; g++) {
            in[g] = zeros(n, n);
            in[3 + g] = zeros(n, m);
            in[6 + g] = zeros(n);
        }
        in[9] = zeros(batch, n);
        in[10] = zeros(steps, batch, m);
        return in;
    }

    private static Tensor[] withInput(Tensor[] in, int i, Tensor t) {
        in[i] = t;
        return in;
    }

    private static Tensor[] in(Tensor... t) {
        return t;
    }

    private static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /**
     * The valid instance with some values replaced by finite extremes, against the row's own reference: for
     * the elementwise ops, whose references are the same scalar functions (reductions and products sum in
     * another order, which decides whether 1e308 + 1e308 − 1e308 overflows).
     */
    private static Fuzzed extremeValues(OpSpec spec, Random rng) {
        OpCase c = spec.make(rng);
        Tensor[] x = new Tensor[c.inputs.length];
        for (int i = 0; i < x.length; i++) {
            double[] d = c.inputs[i].toArray();
            for (int j = 0; j < d.length; j++) if (rng.nextInt(3) == 0) d[j] = EXTREME_VALUES[rng.nextInt(EXTREME_VALUES.length)];
            x[i] = Tensor.wrap(d, c.inputs[i].shape());
        }
        return valid("extreme finite values", x, c.f, c.reference);
    }

    // ---------------------------------------------------------------- elementwise

    private static void binary(String name, BinaryOperator<Tensor> op) {
        put(name,
                (s, rng) -> bad("an outer product past 2^31 elements", in(zeros(PAST_INT, 1), zeros(1, PAST_INT)),
                        x -> op.apply(x[0], x[1]), "[65536,65536]"),
                (s, rng) -> heapBelow16GiB() ? bad("an outer product past the heap", in(zeros(PAST_HEAP, 1),
                        zeros(1, PAST_HEAP)), x -> op.apply(x[0], x[1]), "[46340,46340]") : null,
                (s, rng) -> bad("shapes that do not broadcast", in(zeros(2, 3), zeros(4)), x -> op.apply(x[0], x[1]),
                        "[2,3]", "[4]"),
                BadInputs::extremeValues);
    }

    private static void unary(String name) {
        put(name, BadInputs::extremeValues);
    }

    static {
        binary("add", Ops::add);
        binary("sub", Ops::sub);
        binary("mul", Ops::mul);
        binary("div", Ops::div);
        binary("pow", Ops::pow);
        binary("maximum", Ops::maximum);
        binary("minimum", Ops::minimum);
        for (String u : new String[] {"neg", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"}) unary(u);

        put("where",
                (s, rng) -> nullArgument("a null condition", in(zeros(2), zeros(2)), x -> Ops.where(null, x[0], x[1]),
                        "condition"),
                (s, rng) -> bad("a condition that does not broadcast", in(zeros(2), zeros(2)),
                        x -> Ops.where(zeros(3), x[0], x[1]), "[3]"),
                (s, rng) -> bad("values broadcast past 2^31 elements", in(zeros(PAST_INT, 1), zeros(1, PAST_INT)),
                        x -> Ops.where(Tensor.scalar(1), x[0], x[1]), "[65536,65536]"),
                (s, rng) -> heapBelow16GiB() ? bad("a condition broadcast past the heap", in(zeros(1, PAST_HEAP),
                        zeros(1, PAST_HEAP)), x -> Ops.where(zeros(PAST_HEAP, 1), x[0], x[1]), "[46340,46340]") : null,
                (s, rng) -> {
                    Tensor cond = Tensor.vector(Double.NaN, Double.POSITIVE_INFINITY, 0.0, -0.0);
                    return valid("a condition of NaN, ∞ and ±0", in(Tensor.vector(1, 2, 3, 4), Tensor.vector(5, 6, 7, 8)),
                            x -> Ops.where(cond, x[0], x[1]), x -> Ref.where(cond, x[0], x[1]));
                },
                BadInputs::extremeValues);

        put("clamp",
                // lo > hi is valid: min(max(x, lo), hi) is hi everywhere (torch.clamp agrees)
                (s, rng) -> valid("a lower bound above the upper", in(Tensor.vector(-3, 1.5, 9)),
                        x -> Ops.clamp(x[0], 2, 1), x -> Tensor.full(1.0, 3)),
                (s, rng) -> bad("a NaN bound", in(zeros(2)), x -> Ops.clamp(x[0], Double.NaN, 1), "NaN"),
                (s, rng) -> valid("infinite bounds", in(Tensor.vector(-1e308, 0, Double.POSITIVE_INFINITY)),
                        x -> Ops.clamp(x[0], Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), x -> x[0]),
                BadInputs::extremeValues);
    }

    // ---------------------------------------------------------------- shapes, reductions, matmul

    private static Maker reshapeTo(String label, Tensor x, int... target) {
        return (s, rng) -> bad(label, in(x), t -> Ops.reshape(t[0], target), Shapes.str(target));
    }

    static {
        put("reshape",
                reshapeTo("two inferred sizes", zeros(2, 3), -1, -1),
                reshapeTo("a negative size", zeros(2, 3), -2, -3),
                reshapeTo("the wrong number of elements", zeros(2, 3), 4, 2),
                reshapeTo("sizes multiplying to 2^64 for an empty input", zeros(0), PAST_INT, PAST_INT, PAST_INT, PAST_INT),
                reshapeTo("an empty shape whose strides overflow", zeros(0), 0, PAST_INT, PAST_INT),
                reshapeTo("an inferred empty shape whose strides overflow", zeros(0), PAST_INT, PAST_INT, -1),
                reshapeTo("an ambiguous inferred size", zeros(0, 3), 0, -1),
                reshapeTo("int extremes", zeros(2, 3), Integer.MAX_VALUE, Integer.MIN_VALUE),
                (s, rng) -> nullArgument("a null shape", in(zeros(2)), t -> Ops.reshape(t[0], (int[]) null), "shape"),
                (s, rng) -> valid("size-1 axes around an empty tensor", in(zeros(2, 0, 3)), t -> Ops.reshape(t[0], 1, 0, 1),
                        t -> zeros(1, 0, 1)));

        put("transpose",
                (s, rng) -> bad("a permutation of the wrong length", in(zeros(2, 3, 4)), t -> Ops.permute(t[0], 1, 0),
                        "[1,0]"),
                (s, rng) -> bad("a repeated axis", in(zeros(2, 3)), t -> Ops.permute(t[0], 1, 1), "[1,1]"),
                (s, rng) -> {
                    int a = badAxis(rng, 2);
                    return bad("an axis out of range", in(zeros(2, 3)), t -> Ops.permute(t[0], 0, a), Shapes.str(new int[] {0, a}));
                },
                (s, rng) -> bad("the matrix transpose of a vector", in(zeros(3)), t -> Ops.transpose(t[0]), "[3]"),
                (s, rng) -> nullArgument("a null permutation", in(zeros(2, 3)), t -> Ops.permute(t[0], (int[]) null),
                        "permutation"),
                (s, rng) -> valid("an empty tensor", in(zeros(0, 3, 2)), t -> Ops.permute(t[0], 2, 0, 1),
                        t -> ShapeSpecs.refPermute(t[0], new int[] {2, 0, 1})));

        put("broadcastTo",
                (s, rng) -> bad("a negative target size", in(Tensor.scalar(1)), t -> Ops.broadcastTo(t[0], 3, -2), "[3,-2]"),
                (s, rng) -> bad("a target it does not broadcast to", in(zeros(2, 3)), t -> Ops.broadcastTo(t[0], 3, 3),
                        "[3,3]"),
                (s, rng) -> bad("a target of lower rank", in(zeros(2, 3)), t -> Ops.broadcastTo(t[0], 3), "[3]"),
                (s, rng) -> bad("a target past 2^31 elements", in(Tensor.scalar(1)),
                        t -> Ops.broadcastTo(t[0], PAST_INT, PAST_INT), "[65536,65536]"),
                (s, rng) -> heapBelow16GiB() ? bad("a target past the heap", in(zeros(PAST_HEAP, 1)),
                        t -> Ops.broadcastTo(t[0], PAST_HEAP, PAST_HEAP), "[46340,46340]") : null,
                (s, rng) -> bad("int extremes", in(zeros(1)), t -> Ops.broadcastTo(t[0], Integer.MAX_VALUE, Integer.MAX_VALUE),
                        "[2147483647,2147483647]"),
                (s, rng) -> nullArgument("a null target", in(zeros(2)), t -> Ops.broadcastTo(t[0], (int[]) null), "shape"),
                (s, rng) -> valid("an empty target", in(zeros(1, 3)), t -> Ops.broadcastTo(t[0], 0, 3), t -> zeros(0, 3)));

        put("sumTo",
                (s, rng) -> bad("a negative target size", in(zeros(2, 3)), t -> Ops.sumTo(t[0], -1, 3), "[-1,3]"),
                (s, rng) -> bad("a target that does not broadcast to the input", in(zeros(2, 3)), t -> Ops.sumTo(t[0], 2),
                        "[2]"),
                (s, rng) -> bad("a target larger than the input", in(zeros(2, 3)), t -> Ops.sumTo(t[0], 4, 2, 3), "[4,2,3]"),
                (s, rng) -> nullArgument("a null target", in(zeros(2)), t -> Ops.sumTo(t[0], (int[]) null), "shape"),
                (s, rng) -> valid("an empty input", in(zeros(0, 3)), t -> Ops.sumTo(t[0], 3),
                        t -> ShapeSpecs.refSumTo(t[0], new int[] {3})));

        for (boolean mean : new boolean[] {false, true}) {
            String name = mean ? "mean" : "sum";
            BiFunction<Tensor, int[], Tensor> op = mean ? Ops::mean : Ops::sum;
            put(name,
                    (s, rng) -> {
                        int a = badAxis(rng, 2);
                        return bad("an axis out of range", in(zeros(2, 3)), t -> op.apply(t[0], new int[] {a}), "axis " + a);
                    },
                    (s, rng) -> bad("a repeated axis", in(zeros(2, 3)), t -> op.apply(t[0], new int[] {1, -1}), "[1,-1]"),
                    (s, rng) -> valid("an empty axis", in(zeros(2, 0)), t -> op.apply(t[0], new int[] {1}),
                            t -> ShapeSpecs.refReduce(t[0], new int[] {1}, false, mean)),
                    (s, rng) -> valid("everything of an empty tensor", in(zeros(0, 3)), t -> mean ? Ops.mean(t[0]) : Ops.sum(t[0]),
                            t -> ShapeSpecs.refReduce(t[0], null, false, mean)));
        }

        put("matmul",
                (s, rng) -> bad("inner sizes that differ", in(zeros(5, 4), zeros(3, 6)), t -> Ops.matmul(t[0], t[1]),
                        "[5,4]", "[3,6]"),
                (s, rng) -> bad("a scalar operand", in(Tensor.scalar(1), zeros(3)), t -> Ops.matmul(t[0], t[1]), "[]"),
                (s, rng) -> bad("batches that do not broadcast", in(zeros(2, 4, 4), zeros(3, 4, 4)),
                        t -> Ops.matmul(t[0], t[1]), "[2]", "[3]"),
                (s, rng) -> bad("vectors of different lengths", in(zeros(3), zeros(4)), t -> Ops.matmul(t[0], t[1]),
                        "[1,3]", "[4,1]", "[3]", "[4]"),
                (s, rng) -> bad("an outer product past 2^31 elements", in(zeros(1, PAST_INT), zeros(1, PAST_INT)),
                        t -> Ops.matmul(t[0], t[1], true, false), "[65536,65536]"),
                (s, rng) -> heapBelow16GiB() ? bad("an outer product past the heap", in(zeros(PAST_HEAP, 1),
                        zeros(1, PAST_HEAP)), t -> Ops.matmul(t[0], t[1]), "[46340,46340]") : null,
                (s, rng) -> valid("an empty inner dimension", in(zeros(2, 0), zeros(0, 3)), t -> Ops.matmul(t[0], t[1]),
                        t -> ShapeSpecs.refMatmul(t[0], t[1], false, false)),
                (s, rng) -> valid("an empty batch", in(zeros(0, 2, 3), zeros(3, 2)), t -> Ops.matmul(t[0], t[1]),
                        t -> ShapeSpecs.refMatmul(t[0], t[1], false, false)));
    }

    // ---------------------------------------------------------------- structured ops

    private static Maker badAxisOf(String label, Tensor x, java.util.function.IntFunction<Function<Tensor[], Tensor>> op) {
        return (s, rng) -> {
            int a = badAxis(rng, x.rank());
            return bad(label, in(x), op.apply(a), "axis " + a);
        };
    }

    static {
        put("max",
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> Ops.max(t[0], a)),
                (s, rng) -> bad("the maximum of an empty axis", in(zeros(2, 0)), t -> Ops.max(t[0], 1), "zero elements"),
                (s, rng) -> bad("the maximum of an empty tensor", in(zeros(0)), t -> Ops.max(t[0]), "zero elements"),
                (s, rng) -> valid("no slices to reduce", in(zeros(0, 3)), t -> Ops.max(t[0], 1),
                        t -> StructuredSpecs.refFold(t[0], new int[] {1}, false, StructuredSpecs::refMax)));

        put("logSumExp",
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> Ops.logSumExp(t[0], a)),
                (s, rng) -> bad("a repeated axis", in(zeros(2, 3)), t -> Ops.logSumExp(t[0], 0, -2), "[0,-2]"),
                (s, rng) -> valid("an empty axis", in(zeros(2, 0)), t -> Ops.logSumExp(t[0], 1),
                        t -> StructuredSpecs.refFold(t[0], new int[] {1}, false, StructuredSpecs::refLogSumExp)));

        for (boolean log : new boolean[] {false, true}) {
            String name = log ? "logSoftmax" : "softmax";
            BiFunction<Tensor, Integer, Tensor> op = log ? Ops::logSoftmax : Ops::softmax;
            put(name,
                    badAxisOf("an axis out of range", zeros(2, 3), a -> t -> op.apply(t[0], a)),
                    (s, rng) -> bad("a 0-d input", in(Tensor.scalar(1)), t -> op.apply(t[0], -1), "rank 0"),
                    (s, rng) -> valid("an empty axis", in(zeros(2, 0)), t -> op.apply(t[0], 1),
                            t -> StructuredSpecs.refSoftmax(t[0], 1, log)),
                    (s, rng) -> valid("no slices", in(zeros(0, 3)), t -> op.apply(t[0], 1),
                            t -> StructuredSpecs.refSoftmax(t[0], 1, log)));
        }

        put("softmaxCrossEntropy(labels)",
                (s, rng) -> nullArgument("null labels", in(zeros(2, 3)), t -> Ops.softmaxCrossEntropy(t[0], (int[]) null),
                        "labels"),
                (s, rng) -> bad("one label too many", in(zeros(2, 3)), t -> Ops.softmaxCrossEntropy(t[0], 0, 1, 2),
                        "3 labels"),
                (s, rng) -> {
                    int label = rng.nextBoolean() ? pick(rng, INT_EXTREMES) : rng.nextBoolean() ? 3 : -1;
                    return bad("a label out of range", in(zeros(2, 3)), t -> Ops.softmaxCrossEntropy(t[0], 0, label),
                            "label " + label);
                },
                (s, rng) -> bad("a label for no classes", in(zeros(1, 0)), t -> Ops.softmaxCrossEntropy(t[0], 0), "label 0"),
                (s, rng) -> bad("0-d logits", in(Tensor.scalar(1)), t -> Ops.softmaxCrossEntropy(t[0]), "[]"),
                (s, rng) -> valid("no rows", in(zeros(0, 3)), t -> Ops.softmaxCrossEntropy(t[0]),
                        t -> StructuredSpecs.refCrossEntropy(t[0], new int[0])));

        put("softmaxCrossEntropy(targets)",
                (s, rng) -> bad("targets of another shape", in(zeros(2, 3), zeros(3, 2)),
                        t -> Ops.softmaxCrossEntropy(t[0], t[1]), "[3,2]"),
                (s, rng) -> bad("0-d logits", in(Tensor.scalar(1), Tensor.scalar(1)), t -> Ops.softmaxCrossEntropy(t[0], t[1]),
                        "[]"),
                (s, rng) -> nullArgument("null targets", in(zeros(2, 3)), t -> Ops.softmaxCrossEntropy(t[0], (Tensor) null),
                        "input 1"),
                (s, rng) -> valid("no rows", in(zeros(0, 3), zeros(0, 3)), t -> Ops.softmaxCrossEntropy(t[0], t[1]),
                        t -> StructuredSpecs.refCrossEntropy(t[0], t[1])));

        Tensor ten = Tensor.vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        put("slice",
                (s, rng) -> {
                    int step = rng.nextBoolean() ? 0 : rng.nextBoolean() ? -1 : Integer.MIN_VALUE;
                    return bad("a step below 1", in(ten), t -> Ops.slice(t[0], 0, 0, 5, step), "step " + step,
                            "got " + step);
                },
                (s, rng) -> {
                    int start = rng.nextBoolean() ? Integer.MIN_VALUE : 11;
                    return bad("a start out of range", in(ten), t -> Ops.slice(t[0], 0, start, 10), "[" + start + ", 10)");
                },
                (s, rng) -> {
                    int end = rng.nextBoolean() ? Integer.MAX_VALUE : 11;
                    return bad("an end out of range", in(ten), t -> Ops.slice(t[0], 0, 0, end), "[0, " + end + ")");
                },
                (s, rng) -> bad("start after end", in(ten), t -> Ops.slice(t[0], 0, 6, 5), "[6, 5)"),
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> Ops.slice(t[0], a, 0, 1)),
                (s, rng) -> {
                    int step = pick(rng, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, 10, 11});
                    int start = rng.nextInt(10);
                    return valid("a step of " + step + " from " + start, in(ten), t -> Ops.slice(t[0], 0, start, 10, step),
                            t -> StructuredSpecs.refSlice(t[0], 0, start, 10, step));
                },
                (s, rng) -> valid("an empty slice at the end", in(ten), t -> Ops.slice(t[0], -1, 10, 10, Integer.MAX_VALUE),
                        t -> StructuredSpecs.refSlice(t[0], -1, 10, 10, Integer.MAX_VALUE)),
                (s, rng) -> valid("a slice of an empty axis", in(zeros(3, 0)), t -> Ops.slice(t[0], 1, 0, 0, 7),
                        t -> StructuredSpecs.refSlice(t[0], 1, 0, 0, 7)));

        put("unslice",
                (s, rng) -> bad("a negative size", in(zeros(2)), t -> new Unslice(0, 0, 1, -1).apply(t[0]), "size", "-1"),
                (s, rng) -> bad("a step of 0", in(zeros(2)), t -> new Unslice(0, 0, 0, 4).apply(t[0]), "step", "0"),
                (s, rng) -> bad("a start past the size", in(zeros(2)), t -> new Unslice(0, 5, 1, 4).apply(t[0]), "start 5"),
                (s, rng) -> bad("a negative start", in(zeros(2)), t -> new Unslice(0, -1, 1, 4).apply(t[0]), "start -1"),
                (s, rng) -> bad("elements that do not fit", in(zeros(3)), t -> new Unslice(0, 1, 2, 4).apply(t[0]),
                        "3 elements"),
                (s, rng) -> bad("steps past the int range", in(zeros(3)),
                        t -> new Unslice(0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE).apply(t[0]), "step 2147483647"),
                (s, rng) -> bad("a size past 2^31 elements", in(zeros(2, 1)),
                        t -> new Unslice(1, 0, 1, Integer.MAX_VALUE).apply(t[0]), "[2,2147483647]"),
                (s, rng) -> heapBelow16GiB() ? bad("a size past the heap", in(zeros(PAST_HEAP, 1)),
                        t -> new Unslice(1, 0, 1, PAST_HEAP).apply(t[0]), "[46340,46340]") : null,
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> new Unslice(a, 0, 1, 4).apply(t[0])),
                (s, rng) -> valid("nothing into zeros", in(zeros(2, 0)), t -> new Unslice(1, 3, 2, 5).apply(t[0]),
                        t -> StructuredSpecs.refUnslice(t[0], 1, 3, 2, 5)));

        put("concat",
                (s, rng) -> bad("no inputs", in(), t -> Ops.concat(0), "at least one"),
                (s, rng) -> nullArgument("a null array", in(), t -> Ops.concat(0, (Tensor[]) null), "tensors"),
                (s, rng) -> nullArgument("a null input", in(zeros(2), null), t -> Ops.concat(0, t), "input 1"),
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> Ops.concat(a, t[0], t[0])),
                (s, rng) -> bad("a 0-d input", in(zeros(2), Tensor.scalar(1)), t -> Ops.concat(0, t), "0-d"),
                (s, rng) -> bad("other sizes that differ", in(zeros(2, 3), zeros(2, 4)), t -> Ops.concat(0, t), "[2,4]"),
                (s, rng) -> bad("sizes adding up past 2^31", in(zeros(1 << 30, 0), zeros(1 << 30, 0), zeros(1 << 30, 0)),
                        t -> Ops.concat(0, t), "3221225472"),
                (s, rng) -> valid("an empty piece", in(zeros(2, 0), Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)),
                        t -> Ops.concat(1, t), t -> StructuredSpecs.refConcat(t, 1)));

        put("gather",
                (s, rng) -> nullArgument("null indices", in(zeros(2, 3)), t -> Ops.gather(t[0], 0, (int[]) null), "indices"),
                (s, rng) -> nullArgument("a null index shape", in(zeros(2, 3)), t -> Ops.gather(t[0], 0, new int[] {0}, null),
                        "index shape"),
                (s, rng) -> bad("a negative index shape", in(zeros(2, 3)), t -> Ops.gather(t[0], 0, new int[0],
                        new int[] {-1}), "[-1]"),
                (s, rng) -> bad("indices that do not fill the index shape", in(zeros(2, 3)),
                        t -> Ops.gather(t[0], 0, new int[] {0, 1, 1}, new int[] {2, 2}), "3 indices"),
                (s, rng) -> {
                    int index = rng.nextBoolean() ? pick(rng, INT_EXTREMES) : rng.nextBoolean() ? 2 : -1;
                    return bad("an index out of range", in(zeros(2, 3)), t -> Ops.gather(t[0], 0, 0, index),
                            "index " + index);
                },
                badAxisOf("an axis out of range", zeros(2, 3), a -> t -> Ops.gather(t[0], a, 0)),
                (s, rng) -> bad("an output past 2^31 elements", in(zeros(PAST_INT, 1)),
                        t -> Ops.gather(t[0], 1, new int[PAST_INT], new int[] {PAST_INT}), "[65536,65536]"),
                (s, rng) -> heapBelow16GiB() ? bad("an output past the heap", in(zeros(PAST_HEAP, 1)),
                        t -> Ops.gather(t[0], 1, new int[PAST_HEAP], new int[] {PAST_HEAP}), "[46340,46340]") : null,
                (s, rng) -> valid("no indices", in(zeros(2, 3)), t -> Ops.gather(t[0], 1, new int[0], new int[] {0, 4}),
                        t -> StructuredSpecs.refGather(t[0], 1, new int[0], new int[] {0, 4})),
                (s, rng) -> valid("no indices into an empty axis", in(zeros(2, 0)), t -> Ops.gather(t[0], 1),
                        t -> StructuredSpecs.refGather(t[0], 1, new int[0], new int[] {0})));

        put("linear",
                (s, rng) -> bad("an input of the wrong width", in(zeros(2, 3), zeros(4, 5), zeros(4)),
                        t -> Ops.linear(t[0], t[1], t[2], Nonlinearity.TANH), "x [2,3], weight [4,5], bias [4]"),
                (s, rng) -> bad("a bias of the wrong size", in(zeros(2, 3), zeros(4, 3), zeros(3)),
                        t -> Ops.linear(t[0], t[1], t[2]), "bias [3]"),
                (s, rng) -> bad("a 1-d input", in(zeros(3), zeros(4, 3), zeros(4)),
                        t -> Ops.linear(t[0], t[1], t[2], Nonlinearity.RELU), "x [3]"),
                (s, rng) -> valid("an empty batch", in(zeros(0, 3), zeros(4, 3), zeros(4)),
                        t -> Ops.linear(t[0], t[1], t[2], Nonlinearity.SIGMOID),
                        t -> StructuredSpecs.refLinear(t, Nonlinearity.SIGMOID)),
                (s, rng) -> valid("no input features", in(zeros(2, 0), zeros(4, 0), Tensor.vector(1, -1, 0, 2)),
                        t -> Ops.linear(t[0], t[1], t[2], Nonlinearity.TANH),
                        t -> StructuredSpecs.refLinear(t, Nonlinearity.TANH)));

        put("tanhRnnSequence",
                (s, rng) -> bad("an empty sequence", in(zeros(2, 2), zeros(2, 3), zeros(2), zeros(1, 2), zeros(0, 1, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "T >= 1"),
                (s, rng) -> bad("a W that is not square", in(zeros(2, 3), zeros(2, 3), zeros(2), zeros(1, 2), zeros(4, 1, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "W must be"),
                (s, rng) -> bad("a U of the wrong width", in(zeros(2, 2), zeros(2, 4), zeros(2), zeros(1, 2), zeros(4, 1, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "U must be [2,3]"),
                (s, rng) -> bad("a bias of the wrong size", in(zeros(2, 2), zeros(2, 3), zeros(3), zeros(1, 2), zeros(4, 1, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "b must be [2]"),
                (s, rng) -> bad("h0 of another batch", in(zeros(2, 2), zeros(2, 3), zeros(2), zeros(2, 2), zeros(4, 1, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "h0 must be [1,2]"),
                (s, rng) -> bad("X of rank 2", in(zeros(2, 2), zeros(2, 3), zeros(2), zeros(1, 2), zeros(4, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "[4,3]"),
                (s, rng) -> bad("states past 2^31 elements", in(zeros(2, 2), zeros(2, 0), zeros(2), zeros(1 << 15, 2),
                        zeros(1 << 15, 1 << 15, 0)), t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), "[32768,32768,2]"),
                (s, rng) -> valid("no inputs per step (m = 0)", in(Tensor.of(new double[] {0.5, -1, 2, 0.25}, 2, 2), zeros(2, 0),
                        Tensor.vector(0.1, -0.2), Tensor.of(new double[] {1, -1}, 1, 2), zeros(3, 1, 0)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), StructuredSpecs::refTanhRnn),
                (s, rng) -> valid("an empty batch", in(zeros(2, 2), zeros(2, 3), zeros(2), zeros(0, 2), zeros(3, 0, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), StructuredSpecs::refTanhRnn),
                (s, rng) -> valid("no state units (n = 0)", in(zeros(0, 0), zeros(0, 3), zeros(0), zeros(2, 0), zeros(3, 2, 3)),
                        t -> Ops.tanhRnnSequence(t[0], t[1], t[2], t[3], t[4]), StructuredSpecs::refTanhRnn));

        put("lstmSequence",
                (s, rng) -> bad("an empty sequence", lstmIn(2, 3, 1, 0), StructuredSpecs::lstmOf, "T >= 1"),
                (s, rng) -> bad("a U_o of the wrong width", withInput(lstmIn(2, 3, 1, 4), 6, zeros(2, 4)),
                        StructuredSpecs::lstmOf, "U_o must be [2,3]"),
                (s, rng) -> bad("a b_c of the wrong size", withInput(lstmIn(2, 3, 1, 4), 11, zeros(3)),
                        StructuredSpecs::lstmOf, "b_c must be [2]"),
                (s, rng) -> bad("a c0 of another batch", withInput(lstmIn(2, 3, 1, 4), 13, zeros(2, 2)),
                        StructuredSpecs::lstmOf, "c0 must be [1,2]"),
                (s, rng) -> bad("a W_i that is not [n,n]", withInput(lstmIn(2, 3, 1, 4), 1, zeros(2, 3)),
                        StructuredSpecs::lstmOf, "W_i must be [2,2]"),
                (s, rng) -> bad("three gates", in(), t -> Ops.lstmSequence(new Tensor[3], new Tensor[4], new Tensor[4],
                        zeros(1, 2), zeros(1, 2), zeros(1, 1, 3)), "4 gates"),
                (s, rng) -> valid("an empty batch", lstmIn(2, 3, 0, 2), StructuredSpecs::lstmOf, StructuredSpecs::refLstm),
                (s, rng) -> valid("no state units (n = 0)", lstmIn(0, 3, 2, 2), StructuredSpecs::lstmOf, StructuredSpecs::refLstm));

        put("gruSequence",
                (s, rng) -> bad("an empty sequence", gruIn(2, 3, 1, 0), StructuredSpecs::gruOf, "T >= 1"),
                (s, rng) -> bad("a U_n of the wrong width", withInput(gruIn(2, 3, 1, 4), 5, zeros(2, 4)),
                        StructuredSpecs::gruOf, "U_n must be [2,3]"),
                (s, rng) -> bad("a b_r of the wrong size", withInput(gruIn(2, 3, 1, 4), 7, zeros(3)),
                        StructuredSpecs::gruOf, "b_r must be [2]"),
                (s, rng) -> bad("an h0 of another batch", withInput(gruIn(2, 3, 1, 4), 9, zeros(2, 2)),
                        StructuredSpecs::gruOf, "h0 must be [1,2]"),
                (s, rng) -> bad("four gates", in(), t -> Ops.gruSequence(new Tensor[4], new Tensor[3], new Tensor[3],
                        zeros(1, 2), zeros(1, 1, 3)), "3 gates"),
                (s, rng) -> valid("an empty batch", gruIn(2, 3, 0, 2), StructuredSpecs::gruOf, StructuredSpecs::refGru),
                (s, rng) -> valid("no state units (n = 0)", gruIn(0, 3, 2, 2), StructuredSpecs::gruOf, StructuredSpecs::refGru));

        put("scatterAdd",
                (s, rng) -> bad("a negative size", in(zeros(2)), t -> new ScatterAdd(0, new int[] {0, 1}, new int[] {2}, -1)
                        .apply(t[0]), "size", "-1"),
                (s, rng) -> {
                    int index = rng.nextBoolean() ? pick(rng, INT_EXTREMES) : rng.nextBoolean() ? 4 : -1;
                    return bad("an index out of range", in(zeros(2)),
                            t -> new ScatterAdd(0, new int[] {0, index}, new int[] {2}, 4).apply(t[0]), "index " + index);
                },
                (s, rng) -> bad("an input that does not hold the index shape", in(zeros(3, 5)),
                        t -> new ScatterAdd(0, new int[] {0, 1}, new int[] {2}, 4).apply(t[0]), "[3,5]"),
                (s, rng) -> bad("a size past 2^31 elements", in(zeros(2, 1)),
                        t -> new ScatterAdd(1, new int[] {0}, new int[] {1}, Integer.MAX_VALUE).apply(t[0]), "[2,2147483647]"),
                (s, rng) -> heapBelow16GiB() ? bad("a size past the heap", in(zeros(PAST_HEAP, 1)),
                        t -> new ScatterAdd(1, new int[] {0}, new int[] {1}, PAST_HEAP).apply(t[0]), "[46340,46340]") : null,
                badAxisOf("an axis out of range", zeros(2, 1), a -> t -> new ScatterAdd(a, new int[] {0}, new int[] {1}, 3)
                        .apply(t[0])),
                (s, rng) -> valid("no indices", in(zeros(2, 0)), t -> new ScatterAdd(1, new int[0], new int[] {0}, 3).apply(t[0]),
                        t -> StructuredSpecs.refScatterAdd(t[0], 1, new int[0], new int[] {0}, new int[] {2, 3})));
    }
}
