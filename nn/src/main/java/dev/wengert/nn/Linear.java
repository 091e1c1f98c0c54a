package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Nonlinearity;
import dev.wengert.ops.Ops;
import java.util.Random;

/**
 * A fully connected layer: {@code y = x Wᵀ + b} for a batch x of shape {@code [batch, in]}, with
 * {@code weight} W of shape {@code [out, in]} and {@code bias} b of shape {@code [out]} (broadcast over
 * the batch). This is PyTorch's {@code nn.Linear} layout, so its checkpoints load as they are and files
 * Wengert writes load in PyTorch: row i of W holds output unit i's weights, as in {@code z = W x + b}.
 * The product with Wᵀ is computed without copying W (a transposed operand of the matrix product).
 */
public final class Linear extends Module implements Layer {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * Weights from N(0, 1/in) and zero biases.
     *
     * @param in  the input size, &gt; 0
     * @param out the output size, &gt; 0
     * @param rng the generator the weights are drawn from
     */
    public Linear(int in, int out, Random rng) {
        this(in, out, Init.normalFanIn(), rng);
    }

    /**
     * Weights from {@code init}, zero biases (or {@link Init#bias} of the initialiser).
     *
     * @param in   the input size, &gt; 0
     * @param out  the output size, &gt; 0
     * @param init the initialiser; it draws an {@code [in, out]} matrix, stored transposed
     * @param rng  the generator the weights are drawn from
     */
    public Linear(int in, int out, Init init, Random rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("linear: sizes must be positive, got " + in + " -> " + out);
        if (init == null) throw new NullPointerException("linear: init is null");
        if (rng == null) throw new NullPointerException("linear: rng is null");
        this.in = in;
        this.out = out;
        // The initialiser draws [in, out] (its fan-in first); stored transposed, [out, in], with the same values.
        this.weight = addParameter("weight", Ops.transpose(init.weight(rng, in, out)).detach());
        this.bias = addParameter("bias", Tensor.full(init.bias(), out));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, Nonlinearity.IDENTITY);
    }

    /**
     * {@code φ(x Wᵀ + b)}: this layer and an element-wise activation after it in one op for a batch
     * {@code [batch, in]} (one output array, the weight gradient written into W's recycled buffer), the
     * same bits as {@code forward} then the activation; other ranks run unfused.
     */
    Tensor forward(Tensor x, Nonlinearity phi) {
        if (x == null) throw new NullPointerException("linear: the input is null");
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw new ShapeException("linear: input of shape " + Shapes.str(x.shape()) + " does not end in " + in
                    + " features (layer " + in + " -> " + out + ")");
        }
        if (x.rank() == 2) return Ops.linear(x, weight, bias, phi);
        Tensor z = Ops.add(Ops.matmul(x, weight, false, true), bias);
        switch (phi) {
            case TANH: return Ops.tanh(z);
            case RELU: return Ops.relu(z);
            case SIGMOID: return Ops.sigmoid(z);
            default: return z;
        }
    }

    /**
     * {@return the weight matrix W, shape {@code [out, in]}} PyTorch's layout; the parameter itself, not a
     * copy.
     */
    public Tensor weight() {
        return weight;
    }

    /** {@return the bias b, shape {@code [out]}} The parameter itself, not a copy. */
    public Tensor bias() {
        return bias;
    }

    /** {@return the input size} */
    public int inFeatures() {
        return in;
    }

    /** {@return the output size} */
    public int outFeatures() {
        return out;
    }
}
