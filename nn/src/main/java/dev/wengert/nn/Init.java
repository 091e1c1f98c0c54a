package dev.wengert.nn;

import dev.wengert.core.Tensor;
import java.util.Random;

/**
 * Weight initialisers for a layer with {@code fanIn} inputs and {@code fanOut} outputs; all draw from a
 * caller's seeded {@link Random}, so runs are reproducible.
 */
public abstract class Init {
    /** For subclasses; the static factories give the usual initialisers. */
    protected Init() {}

    /**
     * A weight matrix of shape {@code [fanIn, fanOut]}.
     *
     * @param rng    the generator to draw from
     * @param fanIn  the number of inputs, &gt; 0
     * @param fanOut the number of outputs, &gt; 0
     * @return a new tensor {@code [fanIn, fanOut]}
     */
    public abstract Tensor weight(Random rng, int fanIn, int fanOut);

    /** {@return the initial value of every bias} 0 unless the initialiser says otherwise. */
    public double bias() {
        return 0.0;
    }

    /**
     * N(0, 1/fanIn), keeping pre-activations at unit variance for unit-variance inputs.
     *
     * @return the initialiser, with zero biases
     */
    public static Init normalFanIn() {
        return normalFanIn(0.0);
    }

    /**
     * N(0, 1/fanIn) weights with every bias set to {@code bias}: for rectified linear units, a small positive
     * bias (such as 0.01) makes most units start active.
     *
     * @param bias the initial value of every bias, finite
     * @return the initialiser
     */
    public static Init normalFanIn(double bias) {
        finite("normalFanIn bias", bias);
        return new Init() {
            @Override
            public Tensor weight(Random rng, int fanIn, int fanOut) {
                return scaled(rng, fanIn, fanOut, Math.sqrt(1.0 / fanIn));
            }

            @Override
            public double bias() {
                return bias;
            }
        };
    }

    /**
     * Every weight {@code w} and every bias {@code b}: no randomness, so all units of a layer stay identical
     * in training (the symmetry random initialisation breaks). For tests and demonstrations.
     *
     * @param w the value of every weight, finite
     * @param b the value of every bias, finite
     * @return the initialiser; it draws nothing from the generator
     */
    public static Init constant(double w, double b) {
        finite("constant weight", w);
        finite("constant bias", b);
        return new Init() {
            @Override
            public Tensor weight(Random rng, int fanIn, int fanOut) {
                return Tensor.full(w, fanIn, fanOut);
            }

            @Override
            public double bias() {
                return b;
            }
        };
    }

    /**
     * Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)).
     *
     * @return the initialiser, with zero biases
     */
    public static Init glorot() {
        return new Init() {
            @Override
            public Tensor weight(Random rng, int fanIn, int fanOut) {
                double a = Math.sqrt(6.0 / (fanIn + fanOut));
                return Tensor.uniform(rng, -a, a, fanIn, fanOut);
            }
        };
    }

    /**
     * He: N(0, 2/fanIn), for ReLU layers.
     *
     * @return the initialiser, with zero biases
     */
    public static Init he() {
        return he(0.0);
    }

    /**
     * He with every bias set to {@code bias}: a small positive bias keeps ReLU units active at the start.
     *
     * @param bias the initial value of every bias, finite
     * @return the initialiser
     */
    public static Init he(double bias) {
        finite("he bias", bias);
        return new Init() {
            @Override
            public Tensor weight(Random rng, int fanIn, int fanOut) {
                return scaled(rng, fanIn, fanOut, Math.sqrt(2.0 / fanIn));
            }

            @Override
            public double bias() {
                return bias;
            }
        };
    }

    private static void finite(String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("init " + what + " must be finite, got " + v);
    }

    private static Tensor scaled(Random rng, int fanIn, int fanOut, double std) {
        Tensor w = Tensor.randn(rng, fanIn, fanOut);
        double[] d = w.mutableData();
        for (int i = 0; i < d.length; i++) d[i] *= std;
        return w;
    }
}
