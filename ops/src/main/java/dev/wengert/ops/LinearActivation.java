package dev.wengert.ops;

import dev.wengert.core.Allocation;
import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.ops.kernel.MathKernels;

/**
 * {@code y = φ(x Wᵀ + b)} for x {@code [B, in]}, W {@code [out, in]}, b {@code [out]}: a fully connected
 * layer and its activation in one op, one output array (the product, the bias and φ are applied in place)
 * instead of three. With {@code z = x Wᵀ + b} and {@code G_z = G ⊙ φ'(z)} (φ' from y: 1 − y², y(1 − y),
 * [y &gt; 0]):
 * <pre>
 *   dx = G_z W,   dW = G_zᵀ x,   db = Σ_batch G_z
 * </pre>
 * dW goes straight into W's recycled gradient buffer when the engine lends it ({@link Node#gradInto}).
 * Every value and gradient has the bits of the unfused {@code φ(matmul(x, W, false, true) + b)}: the same
 * kernel calls, in the same order. JVP: {@code t_y = φ'(z) ⊙ (t_x Wᵀ + x t_Wᵀ + t_b)}. A recorded backward
 * pass (second order) uses the unfused ops.
 */
final class LinearActivation extends Primitive {
    private static final LinearActivation[] BY_KIND = new LinearActivation[Nonlinearity.values().length];

    static {
        for (Nonlinearity f : Nonlinearity.values()) BY_KIND[f.ordinal()] = new LinearActivation(f);
    }

    private final Nonlinearity phi;

    private LinearActivation(Nonlinearity phi) {
        this.phi = phi;
    }

    static LinearActivation of(Nonlinearity phi) {
        return BY_KIND[phi.ordinal()];
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public int arity() {
        return 3;
    }

    @Override
    public int[] shape(Tensor... x) {
        int[] xs = x[0].shape();
        int[] ws = x[1].shape();
        int[] bs = x[2].shape();
        if (xs.length != 2 || ws.length != 2 || bs.length != 1 || xs[1] != ws[1] || bs[0] != ws[0]) {
            throw new ShapeException("linear: expects x [batch, in], weight [out, in] and bias [out], got x "
                    + Shapes.str(xs) + ", weight " + Shapes.str(ws) + ", bias " + Shapes.str(bs));
        }
        return new int[] {xs[0], ws[0]};
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        int batch = shape[0];
        int out = shape[1];
        int in = x[1].dim(1);
        double[] y = Allocation.reusable("linear", shape); // every element is written below
        // The call MatMul makes for matmul(x, W, false, true), then the bias and φ in place.
        Gemm.gemm(false, true, batch, out, in, 1.0, x[0].data(), 0, in, x[1].data(), 0, in, 0.0, y, 0, out);
        double[] b = x[2].data();
        for (int i = 0; i < batch; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) y[row + j] += b[j];
        }
        switch (phi) {
            case TANH:
                MathKernels.tanh(y, y);
                break;
            case SIGMOID:
                MathKernels.sigmoid(y, y);
                break;
            case RELU:
                for (int i = 0; i < y.length; i++) {
                    double v = y[i];
                    y[i] = v > 0 ? v : (v == v ? 0.0 : v); // as Relu: NaN stays NaN
                }
                break;
            default:
                break;
        }
        return Tensor.wrap(y, shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor x = node.input(0);
        Tensor w = node.input(1);
        Tensor y = node.output();
        if (node.creatingGraph()) return recordedVjp(g, node, x, w, y);
        boolean inPlace = node.mayOverwrite(g);
        double[] gz = pullThroughActivation(g, y.data(), inPlace);
        int batch = x.dim(0);
        int in = x.dim(1);
        int out = w.dim(0);
        Tensor gx = null;
        Tensor gw = null;
        Tensor gb = null;
        if (node.needsGrad(0)) {
            double[] d = Allocation.reusable("linear", x.shape()); // dx = G_z W, as MatMul's NN product (β = 0)
            Gemm.gemm(false, false, batch, in, out, 1.0, gz, 0, out, w.data(), 0, in, 0.0, d, 0, in);
            gx = Tensor.wrap(d, x.shape());
        }
        if (node.needsGrad(1)) {
            gw = node.gradInto(1);
            double[] d = gw != null ? gw.mutableData() : new double[out * in]; // dW = G_zᵀ x, as MatMul's TN
            Gemm.gemm(true, false, out, in, batch, 1.0, gz, 0, out, x.data(), 0, in, 0.0, d, 0, in);
            if (gw == null) gw = Tensor.wrap(d, w.shape());
        }
        if (node.needsGrad(2)) {
            gb = Tensor.wrap(Strided.sumTo(gz, new int[] {batch, out}, new int[] {1, out}), new int[] {out});
        }
        if (inPlace) node.recycle(g); // G (or G_z written over it) is used up
        return new Tensor[] {gx, gw, gb};
    }

    /**
     * G_z = G ⊙ φ'(z), from y, with the unfused ops' formulas: in G's own array when the engine allows it,
     * else in a new one; G itself for the identity (never written).
     */
    private double[] pullThroughActivation(Tensor gt, double[] y, boolean inPlace) {
        if (phi == Nonlinearity.IDENTITY) return gt.data();
        double[] g = gt.data();
        double[] gz = inPlace ? gt.mutableData() : new double[g.length];
        switch (phi) {
            case TANH:
                for (int i = 0; i < gz.length; i++) gz[i] = g[i] * (1.0 - y[i] * y[i]);
                break;
            case SIGMOID:
                for (int i = 0; i < gz.length; i++) gz[i] = g[i] * y[i] * (1.0 - y[i]);
                break;
            default: // RELU: y > 0 exactly where z > 0
                for (int i = 0; i < gz.length; i++) gz[i] = y[i] > 0 ? g[i] : 0.0;
                break;
        }
        return gz;
    }

    /** The backward pass as recorded ops, so that it can be differentiated again. */
    private Tensor[] recordedVjp(Tensor g, Node node, Tensor x, Tensor w, Tensor y) {
        Tensor gz = phi == Nonlinearity.IDENTITY ? g : Ops.mul(g, derivative(y));
        return new Tensor[] {
            node.needsGrad(0) ? Ops.matmul(gz, w) : null,
            node.needsGrad(1) ? Ops.matmul(gz, x, true, false) : null,
            node.needsGrad(2) ? Ops.sumTo(gz, w.dim(0)) : null
        };
    }

    /** φ'(z) as a tensor computed from y (recorded where it depends smoothly on y). */
    private Tensor derivative(Tensor y) {
        switch (phi) {
            case TANH:
                return Ops.sub(1.0, Ops.mul(y, y));
            case SIGMOID:
                return Ops.mul(y, Ops.sub(1.0, y));
            case RELU:
                return Ops.mask(y, v -> v > 0);
            default:
                return Tensor.ones(y.shape());
        }
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        Tensor tz = t[0] == null ? null : MatMul.NT.apply(Tangents.lift(t[0], 2), x[1]);
        if (t[1] != null) tz = Tangents.sum(tz, MatMul.NT.apply(x[0], Tangents.lift(t[1], 2)));
        if (t[2] != null) tz = Tangents.sum(tz, Tangents.lift(t[2], 2));
        if (tz == null) return null;
        Tensor ty = phi == Nonlinearity.IDENTITY ? tz : Ops.mul(tz, derivative(y));
        return Tangents.complete(ty, y);
    }

    @Override
    public boolean hasKinks() {
        return phi == Nonlinearity.RELU;
    }

    @Override
    public long branch(Tensor[] x, Tensor y, Saved saved) {
        // y > 0 exactly where z > 0, so y's signs tell the side of every kink.
        return phi == Nonlinearity.RELU ? Kinks.signs(y.data()) : 0L;
    }
}
