package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Arrays;

/**
 * The cross-entropy of {@code softmax(z)} over the last axis (the classes), fused and stable: one loss
 * per row, the result has the logits' shape without the last axis (no reduction over rows). With
 * {@code lse = log Σ_c exp z_c} (computed as {@code m + log Σ exp(z - m)}), {@code p = softmax(z)} and
 * {@code log p = z - lse}, both per row:
 *
 * <ul>
 *   <li>against class indices (one input, the logits; one label per row):
 *       <pre>
 *   y = lse - z[label]
 *   VJP: dz = g (p - onehot(label))          JVP: t_y = Σ_c p_c t_c - t[label]
 *       </pre></li>
 *   <li>against targets of the logits' shape (two inputs: logits, targets; one-hot or any
 *       distribution, differentiable in both):
 *       <pre>
 *   y = -Σ_c t_c log p_c = Σ_c t_c (lse - z_c) = (Σt) lse - Σ t z
 *   VJP: dz = g ((Σt) p - t),   dt = -g log p
 *   JVP: t_y = Σ_c ((Σt) p_c - t_c) ṫz_c + Σ_c (lse - z_c) ṫt_c
 *       </pre></li>
 * </ul>
 *
 * <p>Logits of ±1000 give finite, exact losses and gradients: {@code z = [1000, 0]} with label 1 costs
 * 1000, gradient {@code [1, -1]}. The forward pass saves p and lse for the plain backward pass; the
 * recorded one recomputes them with {@link Softmax} and {@link LogSoftmax} so that gradients of
 * gradients are exact. A label outside {@code [0, classes)} throws an {@link IndexOutOfBoundsException}.
 */
final class SoftmaxCrossEntropy extends Primitive {
    /** The class index of each row; null when the targets are the second input. */
    private final int[] labels;

    SoftmaxCrossEntropy(int[] labels) {
        if (labels == null) throw new NullPointerException("softmaxCrossEntropy: labels are null");
        this.labels = labels.clone();
    }

    SoftmaxCrossEntropy() {
        this.labels = null;
    }

    @Override
    public String name() {
        return "softmaxCrossEntropy";
    }

    @Override
    public int arity() {
        return labels == null ? 2 : 1;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] zs = x[0].shape();
        if (zs.length == 0) {
            throw new ShapeException("softmaxCrossEntropy: logits of shape [] have no class axis; they need rank >= 1");
        }
        int classes = zs[zs.length - 1];
        int[] out = Arrays.copyOf(zs, zs.length - 1);
        if (labels != null) {
            int rows = Shapes.size(out);
            if (labels.length != rows) {
                throw new ShapeException("softmaxCrossEntropy: " + labels.length + " labels for logits of shape "
                        + Shapes.str(zs) + ", which has " + rows + " rows (one label per row)");
            }
            for (int r = 0; r < rows; r++) {
                if (labels[r] < 0 || labels[r] >= classes) {
                    throw new IndexOutOfBoundsException("softmaxCrossEntropy: label " + labels[r] + " of row " + r
                            + " is out of range for " + classes + " classes (logits of shape " + Shapes.str(zs) + ")");
                }
            }
        } else if (!x[1].hasShape(zs)) {
            throw new ShapeException("softmaxCrossEntropy: targets of shape " + Shapes.str(x[1].shape())
                    + " differ from logits of shape " + Shapes.str(zs));
        }
        return out;
    }

    /** What forward keeps for the plain backward pass and the JVP: softmax p and, per row, lse. */
    private record Rows(double[] p, double[] lse) {}

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] z = x[0].data();
        double[] t = labels == null ? x[1].data() : null;
        int classes = x[0].dim(-1);
        int rows = Shapes.size(shape);
        // Plain evaluation saves nothing, so it does not pay for p.
        double[] p = saved == Saved.DISCARD ? null : new double[z.length];
        double[] lse = new double[rows];
        double[] loss = new double[rows];
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            double l = logSumExp(z, b, classes, p);
            lse[r] = l;
            if (labels != null) {
                loss[r] = l - z[b + labels[r]];
            } else {
                // Σ t (lse - z) rather than (Σt) lse - Σ t z: no cancellation between large terms.
                double acc = 0;
                for (int c = 0; c < classes; c++) acc += t[b + c] * (l - z[b + c]);
                loss[r] = acc;
            }
        }
        if (p != null) saved.put(new Rows(p, lse));
        return Tensor.wrap(loss, shape);
    }

    /** {@code log Σ exp z} over {@code z[b, b + n)}, stably; fills {@code p[b, b + n)} with the softmax if p is non-null. */
    private static double logSumExp(double[] z, int b, int n, double[] p) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = b; c < b + n; c++) {
            if (z[c] > m || z[c] != z[c]) m = z[c];
        }
        double sum = 0;
        for (int c = b; c < b + n; c++) {
            double e = StrictMath.exp(z[c] - m);
            if (p != null) p[c] = e;
            sum += e;
        }
        if (p != null) {
            for (int c = b; c < b + n; c++) p[c] /= sum;
        }
        return m + StrictMath.log(sum);
    }

    /** The saved rows, or recomputed when forward ran without saving. */
    private static Rows rows(Saved saved, Tensor logits) {
        Rows f = saved.get();
        if (f != null) return f;
        double[] z = logits.data();
        int classes = logits.dim(-1);
        int rows = Shapes.size(Arrays.copyOf(logits.shape(), logits.rank() - 1));
        double[] p = new double[z.length];
        double[] lse = new double[rows];
        for (int r = 0; r < rows; r++) lse[r] = logSumExp(z, r * classes, classes, p);
        return new Rows(p, lse);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        if (node.creatingGraph()) return recordedVjp(g, node);
        Tensor logits = node.input(0);
        Rows f = rows(node, logits);
        double[] gd = g.data();
        double[] p = f.p();
        int classes = logits.dim(-1);
        int rows = gd.length;
        if (labels != null) {
            double[] dz = new double[p.length];
            for (int r = 0, b = 0; r < rows; r++, b += classes) {
                for (int c = 0; c < classes; c++) dz[b + c] = gd[r] * p[b + c];
                dz[b + labels[r]] = gd[r] * (p[b + labels[r]] - 1.0);
            }
            return new Tensor[] {Tensor.wrap(dz, logits.shape())};
        }
        double[] z = logits.data();
        double[] t = node.input(1).data();
        double[] dz = node.needsGrad(0) ? new double[p.length] : null;
        double[] dt = node.needsGrad(1) ? new double[p.length] : null;
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            if (dz != null) {
                double tSum = 0;
                for (int c = b; c < b + classes; c++) tSum += t[c];
                for (int c = b; c < b + classes; c++) dz[c] = gd[r] * (tSum * p[c] - t[c]);
            }
            if (dt != null) {
                // -log p = lse - z, exact where p itself underflows to 0.
                for (int c = b; c < b + classes; c++) dt[c] = gd[r] * (f.lse()[r] - z[c]);
            }
        }
        return new Tensor[] {dz == null ? null : Tensor.wrap(dz, logits.shape()),
                dt == null ? null : Tensor.wrap(dt, logits.shape())};
    }

    /** The VJP from primitives applied to the recorded inputs, for gradients of gradients. */
    private Tensor[] recordedVjp(Tensor g, Node node) {
        Tensor z = node.input(0);
        Tensor gRow = Ops.expandDims(g, -1);
        if (labels != null) {
            return new Tensor[] {Ops.mul(gRow, Ops.sub(Ops.softmax(z, -1), oneHot(z.shape())))};
        }
        Tensor t = node.input(1);
        Tensor dz = node.needsGrad(0)
                ? Ops.mul(gRow, Ops.sub(Ops.mul(Ops.sumKeepDims(t, -1), Ops.softmax(z, -1)), t)) : null;
        Tensor dt = node.needsGrad(1) ? Ops.neg(Ops.mul(gRow, Ops.logSoftmax(z, -1))) : null;
        return new Tensor[] {dz, dt};
    }

    private Tensor oneHot(int[] shape) {
        int classes = shape[shape.length - 1];
        double[] h = new double[Shapes.size(shape)];
        for (int r = 0; r < labels.length; r++) h[r * classes + labels[r]] = 1.0;
        return Tensor.wrap(h, shape);
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        if (t[0] == null && (t.length < 2 || t[1] == null)) return null;
        Rows f = rows(saved, x[0]);
        double[] p = f.p();
        int classes = x[0].dim(-1);
        int rows = y.size();
        int size = p.length;
        double[] tz = t[0] == null ? null : t[0].data();
        double[] tt = t.length > 1 && t[1] != null ? t[1].data() : null;
        int k = Tangents.k(t[0] != null ? t[0] : t[1]);
        double[] out = new double[k * rows];
        if (labels != null) {
            for (int d = 0; d < k; d++) {
                for (int r = 0, b = 0; r < rows; r++, b += classes) {
                    int o = d * size + b;
                    double acc = 0;
                    for (int c = 0; c < classes; c++) acc += p[b + c] * tz[o + c];
                    out[d * rows + r] = acc - tz[o + labels[r]];
                }
            }
            return Tensor.wrap(out, Shapes.prepend(k, y.shape()));
        }
        double[] z = x[0].data();
        double[] q = x[1].data();
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            double qSum = 0;
            for (int c = b; c < b + classes; c++) qSum += q[c];
            double lse = f.lse()[r];
            for (int d = 0; d < k; d++) {
                int o = d * size;
                double acc = 0;
                if (tz != null) {
                    for (int c = b; c < b + classes; c++) acc += (qSum * p[c] - q[c]) * tz[o + c];
                }
                if (tt != null) {
                    for (int c = b; c < b + classes; c++) acc += (lse - z[c]) * tt[o + c];
                }
                out[d * rows + r] = acc;
            }
        }
        return Tensor.wrap(out, Shapes.prepend(k, y.shape()));
    }
}
