package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Spec rows of max, logsumexp, softmax, log-softmax, softmax-cross-entropy (labels and targets), slice
 * and its transpose unslice, concat, gather and its transpose scatter-add. Every reference below
 * works index by index from the definitions, independently of the ops.
 */
final class StructuredSpecs {
    private StructuredSpecs() {}

    static List<OpSpec> all() {
        return List.of(max(), logSumExp(), softmax(), logSoftmax(), crossEntropyLabels(), crossEntropyTargets(),
                slice(), unslice(), concat(), gather(), scatterAdd(), tanhRnnSequence(), lstmSequence(), gruSequence(), linear());
    }

    private static final double LN2 = Math.log(2);

    private static Tensor[] vec(double... v) {
        return new Tensor[] {Tensor.vector(v)};
    }

    // ---------------------------------------------------------------- reductions

    /** Whether axis i is reduced, for axes as the op takes them (null = all, negatives from the end). */
    private static boolean[] reduced(int rank, int[] axes) {
        boolean[] red = new boolean[rank];
        if (axes == null) Arrays.fill(red, true);
        else for (int a : axes) red[a < 0 ? a + rank : a] = true;
        return red;
    }

    /** Reference reduction: groups x's elements by output position, then folds each group with f. */
    static Tensor refFold(Tensor x, int[] axes, boolean keep, ToDoubleFunction<double[]> f) {
        int[] s = x.shape();
        boolean[] red = reduced(s.length, axes);
        int[] kept = s.clone();
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (red[i]) kept[i] = 1;
            else dropped.add(s[i]);
        }
        int outSize = Shapes.size(kept);
        List<List<Double>> groups = new ArrayList<>();
        for (int o = 0; o < outSize; o++) groups.add(new ArrayList<>());
        for (int i = 0; i < x.size(); i++) {
            int[] idx = Ref.unflat(i, s);
            int flat = 0;
            for (int d = 0; d < s.length; d++) flat = flat * kept[d] + (red[d] ? 0 : idx[d]);
            groups.get(flat).add(x.data()[i]);
        }
        double[] out = new double[outSize];
        for (int o = 0; o < outSize; o++) {
            out[o] = f.applyAsDouble(groups.get(o).stream().mapToDouble(Double::doubleValue).toArray());
        }
        int[] shape = keep ? kept : dropped.stream().mapToInt(Integer::intValue).toArray();
        return Tensor.wrap(out, shape);
    }

    static double refMax(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) m = Math.max(m, d);
        return m;
    }

    /** log Σ exp, the textbook formula (the generated values are far from overflow). */
    /**
     * log Σ e^v, by the definition shifted by the maximum m, with the limits the ops document for
     * non-finite lines: NaN if any entry is NaN, +∞ if m is +∞, -∞ if every entry is -∞ (e^-∞ = 0).
     */
    static double refLogSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (d != d) return Double.NaN;
            m = Math.max(m, d);
        }
        if (Double.isInfinite(m)) return m;
        double s = 0;
        for (double d : v) s += Math.exp(d - m);
        return m + Math.log(s);
    }

    /**
     * log softmax of a line, by its definition {@code v_j - logΣe^v}, with the limits of shift invariance
     * where that is ∞ - ∞: entries equal to an infinite maximum share the mass equally (every entry, when
     * all are -∞), the others get none; NaN anywhere makes the line NaN.
     */
    static double[] refLogSoftmaxLine(double[] v) {
        double[] out = new double[v.length];
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (d != d) {
                java.util.Arrays.fill(out, Double.NaN);
                return out;
            }
            m = Math.max(m, d);
        }
        if (Double.isInfinite(m)) {
            int ties = 0;
            for (double d : v) if (d == m) ties++;
            for (int j = 0; j < v.length; j++) out[j] = v[j] == m ? -Math.log(ties) : Double.NEGATIVE_INFINITY;
            return out;
        }
        double lse = refLogSumExp(v);
        for (int j = 0; j < v.length; j++) out[j] = v[j] - lse;
        return out;
    }

    private static OpSpec max() {
        return new OpSpec("max", Max.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            int[] axes = Gen.axes(rng, s.length);
            boolean keep = rng.nextBoolean();
            Tensor x = Gen.tensor(rng, s);
            // Exact ties sometimes: FD checks skip them as kinks, the VJP-vs-JVP test and forward still run.
            if (x.size() > 1 && rng.nextInt(3) == 0) {
                double[] d = x.mutableData();
                d[rng.nextInt(d.length)] = d[rng.nextInt(d.length)];
            }
            return new OpCase(spec, "axes " + Gen.str(axes) + (keep ? ", keepDims" : ""), new Tensor[] {x},
                    in -> keep ? Ops.maxKeepDims(in[0], axes == null ? new int[0] : axes)
                            : axes == null ? Ops.max(in[0]) : Ops.max(in[0], axes),
                    in -> refFold(in[0], axes, keep, StructuredSpecs::refMax));
        })
                .special("a tie splits the gradient equally", vec(1, 3, -2, 3), x -> Ops.max(x[0]), new double[] {3},
                        new double[] {0, 0.5, 0, 0.5})
                .special("three-way tie in one row, none in the other",
                        new Tensor[] {Tensor.matrix(new double[][] {{2, 2, 2}, {0, 5, 1}})}, x -> Ops.max(x[0], 1),
                        new double[] {2, 5}, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 1, 0})
                .special("min through max: the smallest element", vec(4, -1, 7), x -> Ops.min(x[0]), new double[] {-1},
                        new double[] {0, 1, 0});
    }

    private static OpSpec logSumExp() {
        return new OpSpec("logSumExp", LogSumExp.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            int[] axes = Gen.axes(rng, s.length);
            boolean keep = rng.nextBoolean();
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, "axes " + Gen.str(axes) + (keep ? ", keepDims" : ""), new Tensor[] {x},
                    in -> keep ? Ops.logSumExpKeepDims(in[0], axes == null ? new int[0] : axes)
                            : axes == null ? Ops.logSumExp(in[0]) : Ops.logSumExp(in[0], axes),
                    in -> refFold(in[0], axes, keep, StructuredSpecs::refLogSumExp));
        })
                .special("logSumExp([1000, 1000]) = 1000 + ln 2 without overflow", vec(1000, 1000),
                        x -> Ops.logSumExp(x[0]), new double[] {1000 + LN2}, new double[] {0.5, 0.5})
                .special("logSumExp([1000, -1000]) = 1000", vec(1000, -1000), x -> Ops.logSumExp(x[0]),
                        new double[] {1000}, new double[] {1, 0})
                .special("logSumExp([-1000, -1000]) = -1000 + ln 2 without underflow", vec(-1000, -1000),
                        x -> Ops.logSumExp(x[0]), new double[] {-1000 + LN2}, new double[] {0.5, 0.5})
                // 1e16 + ln 2 rounds to 1e16; the gradient is still the softmax, not exp(x - y) = [1, 1]
                .special("logSumExp([1e16, 1e16]): gradient [1/2, 1/2]", vec(1e16, 1e16), x -> Ops.logSumExp(x[0]),
                        new double[] {1e16}, new double[] {0.5, 0.5})
                .special("logSumExp([1e308, -1e308, 1e308]) without inf - inf", vec(1e308, -1e308, 1e308),
                        x -> Ops.logSumExp(x[0]), new double[] {1e308}, new double[] {0.5, 0, 0.5})
                .special("logSumExp([+inf, 1]) = +inf, gradient [1, 0]", vec(Double.POSITIVE_INFINITY, 1),
                        x -> Ops.logSumExp(x[0]), new double[] {Double.POSITIVE_INFINITY}, new double[] {1, 0})
                // log(1 + e^-40) = 4.248354255291589e-18 (40 digits), lost by log(sum) as log(1) = 0
                .special("logSumExp([0, -40]) = log1p(e^-40)", vec(0, -40), x -> Ops.logSumExp(x[0]),
                        new double[] {4.248354255291589e-18}, new double[] {1, 4.248354255291589e-18});
    }

    // ---------------------------------------------------------------- softmax family

    /** Reference softmax (or log-softmax) along an axis: for each element, the sum over its line. */
    static Tensor refSoftmax(Tensor x, int axis, boolean log) {
        int[] s = x.shape();
        int a = axis < 0 ? axis + s.length : axis;
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            int[] idx = Ref.unflat(i, s);
            double[] line = new double[s[a]];
            for (int j = 0; j < s[a]; j++) {
                int[] other = idx.clone();
                other[a] = j;
                line[j] = x.get(other);
            }
            double lp = refLogSoftmaxLine(line)[idx[a]];
            out[i] = log ? lp : Math.exp(lp);
        }
        return Tensor.wrap(out, s);
    }

    /** softmax(z) for the worked example of sheet 000, by its definition (eq. 1.3). */
    private static double[] softmaxOf(double... z) {
        double sum = 0;
        for (double v : z) sum += Math.exp(v);
        double[] a = new double[z.length];
        for (int i = 0; i < z.length; i++) a[i] = Math.exp(z[i]) / sum;
        return a;
    }

    private static final double[] SHEET_Z = {0.5, -1.0, 2.0, 0.25};
    private static final int SHEET_Y = 2;

    private static OpSpec softmax() {
        double[] a = softmaxOf(SHEET_Z);
        // Sheet 000, eq. 1.8: ∂a_k/∂z_i = a_k (δ_ki - a_i); here k = SHEET_Y.
        double[] dak = new double[a.length];
        for (int i = 0; i < a.length; i++) dak[i] = a[SHEET_Y] * ((i == SHEET_Y ? 1 : 0) - a[i]);
        double[] pick = new double[a.length];
        pick[SHEET_Y] = 1;
        return new OpSpec("softmax", Softmax.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            Tensor x = Gen.tensor(rng, s);
            boolean lastAxis = rng.nextBoolean() && axis == -1;
            return new OpCase(spec, "axis " + axis, new Tensor[] {x},
                    in -> lastAxis ? Ops.softmax(in[0]) : Ops.softmax(in[0], axis),
                    in -> refSoftmax(in[0], axis, false));
        })
                .special("softmax([1000, -1000]) = [1, 0], finite", vec(1000, -1000), x -> Ops.softmax(x[0]),
                        new double[] {1, 0}, new double[] {0, 0})
                .special("softmax([-1000, -1000]) = [1/2, 1/2]; gradient of its first element",
                        vec(-1000, -1000), x -> Ops.mul(Ops.softmax(x[0]), Tensor.vector(1, 0)),
                        new double[] {0.5, 0}, new double[] {0.25, -0.25})
                .special("sheet 000 eq. 1.8: the Jacobian row of a_y", vec(SHEET_Z),
                        x -> Ops.mul(Ops.softmax(x[0]), Tensor.vector(pick)), times(a, pick), dak)
                .special("softmax([+inf, 1]) = [1, 0], the limit", vec(Double.POSITIVE_INFINITY, 1),
                        x -> Ops.softmax(x[0]), new double[] {1, 0}, new double[] {0, 0})
                .special("softmax([-inf, -inf]) = [1/2, 1/2], the limit of equal entries", new Tensor[] {
                        Tensor.vector(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY)}, x -> Ops.mul(Ops.softmax(x[0]), Tensor.vector(1, 0)),
                        new double[] {0.5, 0}, new double[] {0.25, -0.25});
    }

    private static double[] times(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i] * b[i];
        return c;
    }

    private static OpSpec logSoftmax() {
        double[] a = softmaxOf(SHEET_Z);
        double[] minusOneHot = new double[a.length];
        minusOneHot[SHEET_Y] = -1;
        double[] lossGrad = a.clone();
        lossGrad[SHEET_Y] -= 1;
        double[] expected = new double[a.length];
        expected[SHEET_Y] = -Math.log(a[SHEET_Y]);
        return new OpSpec("logSoftmax", LogSoftmax.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            Tensor x = Gen.tensor(rng, s);
            boolean lastAxis = rng.nextBoolean() && axis == -1;
            return new OpCase(spec, "axis " + axis, new Tensor[] {x},
                    in -> lastAxis ? Ops.logSoftmax(in[0]) : Ops.logSoftmax(in[0], axis),
                    in -> refSoftmax(in[0], axis, true));
        })
                .special("logSoftmax([1000, -1000]) = [0, -2000], finite", vec(1000, -1000), x -> Ops.logSoftmax(x[0]),
                        new double[] {0, -2000}, new double[] {-1, 1})
                .special("logSoftmax([-1000, -1000]) = [-ln 2, -ln 2]", vec(-1000, -1000), x -> Ops.logSoftmax(x[0]),
                        new double[] {-LN2, -LN2}, new double[] {0, 0})
                .special("logSoftmax([1e308, 1e308]) = [-ln 2, -ln 2]", vec(1e308, 1e308), x -> Ops.logSoftmax(x[0]),
                        new double[] {-LN2, -LN2}, new double[] {0, 0})
                .special("logSoftmax([+inf, 1])_0 = 0, gradient e_0 - p = [0, 0]", vec(Double.POSITIVE_INFINITY, 1),
                        x -> Ops.gather(Ops.logSoftmax(x[0]), 0, 0), new double[] {0}, new double[] {0, 0})
                .special("sheet 000 eq. 1.9: the gradient of -log a_y is a - onehot(y)", vec(SHEET_Z),
                        x -> Ops.mul(Ops.logSoftmax(x[0]), Tensor.vector(minusOneHot)), expected, lossGrad);
    }

    // ---------------------------------------------------------------- cross-entropy

    /** The logits' shape without the last axis, as the op's result. */
    private static int[] rowsShape(int[] s) {
        return Arrays.copyOf(s, s.length - 1);
    }

    static Tensor refCrossEntropy(Tensor z, int[] labels) {
        int[] s = z.shape();
        int c = s[s.length - 1];
        double[] out = new double[labels.length];
        for (int r = 0; r < labels.length; r++) {
            out[r] = -refLogSoftmaxLine(Arrays.copyOfRange(z.data(), r * c, (r + 1) * c))[labels[r]];
        }
        return Tensor.wrap(out, rowsShape(s));
    }

    static Tensor refCrossEntropy(Tensor z, Tensor t) {
        Tensor logP = refSoftmax(z, -1, true);
        int[] s = z.shape();
        int c = s[s.length - 1];
        double[] out = new double[z.size() / c];
        for (int r = 0; r < out.length; r++) {
            for (int j = 0; j < c; j++) {
                double w = t.data()[r * c + j];
                if (w != 0) out[r] -= w * logP.data()[r * c + j]; // 0 log 0 = 0
            }
        }
        return Tensor.wrap(out, rowsShape(s));
    }

    private static OpSpec crossEntropyLabels() {
        double[] a = softmaxOf(SHEET_Z);
        double[] grad = a.clone();
        grad[SHEET_Y] -= 1;
        return new OpSpec("softmaxCrossEntropy(labels)", SoftmaxCrossEntropy.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int c = s[s.length - 1];
            int[] labels = new int[Shapes.size(rowsShape(s))];
            for (int r = 0; r < labels.length; r++) labels[r] = rng.nextInt(c);
            Tensor z = Gen.tensor(rng, s);
            return new OpCase(spec, "labels " + Arrays.toString(labels), new Tensor[] {z},
                    in -> Ops.softmaxCrossEntropy(in[0], labels), in -> refCrossEntropy(in[0], labels));
        })
                .special("logits [1000, 0], label 1: loss 1000, gradient [1, -1]", vec(1000, 0),
                        x -> Ops.softmaxCrossEntropy(x[0], 1), new double[] {1000}, new double[] {1, -1})
                .special("sheet 000 eq. 1.9: -log a_y, gradient a - onehot(y)", vec(SHEET_Z),
                        x -> Ops.softmaxCrossEntropy(x[0], SHEET_Y), new double[] {-Math.log(a[SHEET_Y])}, grad)
                .special("[[1e16, 1e16]], label 0: ln 2, not 0", new Tensor[] {Tensor.matrix(new double[][] {{1e16, 1e16}})},
                        x -> Ops.softmaxCrossEntropy(x[0], 0), new double[] {LN2}, new double[] {-0.5, 0.5})
                .special("[[1e308, -1e308, 1e308]], label 2: ln 2", new Tensor[] {Tensor.matrix(new double[][] {
                        {1e308, -1e308, 1e308}})}, x -> Ops.softmaxCrossEntropy(x[0], 2), new double[] {LN2},
                        new double[] {0.5, 0, -0.5})
                .special("two rows at ±1000", new Tensor[] {Tensor.matrix(new double[][] {{1000, 0}, {0, -1000}})},
                        x -> Ops.softmaxCrossEntropy(x[0], 1, 1), new double[] {1000, 1000},
                        new double[] {1, -1, 1, -1});
    }

    private static OpSpec crossEntropyTargets() {
        return new OpSpec("softmaxCrossEntropy(targets)", SoftmaxCrossEntropy.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int c = s[s.length - 1];
            Tensor z = Gen.tensor(rng, s);
            double[] t = new double[z.size()];
            int kind = rng.nextInt(3);
            for (int r = 0; r < t.length / c; r++) {
                if (kind == 0) {
                    t[r * c + rng.nextInt(c)] = 1; // one-hot
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < c; j++) sum += t[r * c + j] = 0.1 + rng.nextDouble();
                // kind 1: a distribution; kind 2: unnormalised weights, so that Σt ≠ 1 is exercised.
                if (kind == 1) for (int j = 0; j < c; j++) t[r * c + j] /= sum;
            }
            Tensor targets = Tensor.wrap(t, s);
            return new OpCase(spec, new String[] {"one-hot", "distribution", "weights"}[kind],
                    new Tensor[] {z, targets}, in -> Ops.softmaxCrossEntropy(in[0], in[1]),
                    in -> refCrossEntropy(in[0], in[1]));
        })
                .special("one-hot target at logits [1000, 0]: loss 1000, finite gradients", new Tensor[] {
                        Tensor.vector(1000, 0), Tensor.vector(0, 1)},
                        x -> Ops.softmaxCrossEntropy(x[0], x[1]), new double[] {1000},
                        new double[] {1, -1}, new double[] {0, 1000})
                .special("uniform target at [1e308, 1e308]: ln 2, not 0", new Tensor[] {Tensor.vector(1e308, 1e308),
                        Tensor.vector(0.5, 0.5)}, x -> Ops.softmaxCrossEntropy(x[0], x[1]), new double[] {LN2},
                        new double[] {0, 0}, new double[] {LN2, LN2})
                .special("uniform target at equal logits: ln 2", new Tensor[] {Tensor.vector(-1000, -1000),
                        Tensor.vector(0.5, 0.5)}, x -> Ops.softmaxCrossEntropy(x[0], x[1]), new double[] {LN2},
                        new double[] {0, 0}, new double[] {LN2, LN2});
    }

    // ---------------------------------------------------------------- slice and unslice

    /** Random slice bounds on an axis of size n: {start, end, step} normalised, empty 1 time in 8. */
    private static int[] bounds(Random rng, int n) {
        int step = 1 + rng.nextInt(3);
        if (rng.nextInt(8) == 0) {
            int s = rng.nextInt(n + 1);
            return new int[] {s, s, step};
        }
        int s = rng.nextInt(n);
        int e = s + 1 + rng.nextInt(n - s);
        return new int[] {s, e, step};
    }

    /** The positions a slice selects, by Python's definition. */
    private static int[] positions(int start, int end, int step) {
        List<Integer> p = new ArrayList<>();
        for (long i = start; i < end; i += step) p.add((int) i); // long: i + step may pass 2^31 − 1
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    static Tensor refSlice(Tensor x, int axis, int start, int end, int step) {
        int[] s = x.shape();
        int a = axis < 0 ? axis + s.length : axis;
        int n = s[a];
        int[] pos = positions(start < 0 ? start + n : start, end < 0 ? end + n : end, step);
        int[] ys = s.clone();
        ys[a] = pos.length;
        double[] out = new double[Shapes.size(ys)];
        for (int i = 0; i < out.length; i++) {
            int[] idx = Ref.unflat(i, ys);
            idx[a] = pos[idx[a]];
            out[i] = x.get(idx);
        }
        return Tensor.wrap(out, ys);
    }

    static Tensor refUnslice(Tensor x, int axis, int start, int step, int size) {
        int[] s = x.shape();
        int a = axis < 0 ? axis + s.length : axis;
        int[] ys = s.clone();
        ys[a] = size;
        double[] out = new double[Shapes.size(ys)];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = Ref.unflat(i, s);
            idx[a] = start + idx[a] * step;
            int flat = 0;
            for (int d = 0; d < ys.length; d++) flat = flat * ys[d] + idx[d];
            out[flat] = x.data()[i];
        }
        return Tensor.wrap(out, ys);
    }

    private static OpSpec slice() {
        return new OpSpec("slice", Slice.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            int a = axis < 0 ? axis + s.length : axis;
            s[a] = 1 + rng.nextInt(6);
            int n = s[a];
            int[] b = bounds(rng, n);
            // Negative bounds (counted from the end) half of the time, where they exist.
            int start = b[0] < n && rng.nextBoolean() ? b[0] - n : b[0];
            int end = b[1] < n && rng.nextBoolean() ? b[1] - n : b[1];
            int step = b[2];
            boolean unitStep = step == 1 && rng.nextBoolean(); // the facade's overload without a step
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, "axis " + axis + ", [" + start + ", " + end + ") step " + step, new Tensor[] {x},
                    in -> unitStep ? Ops.slice(in[0], axis, start, end)
                            : Ops.slice(in[0], axis, start, end, step),
                    in -> refSlice(in[0], axis, start, end, step));
        })
                .special("[1, -1) step 2 of 0..5", vec(0, 1, 2, 3, 4, 5), x -> Ops.slice(x[0], 0, 1, -1, 2),
                        new double[] {1, 3}, new double[] {0, 1, 0, 1, 0, 0})
                .special("an empty slice", vec(1, 2, 3), x -> Ops.slice(x[0], 0, 2, 2), new double[] {},
                        new double[] {0, 0, 0})
                .special("columns of a matrix", new Tensor[] {Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}})},
                        x -> Ops.slice(x[0], -1, -2, 3), new double[] {2, 3, 5, 6}, new double[] {0, 1, 1, 0, 1, 1});
    }

    private static OpSpec unslice() {
        return new OpSpec("unslice", Unslice.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            int a = axis < 0 ? axis + s.length : axis;
            int size = 1 + rng.nextInt(6);
            int[] b = bounds(rng, size);
            int count = positions(b[0], b[1], b[2]).length;
            s[a] = count;
            Unslice op = new Unslice(axis, b[0], b[2], size);
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, "axis " + axis + ", start " + b[0] + ", step " + b[2] + ", size " + size,
                    new Tensor[] {x}, in -> op.apply(in[0]), in -> refUnslice(in[0], axis, b[0], b[2], size));
        }).special("two values into five zeros", vec(7, 8), x -> new Unslice(0, 1, 3, 5).apply(x[0]),
                new double[] {0, 7, 0, 0, 8}, new double[] {1, 1});
    }

    // ---------------------------------------------------------------- concat

    static Tensor refConcat(Tensor[] xs, int axis) {
        int[] s0 = xs[0].shape();
        int a = axis < 0 ? axis + s0.length : axis;
        int[] ys = s0.clone();
        ys[a] = 0;
        for (Tensor x : xs) ys[a] += x.dim(a);
        double[] out = new double[Shapes.size(ys)];
        for (int i = 0; i < out.length; i++) {
            int[] idx = Ref.unflat(i, ys);
            int which = 0;
            while (idx[a] >= xs[which].dim(a)) idx[a] -= xs[which++].dim(a);
            out[i] = xs[which].get(idx);
        }
        return Tensor.wrap(out, ys);
    }

    private static OpSpec concat() {
        return new OpSpec("concat", Concat.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            int a = axis < 0 ? axis + s.length : axis;
            Tensor[] xs = new Tensor[1 + rng.nextInt(3)];
            StringBuilder sizes = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                int[] si = s.clone();
                si[a] = 1 + rng.nextInt(3);
                sizes.append(i == 0 ? "" : ", ").append(si[a]);
                xs[i] = Gen.tensor(rng, si);
            }
            return new OpCase(spec, "axis " + axis + ", sizes " + sizes, xs, in -> Ops.concat(axis, in),
                    in -> refConcat(in, axis));
        })
                .special("two vectors", new Tensor[] {Tensor.vector(1, 2), Tensor.vector(3)},
                        x -> Ops.mul(Ops.concat(0, x), Tensor.vector(1, 2, 3)), new double[] {1, 4, 9},
                        new double[] {1, 2}, new double[] {3})
                .special("stack builds on concat", new Tensor[] {Tensor.vector(1, 2), Tensor.vector(3, 4)},
                        x -> Ops.stack(1, x), new double[] {1, 3, 2, 4}, new double[] {1, 1}, new double[] {1, 1});
    }

    // ---------------------------------------------------------------- gather and scatter-add

    /** A random index shape of rank 0 to 2 with sizes 1 to 3. */
    private static int[] indexShape(Random rng) {
        return Gen.shape(rng, 0, 2, 3);
    }

    /** Random indices in [0, n), with a forced repeat half of the time. */
    private static int[] indices(Random rng, int count, int n) {
        int[] idx = new int[count];
        for (int p = 0; p < count; p++) idx[p] = rng.nextInt(n);
        if (count > 1 && rng.nextBoolean()) idx[count - 1] = idx[0];
        return idx;
    }

    /** {@code s[:a] + mid + s[a+1:]}. */
    private static int[] replaceAxis(int[] s, int a, int[] mid) {
        int[] out = new int[s.length - 1 + mid.length];
        System.arraycopy(s, 0, out, 0, a);
        System.arraycopy(mid, 0, out, a, mid.length);
        System.arraycopy(s, a + 1, out, a + mid.length, s.length - a - 1);
        return out;
    }

    static Tensor refGather(Tensor x, int axis, int[] indices, int[] indexShape) {
        int[] s = x.shape();
        int a = axis < 0 ? axis + s.length : axis;
        int[] ys = replaceAxis(s, a, indexShape);
        double[] out = new double[Shapes.size(ys)];
        for (int i = 0; i < out.length; i++) {
            int[] yi = Ref.unflat(i, ys);
            int p = 0;
            for (int d = 0; d < indexShape.length; d++) p = p * indexShape[d] + yi[a + d];
            int[] xi = new int[s.length];
            for (int d = 0; d < s.length; d++) {
                xi[d] = d < a ? yi[d] : d == a ? indices[p] : yi[d - 1 + indexShape.length];
            }
            out[i] = x.get(xi);
        }
        return Tensor.wrap(out, ys);
    }

    static Tensor refScatterAdd(Tensor g, int a, int[] indices, int[] indexShape, int[] ys) {
        double[] out = new double[Shapes.size(ys)];
        int[] gs = g.shape();
        for (int i = 0; i < g.size(); i++) {
            int[] gi = Ref.unflat(i, gs);
            int p = 0;
            for (int d = 0; d < indexShape.length; d++) p = p * indexShape[d] + gi[a + d];
            int flat = 0;
            for (int d = 0; d < ys.length; d++) {
                int v = d < a ? gi[d] : d == a ? indices[p] : gi[d - 1 + indexShape.length];
                flat = flat * ys[d] + v;
            }
            out[flat] += g.data()[i];
        }
        return Tensor.wrap(out, ys);
    }

    private static OpSpec gather() {
        return new OpSpec("gather", Gather.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, s.length);
            int a = axis < 0 ? axis + s.length : axis;
            int[] is = indexShape(rng);
            int[] idx = indices(rng, Shapes.size(is), s[a]);
            Tensor x = Gen.tensor(rng, s);
            boolean flat = is.length == 1 && rng.nextBoolean();
            return new OpCase(spec, "axis " + axis + ", indices " + Arrays.toString(idx) + " shaped " + Shapes.str(is),
                    new Tensor[] {x}, in -> flat ? Ops.gather(in[0], axis, idx) : Ops.gather(in[0], axis, idx, is),
                    in -> refGather(in[0], axis, idx, is));
        })
                .special("repeated indices add their gradients", vec(10, 20, 30),
                        x -> Ops.gather(x[0], 0, 2, 0, 2), new double[] {30, 10, 30}, new double[] {1, 0, 2})
                .special("embedding lookup: rows of a table by a [2,2] array of ids",
                        new Tensor[] {Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}})},
                        x -> Ops.gather(x[0], 0, new int[] {2, 0, 2, 2}, new int[] {2, 2}),
                        new double[] {5, 6, 1, 2, 5, 6, 5, 6}, new double[] {1, 1, 0, 0, 3, 3});
    }

    private static OpSpec scatterAdd() {
        return new OpSpec("scatterAdd", ScatterAdd.class, (spec, rng) -> {
            int[] ys = Gen.shape(rng, 1, 3, 4);
            int axis = Gen.axis(rng, ys.length);
            int a = axis < 0 ? axis + ys.length : axis;
            int[] is = indexShape(rng);
            int[] idx = indices(rng, Shapes.size(is), ys[a]);
            ScatterAdd op = new ScatterAdd(axis, idx, is, ys[a]);
            Tensor g = Gen.tensor(rng, replaceAxis(ys, a, is));
            int size = ys[a];
            return new OpCase(spec, "axis " + axis + ", indices " + Arrays.toString(idx) + " shaped " + Shapes.str(is)
                    + ", size " + size, new Tensor[] {g}, in -> op.apply(in[0]), in -> {
                        // The output's shape from the input's, so that inputs of other shapes have a reference too.
                        int[] gs = in[0].shape();
                        int rank = gs.length - is.length + 1;
                        int ay = axis < 0 ? axis + rank : axis;
                        int[] out = new int[rank];
                        for (int d = 0; d < rank; d++) out[d] = d < ay ? gs[d] : d == ay ? size : gs[d - 1 + is.length];
                        return refScatterAdd(in[0], ay, idx, is, out);
                    });
        }).special("repeats add up, unnamed positions stay 0", vec(1, 2, 4),
                x -> new ScatterAdd(0, new int[] {3, 0, 3}, new int[] {3}, 4).apply(x[0]), new double[] {2, 0, 0, 5},
                new double[] {1, 1, 1});
    }

    // ---------------------------------------------------------------- fused layer

    private static OpSpec linear() {
        return new OpSpec("linear", LinearActivation.class, (spec, rng) -> {
            int batch = 1 + rng.nextInt(4);
            int in = 1 + rng.nextInt(4);
            int out = 1 + rng.nextInt(4);
            Nonlinearity phi = Nonlinearity.values()[rng.nextInt(Nonlinearity.values().length)];
            Tensor w = Ops.mul(Gen.tensor(rng, out, in), 1.0 / Math.sqrt(in));
            return new OpCase(spec, phi + ", B " + batch + ", in " + in + ", out " + out,
                    new Tensor[] {Gen.tensor(rng, batch, in), w.detach(), Gen.tensor(rng, out)},
                    x -> Ops.linear(x[0], x[1], x[2], phi), x -> refLinear(x, phi));
        }).special("tanh of one unit: tanh(w x + b)",
                new Tensor[] {Tensor.of(new double[] {0.5}, 1, 1), Tensor.of(new double[] {2}, 1, 1), Tensor.vector(-1)},
                x -> Ops.linear(x[0], x[1], x[2], Nonlinearity.TANH), new double[] {0.0},
                // z = 2·0.5 − 1 = 0, tanh'(0) = 1: ∂/∂x = w = 2, ∂/∂w = x = 0.5, ∂/∂b = 1.
                new double[] {2}, new double[] {0.5}, new double[] {1});
    }

    /** φ(x Wᵀ + b) by the definition, element by element, with java.lang.Math's functions. */
    static Tensor refLinear(Tensor[] in, Nonlinearity phi) {
        double[] x = in[0].data();
        double[] w = in[1].data();
        double[] b = in[2].data();
        int batch = in[0].dim(0);
        int n = in[0].dim(1);
        int out = in[1].dim(0);
        double[] y = new double[batch * out];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < out; j++) {
                double z = b[j];
                for (int k = 0; k < n; k++) z += x[i * n + k] * w[j * n + k];
                switch (phi) {
                    case TANH: z = Math.tanh(z); break;
                    case SIGMOID: z = 1 / (1 + Math.exp(-z)); break;
                    case RELU: z = Math.max(z, 0); break;
                    default: break;
                }
                y[i * out + j] = z;
            }
        }
        return Tensor.of(y, batch, out);
    }

    // ---------------------------------------------------------------- recurrent sequences

    private static OpSpec tanhRnnSequence() {
        return new OpSpec("tanhRnnSequence", TanhRnnSequence.class, (spec, rng) -> {
            int steps = 1 + rng.nextInt(4);
            int batch = 1 + rng.nextInt(3);
            int m = 1 + rng.nextInt(3);
            int n = 1 + rng.nextInt(3);
            // Weights of scale 1/√fan-in keep the pre-activations where tanh is not flat.
            Tensor w = Ops.mul(Gen.tensor(rng, n, n), 1.0 / Math.sqrt(n));
            Tensor u = Ops.mul(Gen.tensor(rng, n, m), 1.0 / Math.sqrt(m));
            return new OpCase(spec, "T " + steps + ", B " + batch + ", m " + m + ", n " + n,
                    new Tensor[] {w.detach(), u.detach(), Gen.tensor(rng, n), Gen.tensor(rng, batch, n),
                        Gen.tensor(rng, steps, batch, m)},
                    in -> Ops.tanhRnnSequence(in[0], in[1], in[2], in[3], in[4]), StructuredSpecs::refTanhRnn);
        }).special("one unit, one step: tanh(w h0 + u x + b)",
                new Tensor[] {Tensor.of(new double[] {0.5}, 1, 1), Tensor.of(new double[] {2}, 1, 1), Tensor.vector(-1),
                    Tensor.of(new double[] {1}, 1, 1), Tensor.of(new double[] {0.25}, 1, 1, 1)},
                x -> Ops.tanhRnnSequence(x[0], x[1], x[2], x[3], x[4]), new double[] {0.0},
                // a = 0: tanh'(0) = 1, so ∂/∂w = h0 = 1, ∂/∂u = x = 0.25, ∂/∂b = 1, ∂/∂h0 = w, ∂/∂x = u.
                new double[] {1}, new double[] {0.25}, new double[] {1}, new double[] {0.5}, new double[] {2});
    }

    /** h_t = tanh(W h_{t−1} + U x_t + b) by the definition, unit by unit. */
    static Tensor refTanhRnn(Tensor[] in) {
        double[] w = in[0].data();
        double[] u = in[1].data();
        double[] b = in[2].data();
        int n = in[0].dim(0);
        int steps = in[4].dim(0);
        int batch = in[4].dim(1);
        int m = in[4].dim(2);
        double[] prev = in[3].data().clone();
        double[] out = new double[steps * batch * n];
        for (int t = 0; t < steps; t++) {
            double[] next = new double[batch * n];
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < n; i++) {
                    double a = b[i];
                    for (int j = 0; j < n; j++) a += w[i * n + j] * prev[r * n + j];
                    for (int j = 0; j < m; j++) a += u[i * m + j] * in[4].data()[(t * batch + r) * m + j];
                    next[r * n + i] = Math.tanh(a);
                }
            }
            System.arraycopy(next, 0, out, t * batch * n, batch * n);
            prev = next;
        }
        return Tensor.wrap(out, steps, batch, n);
    }

    private static OpSpec lstmSequence() {
        return new OpSpec("lstmSequence", LstmSequence.class, (spec, rng) -> {
            int steps = 1 + rng.nextInt(3);
            int batch = 1 + rng.nextInt(2);
            int m = 1 + rng.nextInt(2);
            int n = 1 + rng.nextInt(2);
            Tensor[] in = new Tensor[15];
            for (int g = 0; g < 4; g++) {
                in[g] = Ops.mul(Gen.tensor(rng, n, n), 1.0 / Math.sqrt(n)).detach();
                in[4 + g] = Ops.mul(Gen.tensor(rng, n, m), 1.0 / Math.sqrt(m)).detach();
                in[8 + g] = Gen.tensor(rng, n);
            }
            in[12] = Gen.tensor(rng, batch, n);
            in[13] = Gen.tensor(rng, batch, n);
            in[14] = Gen.tensor(rng, steps, batch, m);
            return new OpCase(spec, "T " + steps + ", B " + batch + ", m " + m + ", n " + n, in,
                    StructuredSpecs::lstmOf, StructuredSpecs::refLstm);
        }).special("one unit, one step, all pre-activations 0: c = c0/2, h = tanh(c)/2",
                lstmZeroInputs(), StructuredSpecs::lstmOf,
                new double[] {Math.tanh(0.5) / 2, 0.5});
    }

    static Tensor lstmOf(Tensor[] in) {
        return Ops.lstmSequence(new Tensor[] {in[0], in[1], in[2], in[3]}, new Tensor[] {in[4], in[5], in[6], in[7]},
                new Tensor[] {in[8], in[9], in[10], in[11]}, in[12], in[13], in[14]);
    }

    /** n = m = B = T = 1, all weights and biases 0, h0 = 0, c0 = 1: every gate 1/2 and c̃ = 0. */
    private static Tensor[] lstmZeroInputs() {
        Tensor[] in = new Tensor[15];
        for (int g = 0; g < 4; g++) {
            in[g] = Tensor.zeros(1, 1);
            in[4 + g] = Tensor.zeros(1, 1);
            in[8 + g] = Tensor.zeros(1);
        }
        in[12] = Tensor.zeros(1, 1);
        in[13] = Tensor.of(new double[] {1}, 1, 1);
        in[14] = Tensor.of(new double[] {0.5}, 1, 1, 1);
        return in;
    }

    /** The LSTM by its definition, unit by unit, with Math.tanh and 1/(1 + e^{−a}). */
    static Tensor refLstm(Tensor[] in) {
        int n = in[0].dim(0);
        int steps = in[14].dim(0);
        int batch = in[14].dim(1);
        int m = in[14].dim(2);
        double[] x = in[14].data();
        double[] h = in[12].data().clone();
        double[] c = in[13].data().clone();
        double[] out = new double[2 * steps * batch * n];
        int cOff = steps * batch * n;
        for (int t = 0; t < steps; t++) {
            double[] hn = new double[batch * n];
            double[] cn = new double[batch * n];
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < n; i++) {
                    double[] act = new double[4];
                    for (int g = 0; g < 4; g++) {
                        double a = in[8 + g].data()[i];
                        for (int j = 0; j < n; j++) a += in[g].data()[i * n + j] * h[r * n + j];
                        for (int j = 0; j < m; j++) a += in[4 + g].data()[i * m + j] * x[(t * batch + r) * m + j];
                        act[g] = g == 3 ? Math.tanh(a) : 1.0 / (1.0 + Math.exp(-a));
                    }
                    cn[r * n + i] = act[0] * c[r * n + i] + act[1] * act[3];
                    hn[r * n + i] = act[2] * Math.tanh(cn[r * n + i]);
                }
            }
            System.arraycopy(hn, 0, out, t * batch * n, batch * n);
            System.arraycopy(cn, 0, out, cOff + t * batch * n, batch * n);
            h = hn;
            c = cn;
        }
        return Tensor.wrap(out, 2, steps, batch, n);
    }

    private static OpSpec gruSequence() {
        return new OpSpec("gruSequence", GruSequence.class, (spec, rng) -> {
            int steps = 1 + rng.nextInt(3);
            int batch = 1 + rng.nextInt(2);
            int m = 1 + rng.nextInt(2);
            int n = 1 + rng.nextInt(2);
            Tensor[] in = new Tensor[11];
            for (int g = 0; g < 3; g++) {
                in[g] = Ops.mul(Gen.tensor(rng, n, n), 1.0 / Math.sqrt(n)).detach();
                in[3 + g] = Ops.mul(Gen.tensor(rng, n, m), 1.0 / Math.sqrt(m)).detach();
                in[6 + g] = Gen.tensor(rng, n);
            }
            in[9] = Gen.tensor(rng, batch, n);
            in[10] = Gen.tensor(rng, steps, batch, m);
            return new OpCase(spec, "T " + steps + ", B " + batch + ", m " + m + ", n " + n, in,
                    StructuredSpecs::gruOf, StructuredSpecs::refGru);
        }).special("one unit, one step, all pre-activations 0: h = h0/2", gruZeroInputs(), StructuredSpecs::gruOf,
                new double[] {0.5});
    }

    static Tensor gruOf(Tensor[] in) {
        return Ops.gruSequence(new Tensor[] {in[0], in[1], in[2]}, new Tensor[] {in[3], in[4], in[5]},
                new Tensor[] {in[6], in[7], in[8]}, in[9], in[10]);
    }

    /** n = m = B = T = 1, weights and biases 0, h0 = 1: z = r = 1/2, ñ = 0, so h = 1/2. */
    private static Tensor[] gruZeroInputs() {
        Tensor[] in = new Tensor[11];
        for (int g = 0; g < 3; g++) {
            in[g] = Tensor.zeros(1, 1);
            in[3 + g] = Tensor.zeros(1, 1);
            in[6 + g] = Tensor.zeros(1);
        }
        in[9] = Tensor.of(new double[] {1}, 1, 1);
        in[10] = Tensor.of(new double[] {0.5}, 1, 1, 1);
        return in;
    }

    /** The GRU by its definition, unit by unit, with Math.tanh and 1/(1 + e^{−a}). */
    static Tensor refGru(Tensor[] in) {
        int n = in[0].dim(0);
        int steps = in[10].dim(0);
        int batch = in[10].dim(1);
        int m = in[10].dim(2);
        double[] x = in[10].data();
        double[] h = in[9].data().clone();
        double[] out = new double[steps * batch * n];
        for (int t = 0; t < steps; t++) {
            double[] hn = new double[batch * n];
            for (int r = 0; r < batch; r++) {
                double[] z = new double[n];
                double[] rg = new double[n];
                for (int i = 0; i < n; i++) {
                    double az = in[6].data()[i];
                    double ar = in[7].data()[i];
                    for (int j = 0; j < n; j++) {
                        az += in[0].data()[i * n + j] * h[r * n + j];
                        ar += in[1].data()[i * n + j] * h[r * n + j];
                    }
                    for (int j = 0; j < m; j++) {
                        az += in[3].data()[i * m + j] * x[(t * batch + r) * m + j];
                        ar += in[4].data()[i * m + j] * x[(t * batch + r) * m + j];
                    }
                    z[i] = 1.0 / (1.0 + Math.exp(-az));
                    rg[i] = 1.0 / (1.0 + Math.exp(-ar));
                }
                for (int i = 0; i < n; i++) {
                    double an = in[8].data()[i];
                    for (int j = 0; j < n; j++) an += in[2].data()[i * n + j] * rg[j] * h[r * n + j];
                    for (int j = 0; j < m; j++) an += in[5].data()[i * m + j] * x[(t * batch + r) * m + j];
                    double cand = Math.tanh(an);
                    hn[r * n + i] = (1 - z[i]) * cand + z[i] * h[r * n + i];
                }
            }
            System.arraycopy(hn, 0, out, t * batch * n, batch * n);
            h = hn;
        }
        return Tensor.wrap(out, steps, batch, n);
    }
}
