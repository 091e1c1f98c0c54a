package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.List;

/**
 * Updates parameters in place from their gradients. {@link #step()} uses the gradients that
 * {@code Tape.backward} accumulated into each parameter's {@link Tensor#grad()}; {@link #step(List)}
 * takes them explicitly (from {@code Tape.gradient}, or from forward-mode RTRL). Parameters without a
 * gradient are left alone.
 *
 * <p>Clipping, applied to a copy of the gradients before the update, never to the caller's tensors: first
 * {@link #clipByValue(double) by value}, {@code g ← clamp(g, -c, c)} per element, then
 * {@link #clipByGlobalNorm(double) by global norm}, {@code g ← g · min(1, c / ||g||)} with
 * {@code ||g||} the Euclidean norm of all gradients together (so the direction is kept).
 */
public abstract class Optimizer {
    /** The parameters updated, in order. */
    protected final List<Tensor> params;
    /** The current learning rate η. */
    protected double learningRate;
    private double clipValue = Double.POSITIVE_INFINITY;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private double lastNorm = Double.NaN;

    /**
     * An optimiser of {@code params} with learning rate η, finite and &gt; 0.
     *
     * @param params       the parameters it updates, none null
     * @param learningRate η
     * @throws IllegalArgumentException naming the optimiser and the rate when it is not
     */
    protected Optimizer(List<Tensor> params, double learningRate) {
        String name = name();
        if (params == null) throw new NullPointerException(name + ": the parameters list is null");
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) throw new NullPointerException(name + ": parameter " + i + " is null");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(name + ": the learning rate must be finite and positive, got " + learningRate);
        }
        this.params = List.copyOf(params);
        this.learningRate = learningRate;
    }

    /**
     * The optimiser's name as its messages print it.
     *
     * @return the class's simple name in lower case ({@code sgd}, {@code adam})
     */
    protected String name() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** One update from the accumulated {@link Tensor#grad()} of each parameter. */
    public void step() {
        double[][] g = new double[params.size()][];
        for (int i = 0; i < g.length; i++) {
            Tensor gi = params.get(i).grad();
            g[i] = gi == null ? null : gi.data();
        }
        apply(g);
    }

    /**
     * One update from explicit gradients, one per parameter in order (null skips a parameter).
     *
     * @param grads one gradient per parameter, of its shape, or null; only read
     */
    public void step(List<Tensor> grads) {
        if (grads == null) throw new NullPointerException(name() + ": the gradients list is null");
        if (grads.size() != params.size()) {
            throw new IllegalArgumentException(name() + ": " + grads.size() + " gradients for " + params.size() + " parameters");
        }
        double[][] g = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            Tensor gi = grads.get(i);
            if (gi != null && !gi.sameShape(params.get(i))) {
                throw new ShapeException(name() + ": gradient " + i + " has shape " + Shapes.str(gi.shape())
                        + ", the parameter has " + Shapes.str(params.get(i).shape()));
            }
            g[i] = gi == null ? null : gi.data();
        }
        apply(g);
    }

    private void apply(double[][] g) {
        // The norm costs a pass over every gradient: only when clipping by norm needs it.
        lastNorm = clipNorm < Double.POSITIVE_INFINITY ? Clip.globalNorm(g) : Double.NaN;
        if (clipValue < Double.POSITIVE_INFINITY || lastNorm > clipNorm) {
            double[][] c = new double[g.length][];
            for (int i = 0; i < g.length; i++) c[i] = g[i] == null ? null : g[i].clone();
            if (clipValue < Double.POSITIVE_INFINITY) Clip.byValueInPlace(c, clipValue);
            if (clipNorm < Double.POSITIVE_INFINITY) Clip.byGlobalNormInPlace(c, clipNorm);
            g = c;
        }
        beginStep();
        for (int i = 0; i < params.size(); i++) {
            if (g[i] != null) update(i, params.get(i).mutableData(), g[i]);
        }
    }

    /** Called once per step before the updates (Adam counts steps here). */
    protected void beginStep() {}

    /**
     * Updates parameter {@code i}'s values {@code w} in place from its gradient {@code g} (do not modify g).
     *
     * @param i the parameter's index in {@link #params}
     * @param w the parameter's values, row-major, to update in place
     * @param g its gradient, of w's length (clipped already, when clipping is on)
     */
    protected abstract void update(int i, double[] w, double[] g);

    /**
     * Forgets the accumulated gradients of all parameters, keeping their buffers for the next backward pass
     * to write into ({@link Tensor#recycleGrad()}): a training loop then allocates no gradient buffers after
     * its first step, and its results are bit for bit those of {@link Tensor#zeroGrad()}. A tensor obtained
     * from a parameter's {@code grad()} before this call is overwritten by the next pass; copy it to keep it.
     */
    public void zeroGrad() {
        for (Tensor p : params) p.recycleGrad();
    }

    /** {@return the current learning rate η} */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate (schedules call this between steps); 0 is allowed, as at the end of a cosine
     * schedule.
     *
     * @param lr η, finite and ≥ 0
     */
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name() + ": the learning rate must be finite and non-negative, got " + lr);
        }
        this.learningRate = lr;
    }

    /**
     * Clamps every gradient element to {@code [-c, c]} before each update; returns this.
     *
     * @param c the bound, &gt; 0
     * @return this optimiser
     */
    public Optimizer clipByValue(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": the clip value must be positive, got " + c);
        this.clipValue = c;
        return this;
    }

    /**
     * Rescales the gradients so that their global Euclidean norm is at most {@code maxNorm}; returns this.
     *
     * @param maxNorm the largest global norm, &gt; 0
     * @return this optimiser
     */
    public Optimizer clipByGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException(name() + ": the clip norm must be positive, got " + maxNorm);
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * {@return the global norm of the gradients of the last step, before clipping} NaN unless clipping by
     * norm (or before the first step).
     */
    public double lastGradientNorm() {
        return lastNorm;
    }

    /** {@return the parameters this optimiser updates} An unmodifiable list, in the order given. */
    public List<Tensor> parameters() {
        return params;
    }

    /**
     * The optimiser's internal state as named arrays (copies): moment buffers per parameter, step counters.
     * Checkpoints save it and data-parallel trainers average it; a stateless optimiser returns an empty map.
     *
     * @return the state, by name, in a fixed order; each array a copy
     */
    public java.util.Map<String, double[]> state() {
        return java.util.Map.of();
    }

    /**
     * Restores a {@link #state()} of an optimiser of the same kind over parameters of the same shapes.
     *
     * @param state the arrays, by the names {@link #state()} uses
     * @throws IllegalArgumentException naming the entry that is missing, unexpected or of the wrong length
     */
    public void loadState(java.util.Map<String, double[]> state) {
        checkState(state, state());
    }

    /**
     * Checks that {@code given} has exactly the names and array lengths of {@code expected}.
     *
     * @param given    the arrays to load
     * @param expected this optimiser's current state, as {@link #state()} returns it
     * @throws IllegalArgumentException naming the entry at fault
     */
    protected final void checkState(java.util.Map<String, double[]> given, java.util.Map<String, double[]> expected) {
        if (given == null) throw new NullPointerException(name() + ".loadState: the state is null");
        if (!given.keySet().equals(expected.keySet())) {
            throw new IllegalArgumentException(name() + ".loadState: state names " + new java.util.TreeSet<>(given.keySet())
                    + " do not match this optimiser's " + new java.util.TreeSet<>(expected.keySet()));
        }
        for (java.util.Map.Entry<String, double[]> e : expected.entrySet()) {
            double[] a = given.get(e.getKey());
            if (a == null || a.length != e.getValue().length) {
                throw new IllegalArgumentException(name() + ".loadState: '" + e.getKey() + "' has "
                        + (a == null ? "no array" : a.length + " entries") + ", expected " + e.getValue().length);
            }
        }
    }
}
