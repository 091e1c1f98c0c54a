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
 * per row, the result has the logits' shape without the last axis (no reduction over rows). Per row,
 * with m the maximum, {@code d = z - m}, {@code s = Σ_c exp d_c}, {@code p = softmax(z)} and
 * {@code -log p_c = log s - d_c} (see {@link SoftmaxRows} for how each is kept within a few ulps):
 *
 * <ul>
 *   <li>against class indices (one input, the logits; one label per row):
 *       <pre>
 *   y = log s - d[label]
 *   VJP: dz = g (p - onehot(label))          JVP: t_y = Σ_c p_c t_c - t[label]
 *       </pre></li>
 *   <li>against targets of the logits' shape (two inputs: logits, targets; one-hot or any
 *       distribution, differentiable in both):
 *       <pre>
 *   y = -Σ_c t_c log p_c = Σ_c t_c (log s - d_c)
 *   VJP: dz = g ((Σt) p - t),   dt = -g log p
 *   JVP: t_y = Σ_c ((Σt) p_c - t_c) ṫz_c - Σ_c log p_c ṫt_c
 *       </pre></li>
 * </ul>
 *
 * <p>The loss is never {@code lse - z[label]}, a difference of two huge numbers: {@code z = [1e16, 1e16]}
 * costs ln 2, not 0, and {@code [1000, 0]} with label 1 costs exactly 1000. Where the softmax at the
 * label is close to 1, {@code 1 - p} is the mass of the other classes, not a difference:
 * {@code z = [0, -40]} with label 0 costs 4.25e-18 with the gradient {@code [-4.25e-18, 4.25e-18]}.
 * The JVPs use {@code Σ p = 1} the same way ({@code Σ_c p_c t_c - t_l = Σ_{c≠l} p_c (t_c - t_l)}).
 * Infinite logits follow {@link SoftmaxRows}: a label at a +∞ logit shared by c classes costs ln c, a
 * label below a +∞ logit or at a -∞ one costs +∞, a row of -∞ is uniform (costs ln n); a zero target
 * adds nothing to the loss even where {@code log p = -∞} (the convention {@code 0 · log 0 = 0} of
 * cross-entropy and KL divergence), while {@code ∂y/∂t = -log p} is +∞ there and a cotangent or
 * tangent of 0 times it is NaN, as everywhere in the engine. NaN makes its row NaN.
 *
 * <p>The forward pass saves p and, per row, the maximum and log s for the plain backward pass and the
 * JVP; the recorded backward pass builds the same formulas from primitives and the recorded
 * {@link Softmax} and {@link LogSoftmax} of z, so gradients of gradients are exact. A label outside
 * {@code [0, classes)} throws an {@link IndexOutOfBoundsException}.
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

    /** What forward keeps for the plain backward pass and the JVP: softmax p and, per row, argmax, mass outside it, log s. */
    private record Rows(double[] p, int[] k, double[] rest, double[] logS) {
        /** {@code -log p} of entry c of row r (at offset b) of z. */
        double negLogP(double[] z, int r, int b, int c) {
            return SoftmaxRows.negLogP(z[b + c], z[b + k[r]], logS[r]);
        }

        /** The probability mass of row r outside its maximum: {@code 1 - p_k}, without cancellation. */
        double complement(int r) {
            return rest[r] / (1 + rest[r]);
        }
    }

    /** p, the argmax, the mass outside it and log s for every row of z. */
    private static Rows rows(double[] z, int classes) {
        int rows = classes == 0 ? 0 : z.length / classes;
        int[] off = new int[classes];
        for (int c = 0; c < classes; c++) off[c] = c;
        double[] p = new double[z.length];
        int[] k = new int[rows];
        double[] rest = new double[rows];
        double[] logS = new double[rows];
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            k[r] = SoftmaxRows.argmax(z, b, off);
            if (k[r] < 0) continue;
            rest[r] = SoftmaxRows.probabilities(z, b, off, k[r], p, b);
            logS[r] = StrictMath.log1p(rest[r]);
        }
        return new Rows(p, k, rest, logS);
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        double[] z = x[0].data();
        double[] t = labels == null ? x[1].data() : null;
        int classes = x[0].dim(-1);
        int rows = Shapes.size(shape);
        Rows f = rows(z, classes);
        double[] loss = new double[rows];
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            if (classes == 0) continue; // no classes (targets only): an empty sum, 0
            if (labels != null) {
                loss[r] = f.negLogP(z, r, b, labels[r]);
            } else {
                // Σ t (log s - d): nonnegative terms for nonnegative targets, no cancellation.
                double m = z[b + f.k()[r]];
                double acc = 0;
                for (int c = 0; c < classes; c++) acc += SoftmaxRows.weightedNegLogP(t[b + c], z[b + c], m, f.logS()[r]);
                loss[r] = acc;
            }
        }
        if (saved != Saved.DISCARD) saved.put(f);
        return Tensor.wrap(loss, shape);
    }

    /** The saved rows, or recomputed when forward ran without saving. */
    private static Rows rows(Saved saved, Tensor logits) {
        Rows f = saved.get();
        return f != null ? f : rows(logits.data(), logits.dim(-1));
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
                int l = labels[r];
                double others = 0; // 1 - p_l as the mass of the other classes
                for (int c = 0; c < classes; c++) {
                    dz[b + c] = gd[r] * p[b + c];
                    if (c != l) others += p[b + c];
                }
                dz[b + l] = -gd[r] * others;
            }
            return new Tensor[] {Tensor.wrap(dz, logits.shape())};
        }
        double[] z = logits.data();
        double[] t = node.input(1).data();
        double[] dz = node.needsGrad(0) ? new double[p.length] : null;
        double[] dt = node.needsGrad(1) ? new double[p.length] : null;
        double[] slope = new double[classes];
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            if (classes == 0) continue;
            if (dz != null) {
                targetSlope(f, r, t, b, classes, slope);
                for (int c = 0; c < classes; c++) dz[b + c] = gd[r] * slope[c];
            }
            if (dt != null) {
                for (int c = 0; c < classes; c++) dt[b + c] = gd[r] * f.negLogP(z, r, b, c);
            }
        }
        return new Tensor[] {dz == null ? null : Tensor.wrap(dz, logits.shape()),
                dt == null ? null : Tensor.wrap(dt, logits.shape())};
    }

    /**
     * {@code ∂y/∂z = (Σt) p - t} of row r into slope, with the entry at the maximum k as
     * {@code Σ_{c≠k} t_c - (Σt)(1 - p_k)}: one-hot targets at a dominant class do not cancel.
     */
    private static void targetSlope(Rows f, int r, double[] t, int b, int classes, double[] slope) {
        int k = f.k()[r];
        double total = 0;
        double others = 0;
        for (int c = 0; c < classes; c++) {
            total += t[b + c];
            if (c != k) others += t[b + c];
        }
        for (int c = 0; c < classes; c++) slope[c] = total * f.p()[b + c] - t[b + c];
        slope[k] = others - total * f.complement(r);
    }

    /** The VJP from primitives applied to the recorded inputs, for gradients of gradients. */
    private Tensor[] recordedVjp(Tensor g, Node node) {
        Tensor z = node.input(0);
        Tensor gRow = Ops.expandDims(g, -1);
        int[] last = {z.rank() - 1};
        if (labels != null) {
            // g (p - onehot) = -g (onehot Σ_{c≠l} p_c - (1 - onehot) p)
            Tensor p = Ops.softmax(z, -1);
            return new Tensor[] {Ops.neg(Ops.mul(gRow, SoftmaxRows.lessOneHot(p, oneHot(z.shape()), last)))};
        }
        Tensor t = node.input(1);
        Tensor dz = null;
        if (node.needsGrad(0)) {
            Tensor p = Ops.softmax(z, -1);
            // (Σt) p - t = ((Σt) mask - t) - (Σt)(mask - p), mask at each row's maximum
            Tensor mask = SoftmaxRows.argmaxMask(z, Slices.along(z.shape(), last[0]));
            Tensor slope = Ops.sub(SoftmaxRows.lessOneHot(t, mask, last),
                    Ops.mul(Ops.sumKeepDims(t, -1), SoftmaxRows.lessOneHot(p, mask, last)));
            dz = Ops.mul(gRow, slope);
        }
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
        if (classes == 0) return Tensor.wrap(out, Shapes.prepend(k, y.shape()));
        if (labels != null) {
            for (int d = 0; d < k; d++) {
                for (int r = 0, b = 0; r < rows; r++, b += classes) {
                    int o = d * size + b;
                    int l = labels[r];
                    // Σ_c p_c t_c - t_l = Σ_{c≠l} p_c (t_c - t_l), as Σ p = 1
                    double acc = 0;
                    for (int c = 0; c < classes; c++) {
                        if (c != l) acc += p[b + c] * (tz[o + c] - tz[o + l]);
                    }
                    out[d * rows + r] = acc;
                }
            }
            return Tensor.wrap(out, Shapes.prepend(k, y.shape()));
        }
        double[] z = x[0].data();
        double[] q = x[1].data();
        double[] slope = new double[classes];
        double[] negLogP = new double[classes];
        for (int r = 0, b = 0; r < rows; r++, b += classes) {
            targetSlope(f, r, q, b, classes, slope);
            for (int c = 0; c < classes; c++) negLogP[c] = f.negLogP(z, r, b, c);
            for (int d = 0; d < k; d++) {
                int o = d * size + b;
                double acc = 0;
                if (tz != null) {
                    for (int c = 0; c < classes; c++) acc += slope[c] * tz[o + c];
                }
                if (tt != null) {
                    for (int c = 0; c < classes; c++) acc += negLogP[c] * tt[o + c];
                }
                out[d * rows + r] = acc;
            }
        }
        return Tensor.wrap(out, Shapes.prepend(k, y.shape()));
    }
}
