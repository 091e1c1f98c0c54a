package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;

/**
 * Matrix product over the last two axes, batched over the leading ones with broadcasting (NumPy's
 * {@code matmul} for inputs of rank ≥ 2): {@code C = op(A) op(B)}, where op transposes the last two
 * axes when the flag is set, so transposed products never copy.
 *
 * <p>VJP, for G = ∂L/∂C (each then summed over broadcast batch axes):
 * <pre>
 *   C = A B     : dA = G Bᵀ,    dB = Aᵀ G
 *   C = A Bᵀ    : dA = G B,     dB = Gᵀ A
 *   C = Aᵀ B    : dA = B Gᵀ,    dB = A G
 *   C = Aᵀ Bᵀ   : dA = Bᵀ Gᵀ,   dB = Gᵀ Aᵀ
 * </pre>
 * each itself a MatMul with flags. JVP: {@code op(t_A) op(B) + op(A) op(t_B)}, batched over the
 * tangent axis.
 */
final class MatMul extends Primitive {
    static final MatMul NN = new MatMul(false, false);
    static final MatMul NT = new MatMul(false, true);
    static final MatMul TN = new MatMul(true, false);
    static final MatMul TT = new MatMul(true, true);

    private final boolean transA;
    private final boolean transB;

    private MatMul(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    static MatMul of(boolean transA, boolean transB) {
        return transA ? (transB ? TT : TN) : (transB ? NT : NN);
    }

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] a = x[0].shape();
        int[] b = x[1].shape();
        if (a.length < 2 || b.length < 2) {
            throw new ShapeException("matmul: inputs need rank >= 2 (got " + Shapes.str(a) + " x " + Shapes.str(b)
                    + "); Ops.matmul promotes vectors");
        }
        int m = transA ? a[a.length - 1] : a[a.length - 2];
        int ka = transA ? a[a.length - 2] : a[a.length - 1];
        int kb = transB ? b[b.length - 1] : b[b.length - 2];
        int n = transB ? b[b.length - 2] : b[b.length - 1];
        if (ka != kb) {
            throw new ShapeException("matmul: inner dimensions differ: " + Shapes.str(a) + (transA ? "ᵀ" : "") + " x "
                    + Shapes.str(b) + (transB ? "ᵀ" : ""));
        }
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", java.util.Arrays.copyOf(a, a.length - 2),
                    java.util.Arrays.copyOf(b, b.length - 2));
        } catch (ShapeException e) {
            throw new ShapeException("matmul: batch " + e.getMessage().substring("matmul: ".length()) + " in "
                    + Shapes.str(a) + " x " + Shapes.str(b));
        }
        int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        return out;
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int[] a = x[0].shape();
        int[] b = x[1].shape();
        int r = shape.length;
        int m = shape[r - 2];
        int n = shape[r - 1];
        int k = transA ? a[a.length - 2] : a[a.length - 1];
        int lda = a[a.length - 1];
        int ldb = b[b.length - 1];
        double[] c = Allocation.doubles("matmul", shape);
        int batches = c.length == 0 ? 0 : c.length / (m * n);
        if (batches == 1 && a.length == 2 && b.length == 2) {
            Gemm.gemm(transA, transB, m, n, k, 1.0, x[0].data(), 0, lda, x[1].data(), 0, ldb, 0.0, c, 0, n);
            return Tensor.wrap(c, shape);
        }
        int[] batch = java.util.Arrays.copyOf(shape, r - 2);
        int[] sa = Strided.broadcastStrides(java.util.Arrays.copyOf(a, a.length - 2), batch);
        int[] sb = Strided.broadcastStrides(java.util.Arrays.copyOf(b, b.length - 2), batch);
        int matA = a[a.length - 2] * a[a.length - 1];
        int matB = b[b.length - 2] * b[b.length - 1];
        int[] idx = new int[batch.length];
        int offA = 0;
        int offB = 0;
        for (int bi = 0; bi < batches; bi++) {
            Gemm.gemm(transA, transB, m, n, k, 1.0, x[0].data(), offA * matA, lda, x[1].data(), offB * matB, ldb, 0.0,
                    c, bi * m * n, n);
            for (int ax = batch.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                offA += sa[ax];
                offB += sb[ax];
                if (idx[ax] < batch[ax]) break;
                offA -= sa[ax] * batch[ax];
                offB -= sb[ax] * batch[ax];
                idx[ax] = 0;
            }
        }
        return Tensor.wrap(c, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor a = node.input(0);
        Tensor b = node.input(1);
        Tensor ga = null;
        Tensor gb = null;
        if (node.needsGrad(0)) {
            Tensor d = !transA ? (!transB ? NT.apply(g, b) : NN.apply(g, b)) : (!transB ? NT.apply(b, g) : TT.apply(b, g));
            ga = Ops.sumTo(d, a.shape());
        }
        if (node.needsGrad(1)) {
            // A weight's gradient, written straight into its recycled buffer when the engine lends one.
            Tensor into = a.rank() == 2 && b.rank() == 2 ? node.gradInto(1) : null;
            if (into != null) {
                if (!transB) {
                    product(!transA, false, a, g, into.mutableData()); // dB = Aᵀ G, or A G when A is stored transposed
                } else {
                    product(true, transA, g, a, into.mutableData());   // dB = Gᵀ A, or Gᵀ Aᵀ
                }
                return new Tensor[] {ga, into};
            }
            Tensor d = !transB ? (!transA ? TN.apply(a, g) : NN.apply(a, g)) : (!transA ? TN.apply(g, a) : TT.apply(g, a));
            gb = Ops.sumTo(d, b.shape());
        }
        return new Tensor[] {ga, gb};
    }

    /**
     * {@code c = op(p)·op(q)} for 2-D p and q, overwriting c: the very call {@link #forward} makes, so the
     * bits are those of a new product.
     */
    private static void product(boolean tp, boolean tq, Tensor p, Tensor q, double[] c) {
        int m = tp ? p.dim(1) : p.dim(0);
        int k = tp ? p.dim(0) : p.dim(1);
        int n = tq ? q.dim(0) : q.dim(1);
        Gemm.gemm(tp, tq, m, n, k, 1.0, p.data(), 0, p.dim(1), q.data(), 0, q.dim(1), 0.0, c, 0, n);
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        // Lifted so that the tangent axis lands in front of all of y's batch axes.
        int r = y.rank();
        Tensor ta = t[0] == null ? null : apply(Tangents.lift(t[0], r), x[1]);
        Tensor tb = t[1] == null ? null : apply(x[0], Tangents.lift(t[1], r));
        return Tangents.complete(Tangents.sum(ta, tb), y);
    }
}
