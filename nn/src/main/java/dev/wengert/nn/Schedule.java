package dev.wengert.nn;

/**
 * A learning-rate schedule: the rate to use at step (or epoch) {@code t = 0, 1, 2, ...}. Apply it with
 * {@link #applyTo(Optimizer, int)} before step t, or hand it to the {@link Trainer}, which applies it
 * once per epoch.
 */
@FunctionalInterface
public interface Schedule {
    /**
     * The learning rate at step {@code t ≥ 0}.
     *
     * @param t the step, counting from 0
     * @return η at step t, ≥ 0
     */
    double rate(int t);

    /**
     * Sets the optimiser's learning rate to {@code rate(t)}.
     *
     * @param optimizer the optimiser whose learning rate is set
     * @param t         the step, counting from 0
     */
    default void applyTo(Optimizer optimizer, int t) {
        if (optimizer == null) throw new NullPointerException("schedule: the optimizer is null");
        optimizer.setLearningRate(rate(t));
    }

    /**
     * {@code η₀} at every step.
     *
     * @param lr η₀
     * @return the schedule
     */
    static Schedule constant(double lr) {
        check(lr, "constant");
        return t -> {
            checkStep(t, "constant");
            return lr;
        };
    }

    /**
     * Step decay: {@code η₀ γ^{⌊t / every⌋}}, the rate multiplied by γ every {@code every} steps.
     *
     * @param lr    η₀
     * @param gamma γ in (0, 1], the factor applied every {@code every} steps
     * @param every the number of steps between decays, &gt; 0
     * @return the schedule
     */
    static Schedule step(double lr, double gamma, int every) {
        check(lr, "step");
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("schedule step: γ must be in (0, 1], got " + gamma);
        if (every <= 0) throw new IllegalArgumentException("schedule step: the period must be positive, got " + every);
        return t -> {
            checkStep(t, "step");
            return lr * StrictMath.pow(gamma, Math.floorDiv(t, every));
        };
    }

    /**
     * Cosine annealing (Loshchilov and Hutter, 2017) from η₀ down to η_min over {@code total} steps:
     * {@code η_min + (η₀ − η_min)(1 + cos(π t / total)) / 2} for {@code t ≤ total}, then η_min.
     *
     * @param lr    η₀, the rate at step 0
     * @param minLr η_min, the rate from step {@code total} on
     * @param total the length of the annealing in steps, &gt; 0
     * @return the schedule
     */
    static Schedule cosine(double lr, double minLr, int total) {
        check(lr, "cosine");
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("schedule cosine: need 0 ≤ η_min ≤ η₀, got η_min = " + minLr + ", η₀ = " + lr);
        }
        if (total <= 0) throw new IllegalArgumentException("schedule cosine: total steps must be positive, got " + total);
        return t -> {
            checkStep(t, "cosine");
            return t >= total ? minLr : minLr + (lr - minLr) * (1 + StrictMath.cos(Math.PI * t / total)) / 2;
        };
    }

    private static void checkStep(int t, String what) {
        if (t < 0) throw new IllegalArgumentException("schedule " + what + ": the step t must be >= 0, got " + t);
    }

    private static void check(double lr, String what) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("schedule " + what + ": the learning rate must be finite and positive, got " + lr);
        }
    }
}
