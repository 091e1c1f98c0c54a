package dev.wengert.ops;

import dev.wengert.core.Node;
import dev.wengert.core.Primitive;
import dev.wengert.core.Saved;
import dev.wengert.core.Tensor;

/**
 * {@code y_i = exp(x_i) / Σ_j exp(x_j)} along one axis (negative counts from the end), computed as
 * {@code e_i / Σ_j e_j} with {@code e_j = exp(x_j - m)}, m the maximum along the axis, so that no term
 * overflows ({@code softmax([1000, -1000]) = [1, 0]}) and every probability is within a few ulps of
 * exact at any magnitude; see {@link SoftmaxRows}. Infinite entries take the limits described there:
 * {@code softmax([∞, 1]) = [1, 0]}, {@code softmax([∞, ∞, 0]) = [½, ½, 0]}, {@code softmax([-∞, 0]) =
 * [0, 1]}, and a slice of -∞ is uniform ({@code softmax([-∞, -∞]) = [½, ½]}, the limit of equal
 * entries, as softmax is invariant under shifts). NaN makes its slice NaN. (LogSumExp's recorded
 * gradient also uses it over several axes at once: the softmax of each reduced slice.)
 *
 * <p>The Jacobian is {@code diag(y) - y yᵀ} along the axis (symmetric), so
 * <pre>
 *   VJP: dx = y ⊙ (g - Σ_axis g ⊙ y)          JVP: t_y = y ⊙ (t - Σ_axis y ⊙ t)
 * </pre>
 * both computed from the output with the differences taken from the largest entry
 * ({@link SoftmaxRows#centered}), so that a dominant probability does not cancel the result to
 * rounding noise ({@code ∂y_0/∂x_0 = y_0 y_1 = 4.25e-18} at {@code [0, -40]}, not 0). The recorded VJP
 * builds the same formula from primitives on the recorded output y, so gradients of gradients are
 * exact.
 */
final class Softmax extends Primitive {
    /** The normalised or raw axes; null means all. */
    private final int[] axes;

    Softmax(int axis) {
        this.axes = new int[] {axis};
    }

    /** The softmax of each slice over {@code axes} (null: all axes), for LogSumExp's gradient. */
    Softmax(int[] axes) {
        this.axes = axes == null ? null : axes.clone();
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    private int[] axes(int rank) {
        return Axes.normalize("softmax", axes, rank);
    }

    @Override
    public int[] shape(Tensor... x) {
        axes(x[0].rank());
        return x[0].shape();
    }

    @Override
    public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
        Slices s = Slices.of(shape, axes(shape.length));
        return Tensor.wrap(SoftmaxRows.probabilities(x[0].data(), s), shape);
    }

    @Override
    public Tensor[] vjp(Tensor g, Node node) {
        Tensor y = node.output();
        int[] ys = y.shape();
        int[] a = axes(ys.length);
        Slices s = Slices.of(ys, a);
        if (node.creatingGraph()) {
            return new Tensor[] {SoftmaxRows.recordedJacobianTimes(y, g, s, a)};
        }
        return new Tensor[] {Tensor.wrap(SoftmaxRows.jacobianTimes(y.data(), s, g.data()), ys)};
    }

    @Override
    public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
        int[] ys = y.shape();
        Slices s = Slices.of(ys, axes(ys.length));
        return Tensor.wrap(SoftmaxRows.jacobianTimes(y.data(), s, t[0].data()), t[0].shape());
    }
}
