package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Spec rows of the shape ops, the plain reductions and matmul. */
final class ShapeSpecs {
    private ShapeSpecs() {}

    static List<OpSpec> all() {
        return List.of(reshape(), permute(), broadcastTo(), sumTo(), sum(), mean(), matmul());
    }

    private static OpSpec reshape() {
        return new OpSpec("reshape", Reshape.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            Tensor x = Gen.tensor(rng, s);
            int[] target = factor(rng, x.size());
            if (target.length > 0 && rng.nextBoolean()) target[rng.nextInt(target.length)] = -1;
            int[] t = target;
            return new OpCase(spec, Shapes.str(t), new Tensor[] {x}, in -> Ops.reshape(in[0], t),
                    in -> Tensor.wrap(in[0].toArray(), resolve(t, in[0].size())));
        });
    }

    /** A random shape with n elements. */
    static int[] factor(Random rng, int n) {
        java.util.ArrayList<Integer> dims = new java.util.ArrayList<>();
        int left = n;
        for (int d = 2; d <= left; d++) {
            while (left % d == 0 && rng.nextBoolean()) {
                dims.add(d);
                left /= d;
            }
        }
        if (left > 1) dims.add(left);
        if (rng.nextBoolean()) dims.add(rng.nextInt(dims.size() + 1), 1);
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] resolve(int[] s, int n) {
        int[] r = s.clone();
        int known = 1;
        int at = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) at = i;
            else known *= r[i];
        }
        if (at >= 0) r[at] = n / known;
        return r;
    }

    private static OpSpec permute() {
        return new OpSpec("transpose", Transpose.class, (spec, rng) -> {
            int[] s = Gen.shape(rng, 1, 4, 4);
            Tensor x = Gen.tensor(rng, s);
            int[] perm = new int[s.length];
            for (int i = 0; i < perm.length; i++) perm[i] = i;
            for (int i = perm.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            return new OpCase(spec, Shapes.str(perm), new Tensor[] {x}, in -> Ops.permute(in[0], perm),
                    in -> refPermute(in[0], perm));
        }).special("transpose of a 2x3 matrix", new Tensor[] {Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)},
                x -> Ops.transpose(x[0]), new double[] {1, 4, 2, 5, 3, 6});
    }

    static Tensor refPermute(Tensor x, int[] perm) {
        int[] xs = x.shape();
        int[] ys = new int[perm.length];
        for (int j = 0; j < perm.length; j++) ys[j] = xs[perm[j]];
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            int[] yi = Ref.unflat(i, ys);
            int[] xi = new int[xs.length];
            for (int j = 0; j < perm.length; j++) xi[perm[j]] = yi[j];
            out[i] = x.get(xi);
        }
        return Tensor.wrap(out, ys);
    }

    private static OpSpec broadcastTo() {
        return new OpSpec("broadcastTo", BroadcastTo.class, (spec, rng) -> {
            int[] out = Gen.shape(rng);
            int[] s = Gen.broadcastable(rng, out);
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, Shapes.str(out), new Tensor[] {x}, in -> Ops.broadcastTo(in[0], out),
                    in -> {
                        double[] o = new double[Shapes.size(out)];
                        for (int i = 0; i < o.length; i++) o[i] = Ref.at(in[0], Ref.unflat(i, out));
                        return Tensor.wrap(o, out);
                    });
        });
    }

    private static OpSpec sumTo() {
        return new OpSpec("sumTo", SumTo.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            int[] target = Gen.broadcastable(rng, s);
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, Shapes.str(target), new Tensor[] {x}, in -> Ops.sumTo(in[0], target),
                    in -> refSumTo(in[0], target));
        });
    }

    static Tensor refSumTo(Tensor x, int[] target) {
        int[] s = x.shape();
        double[] out = new double[Shapes.size(target)];
        int off = s.length - target.length;
        for (int i = 0; i < x.size(); i++) {
            int[] idx = Ref.unflat(i, s);
            int flat = 0;
            for (int j = 0; j < target.length; j++) flat = flat * target[j] + (target[j] == 1 ? 0 : idx[j + off]);
            out[flat] += x.data()[i];
        }
        return Tensor.wrap(out, target);
    }

    /** Reference reduction: sum (or mean) over axes, naive. */
    static Tensor refReduce(Tensor x, int[] axes, boolean keep, boolean mean) {
        int[] s = x.shape();
        boolean[] red = new boolean[s.length];
        if (axes == null || axes.length == 0) Arrays.fill(red, true);
        else for (int a : axes) red[a < 0 ? a + s.length : a] = true;
        int[] kept = s.clone();
        int count = 1;
        for (int i = 0; i < s.length; i++) {
            if (red[i]) {
                kept[i] = 1;
                count *= s[i];
            }
        }
        Tensor summed = refSumTo(x, kept);
        double[] d = summed.toArray();
        if (mean) for (int i = 0; i < d.length; i++) d[i] /= count;
        if (keep) return Tensor.wrap(d, kept);
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < s.length; i++) if (!red[i]) out.add(s[i]);
        return Tensor.wrap(d, out.stream().mapToInt(Integer::intValue).toArray());
    }

    private static OpSpec sum() {
        return new OpSpec("sum", Sum.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            int[] axes = Gen.axes(rng, s.length);
            boolean keep = rng.nextBoolean();
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, "axes " + Gen.str(axes) + (keep ? ", keepDims" : ""), new Tensor[] {x},
                    in -> keep ? Ops.sumKeepDims(in[0], axes == null ? new int[0] : axes)
                            : axes == null ? Ops.sum(in[0]) : Ops.sum(in[0], axes),
                    in -> refReduce(in[0], axes, keep, false));
        });
    }

    private static OpSpec mean() {
        return new OpSpec("mean", Mean.class, (spec, rng) -> {
            int[] s = Gen.shape(rng);
            int[] axes = Gen.axes(rng, s.length);
            boolean keep = rng.nextBoolean();
            Tensor x = Gen.tensor(rng, s);
            return new OpCase(spec, "axes " + Gen.str(axes) + (keep ? ", keepDims" : ""), new Tensor[] {x},
                    in -> keep ? Ops.meanKeepDims(in[0], axes == null ? new int[0] : axes)
                            : axes == null ? Ops.mean(in[0]) : Ops.mean(in[0], axes),
                    in -> refReduce(in[0], axes, keep, true));
        });
    }

    private static OpSpec matmul() {
        return new OpSpec("matmul", MatMul.class, (spec, rng) -> {
            int m = 1 + rng.nextInt(4);
            int k = 1 + rng.nextInt(4);
            int n = 1 + rng.nextInt(4);
            boolean ta = rng.nextBoolean();
            boolean tb = rng.nextBoolean();
            int[][] batch = rng.nextInt(3) == 0 ? new int[][] {{}, {}} : Gen.broadcastPair(rng);
            if (batch[0].length > 2) batch[0] = Arrays.copyOfRange(batch[0], batch[0].length - 2, batch[0].length);
            if (batch[1].length > 2) batch[1] = Arrays.copyOfRange(batch[1], batch[1].length - 2, batch[1].length);
            int[] sa = concat(batch[0], ta ? new int[] {k, m} : new int[] {m, k});
            int[] sb = concat(batch[1], tb ? new int[] {n, k} : new int[] {k, n});
            Tensor a = Gen.tensor(rng, sa);
            Tensor b = Gen.tensor(rng, sb);
            // Vectors: the facade's promotion, for unbatched untransposed operands, some of the time.
            boolean vecA = batch[0].length == 0 && !ta && m == 1 && rng.nextBoolean();
            boolean vecB = batch[1].length == 0 && !tb && n == 1 && rng.nextBoolean();
            Tensor ax = vecA ? Ops.reshape(a, k) : a;
            Tensor bx = vecB ? Ops.reshape(b, k) : b;
            return new OpCase(spec, (ta ? "Aᵀ" : "A") + (tb ? "Bᵀ" : "B"), new Tensor[] {ax, bx},
                    in -> Ops.matmul(in[0], in[1], ta, tb),
                    in -> refMatmul(in[0], in[1], ta, tb));
        }).special("2x2 product", new Tensor[] {Tensor.matrix(new double[][] {{1, 2}, {3, 4}}),
                        Tensor.matrix(new double[][] {{5, 6}, {7, 8}})},
                x -> Ops.matmul(x[0], x[1]), new double[] {19, 22, 43, 50},
                new double[] {11, 15, 11, 15}, new double[] {4, 4, 6, 6});
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Naive batched product with NumPy's vector promotion. */
    static Tensor refMatmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        boolean va = a.rank() == 1;
        boolean vb = b.rank() == 1;
        // As the facade: a vector is a row on the left, a column on the right, and is not transposed.
        ta = ta && !va;
        tb = tb && !vb;
        int[] sa = va ? new int[] {1, a.dim(0)} : a.shape();
        int[] sb = vb ? new int[] {b.dim(0), 1} : b.shape();
        Tensor a2 = Tensor.wrap(a.toArray(), sa);
        Tensor b2 = Tensor.wrap(b.toArray(), sb);
        int m = ta ? sa[sa.length - 1] : sa[sa.length - 2];
        int k = ta ? sa[sa.length - 2] : sa[sa.length - 1];
        int n = tb ? sb[sb.length - 2] : sb[sb.length - 1];
        int[] batch = Ref.broadcastShape(Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
        int[] out = concat(batch, new int[] {m, n});
        double[] c = new double[Shapes.size(out)];
        for (int flat = 0; flat < c.length; flat++) {
            int[] idx = Ref.unflat(flat, out);
            int i = idx[idx.length - 2];
            int j = idx[idx.length - 1];
            double acc = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = idx.clone();
                ia[ia.length - 2] = ta ? p : i;
                ia[ia.length - 1] = ta ? i : p;
                int[] ib = idx.clone();
                ib[ib.length - 2] = tb ? j : p;
                ib[ib.length - 1] = tb ? p : j;
                acc += Ref.at(a2, ia) * Ref.at(b2, ib);
            }
            c[flat] = acc;
        }
        if (!va && !vb) return Tensor.wrap(c, out);
        java.util.ArrayList<Integer> s = new java.util.ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (va && i == out.length - 2) continue;
            if (vb && i == out.length - 1) continue;
            s.add(out[i]);
        }
        return Tensor.wrap(c, s.stream().mapToInt(Integer::intValue).toArray());
    }
}
