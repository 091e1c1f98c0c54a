package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A part of a model with named parameters (trainable leaves), named buffers (state that is saved but
 * not trained, such as batch norm's running statistics) and named sub-modules. Names are hierarchical:
 * a parameter {@code weight} of a sub-module {@code hidden} is {@code hidden.weight}.
 *
 * <p>Modules have a training mode (the default) and an evaluation mode, which batch norm and dropout
 * read; {@link #train(boolean)} sets it for the whole tree.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** An empty module in training mode: no parameters, buffers or sub-modules until the subclass adds them. */
    protected Module() {}

    /**
     * Registers {@code value} as a trainable parameter named {@code name}; marks it as requiring gradients.
     *
     * @param name  the name, non-empty, without '.', not yet taken in this module
     * @param value the parameter, a leaf; kept (not copied) and marked with {@link Tensor#requiresGrad()}
     * @return value, for assignment to a field
     */
    protected final Tensor addParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad();
        params.put(name, value);
        return value;
    }

    /**
     * Registers state that is saved with the parameters but not trained.
     *
     * @param name  the name, non-empty, without '.', not yet taken in this module
     * @param value the buffer; kept, not copied
     * @return value, for assignment to a field
     */
    protected final Tensor addBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a sub-module under {@code name}.
     *
     * @param <M>    the sub-module's type
     * @param name   the name, non-empty, without '.', not yet taken in this module
     * @param module the sub-module; its names are prefixed with {@code name.}
     * @return module, for assignment to a field
     */
    protected final <M extends Module> M addModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module: name '" + name + "' must be non-empty and contain no '.'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module: the name '" + name + "' is taken in " + getClass().getSimpleName());
        }
    }

    /**
     * {@return all parameters, by hierarchical name, in registration order} An unmodifiable map of the
     * parameters themselves (not copies); sub-modules' follow this module's own.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@return all parameters and buffers, by hierarchical name: what saving a model writes} An unmodifiable
     * map of the tensors themselves (not copies).
     */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        if (withBuffers) {
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, withBuffers);
        }
    }

    /** {@return all parameters in registration order} A new list of the parameters themselves. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** {@return the total number of trainable scalars} */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.size();
        return n;
    }

    /** Forgets the accumulated gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    /**
     * Sets training ({@code true}) or evaluation mode for this module and all sub-modules; returns this.
     *
     * @param on true for training, false for evaluation
     * @return this module
     */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /**
     * Evaluation mode: {@code train(false)}.
     *
     * @return this module
     */
    public Module eval() {
        return train(false);
    }

    /** {@return whether this module is in training mode} */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Copies values into this module's parameters and buffers by name, in place (the tensors stay the
     * same objects, so optimisers holding them keep working).
     *
     * @param values a tensor for every name of {@link #state()} and no other, each of the matching shape;
     *     only read
     * @throws IllegalArgumentException naming every missing or unexpected name
     * @throws ShapeException           naming the tensor whose shape differs
     */
    public final void load(Map<String, Tensor> values) {
        Map<String, Tensor> mine = state();
        List<String> missing = new ArrayList<>();
        for (String k : mine.keySet()) if (!values.containsKey(k)) missing.add(k);
        List<String> extra = new ArrayList<>();
        for (String k : values.keySet()) if (!mine.containsKey(k)) extra.add(k);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("load: names do not match the model" + (missing.isEmpty() ? "" : "; missing "
                    + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra));
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor src = values.get(e.getKey());
            if (!src.sameShape(e.getValue())) {
                throw new ShapeException("load: '" + e.getKey() + "' has shape " + Shapes.str(src.shape())
                        + " in the source, " + Shapes.str(e.getValue().shape()) + " in the model");
            }
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) e.getValue().assign(values.get(e.getKey()));
    }

    /** The module's class name and its parameter shapes, one per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (").append(parameterCount())
                .append(" parameters)");
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            sb.append("\n  ").append(e.getKey()).append(' ').append(Shapes.str(e.getValue().shape()));
        }
        return sb.toString();
    }
}
