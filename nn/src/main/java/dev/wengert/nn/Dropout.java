package dev.wengert.nn;

import dev.wengert.core.Allocation;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.util.Random;

/**
 * Inverted dropout (Srivastava et al., 2014): in training mode each unit is kept with probability
 * {@code 1 - p} and the kept ones are scaled by {@code 1 / (1 - p)}, so {@code y = x ⊙ m} with
 * {@code m_i ∈ {0, 1/(1-p)}} and {@code E[y] = x}; in evaluation mode it is the identity. (The notes
 * describe the equivalent original form, which instead halves the weights at test time for p = 1/2.)
 *
 * <p>The mask is a constant of the graph, so {@code ∂L/∂x = m ⊙ g}. Masks come from the generator
 * given at construction, one draw per unit in row-major order, so a seeded run is reproducible.
 * {@link #forward(Tensor, Tensor)} applies a given mask (gradient checks use a fixed one).
 */
public final class Dropout extends Module implements Layer {
    private final double p;
    private final Random rng;
    private Tensor lastMask;

    /**
     * @param p   the probability of dropping a unit, in [0, 1)
     * @param rng the source of the masks
     */
    public Dropout(double p, Random rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        if (rng == null) throw new NullPointerException("dropout: the random generator is null");
        this.p = p;
        this.rng = rng;
    }

    /**
     * Dropout with its own generator seeded by {@code seed}.
     *
     * @param p    the probability of dropping a unit, in [0, 1)
     * @param seed the seed of a new {@link Random}
     */
    public Dropout(double p, long seed) {
        this(p, new Random(seed));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null) throw new NullPointerException("dropout: the input is null");
        if (!isTraining() || p == 0) return x;
        Tensor mask = sampleMask(x.shape());
        lastMask = mask;
        return Ops.mul(x, mask);
    }

    /**
     * {@code x ⊙ mask} in training mode and {@code x} in evaluation mode, with a mask the caller chose (of
     * x's shape, entries 0 or {@code 1/(1-p)} if it is to mean dropout).
     *
     * @param x    the input
     * @param mask the mask, of x's shape; read as a constant
     * @return {@code x ⊙ mask} (a new tensor) in training mode, x itself in evaluation mode
     */
    public Tensor forward(Tensor x, Tensor mask) {
        if (x == null) throw new NullPointerException("dropout: the input is null");
        if (mask == null) throw new NullPointerException("dropout: the mask is null");
        if (!mask.sameShape(x)) {
            throw new ShapeException("dropout: mask of shape " + Shapes.str(mask.shape()) + " for input of shape "
                    + Shapes.str(x.shape()));
        }
        return isTraining() ? Ops.mul(x, mask) : x;
    }

    /**
     * A fresh mask of the given shape: each entry {@code 1/(1-p)} with probability {@code 1-p}, else 0.
     *
     * @param shape the mask's sizes
     * @return a new untracked tensor; draws one {@code nextDouble()} per entry from this layer's generator
     */
    public Tensor sampleMask(int... shape) {
        double keep = 1 - p;
        double scale = 1 / keep;
        double[] m = Allocation.doubles("dropout", shape);
        int n = m.length;
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < keep ? scale : 0.0;
        return Tensor.wrap(m, shape);
    }

    /**
     * {@return the mask of the last training forward pass, or null} Null before the first one and when p = 0.
     */
    public Tensor lastMask() {
        return lastMask;
    }

    /** {@return the drop probability p} */
    public double p() {
        return p;
    }
}
