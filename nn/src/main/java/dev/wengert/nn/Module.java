package dev.wengert.nn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A part of a model with named parameters (trainable leaves), named buffers (state that is saved but
 * not trained, such as batch norm's running statistics) and named sub-modules. Names are hierarchical:
 * a parameter {@code weight} of a sub-module {@code hidden} is {@code hidden.weight}.
 *
 * <p>Modules have a training mode (the default) and an evaluation mode, which batch norm and dropout
 * read; {@link #train(boolean)} sets it for the whole tree.
 *
 * <p><b>Two layouts.</b> {@link #namedParameters()} and {@link #state()} are the <em>in-memory</em> layout: the
 * live tensors, under the names the module registered, which optimisers, gradients and {@link #load(Map)} use.
 * {@link #savedState()} and {@link #loadSaved(Map)} are the <em>saved</em> layout, what checkpoint files hold
 * ({@code SafeTensors.save} and {@code SafeTensors.load} use them). For every module of wengert-nn the two are
 * the same (PyTorch's names and shapes already: {@code Linear}'s {@code [out, in]} weight, {@code BatchNorm}'s
 * running statistics). A module whose parameters are split or ordered differently from the file format it
 * follows, such as the recurrent cells of wengert-rnn (per-gate matrices in memory, PyTorch's stacked
 * {@code weight_ih_l0} ... in files), overrides {@link #savedLayout()} and {@link #loadLayout(Map)} to convert.
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
     * {@return all parameters and buffers, by hierarchical name: the in-memory layout} An unmodifiable map of
     * the tensors themselves (not copies), what {@link #load(Map)} takes back. Files hold {@link #savedState()},
     * which is the same map for every module of wengert-nn.
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

    /**
     * {@return all parameters and buffers in the saved layout, by hierarchical name: what saving a model
     * writes} An unmodifiable map. Where a module's saved layout is its in-memory one (every module of
     * wengert-nn) the entries are the live tensors of {@link #state()}; where a module converts (see
     * {@link #savedLayout()}) they are new tensors computed from its parameters, so writing to them changes
     * nothing.
     */
    public final Map<String, Tensor> savedState() {
        return Collections.unmodifiableMap(savedLayout());
    }

    /**
     * Copies values in the saved layout ({@link #savedState()}'s names and shapes) into this module's
     * parameters and buffers, in place (the tensors stay the same objects). Every name and shape is checked
     * first: on any mismatch nothing is changed.
     *
     * @param values a tensor for every name of {@link #savedState()} and no other, each of the matching shape;
     *     only read
     * @throws IllegalArgumentException listing every missing, unexpected and misshapen tensor (see
     *     {@link #savedMismatches(Map, String)})
     */
    public final void loadSaved(Map<String, Tensor> values) {
        if (values == null) throw new NullPointerException("loadSaved: the values are null");
        List<String> problems = savedMismatches(values, "source");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadSaved: the tensors do not fit the model; " + String.join("; ", problems));
        }
        loadLayout(values);
    }

    /**
     * Every way {@code values} does not fit {@link #savedState()}: {@code "missing [a, b]"} (names of the model
     * absent from values), {@code "unexpected [c]"} (names in values the model does not have),
     * {@code "wrong shapes: 'w' is [3,2] in the file, [2,3] in the model, ..."} and, when a module recognises
     * the unexpected names as another layout it cannot load (a PyTorch GRU checkpoint for a Wengert GRU with
     * the reset gate before the product, for instance), a sentence naming the difference.
     *
     * @param values the tensors to check, by name; only read
     * @param source what values are, for the shape messages ({@code "file"}, {@code "source"})
     * @return the problems, in that order; empty when every name and shape fits
     */
    public final List<String> savedMismatches(Map<String, Tensor> values, String source) {
        if (values == null) throw new NullPointerException("savedMismatches: the values are null");
        Map<String, Tensor> mine = savedLayout();
        List<String> missing = new ArrayList<>();
        for (String k : mine.keySet()) if (!values.containsKey(k)) missing.add(k);
        List<String> extra = new ArrayList<>();
        for (String k : values.keySet()) if (!mine.containsKey(k)) extra.add(k);
        List<String> shapes = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor v = values.get(e.getKey());
            if (v != null && !v.sameShape(e.getValue())) {
                shapes.add("'" + e.getKey() + "' is " + Shapes.str(v.shape()) + " in the " + source + ", "
                        + Shapes.str(e.getValue().shape()) + " in the model");
            }
        }
        List<String> out = new ArrayList<>();
        if (!missing.isEmpty()) out.add("missing " + missing);
        if (!extra.isEmpty()) out.add("unexpected " + extra);
        if (!shapes.isEmpty()) out.add("wrong shapes: " + String.join(", ", shapes));
        if (!out.isEmpty()) {
            Set<String> hints = new LinkedHashSet<>();
            collectHints(Collections.unmodifiableList(extra), hints);
            out.addAll(hints);
        }
        return out;
    }

    private void collectHints(List<String> unexpected, Set<String> out) {
        String h = layoutHint(unexpected);
        if (h != null) out.add(h);
        for (Module m : children.values()) m.collectHints(unexpected, out);
    }

    /**
     * This module's tensors in the saved layout, by name relative to this module. The default is the in-memory
     * layout: the own parameters, the own buffers, then each sub-module's saved layout under its name and a
     * '.'. A module whose file format splits or orders its parameters differently overrides this, returning
     * new tensors computed from the parameters, and overrides {@link #loadLayout(Map)} to match; the two
     * must round-trip exactly.
     *
     * @return a new, modifiable map, in the order the tensors are written
     */
    protected Map<String, Tensor> savedLayout() {
        Map<String, Tensor> out = new LinkedHashMap<>(params);
        out.putAll(buffers);
        for (Map.Entry<String, Module> c : children.entrySet()) {
            for (Map.Entry<String, Tensor> e : c.getValue().savedLayout().entrySet()) {
                out.put(c.getKey() + "." + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * Sets this module's parameters and buffers from values in its saved layout, names relative to this
     * module. Called by {@link #loadSaved(Map)} only after every name and shape has been checked against
     * {@link #savedLayout()}, so an override may assume they fit and must not fail. The default assigns the
     * own parameters and buffers by name and hands each sub-module the values under its name and a '.'.
     *
     * @param values exactly the names of {@link #savedLayout()}, each of its shape; only read
     */
    protected void loadLayout(Map<String, Tensor> values) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) e.getValue().assign(values.get(e.getKey()));
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) e.getValue().assign(values.get(e.getKey()));
        for (Map.Entry<String, Module> c : children.entrySet()) {
            String prefix = c.getKey() + ".";
            Map<String, Tensor> sub = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : values.entrySet()) {
                if (e.getKey().startsWith(prefix)) sub.put(e.getKey().substring(prefix.length()), e.getValue());
            }
            c.getValue().loadLayout(sub);
        }
    }

    /**
     * A sentence for a failed load when this module recognises, among the unexpected names, another layout it
     * cannot load (say, why a PyTorch checkpoint of a different parametrisation does not fit); null otherwise.
     * Asked of every module of the tree, with the full hierarchical names; equal sentences are given once.
     * The default gives null.
     *
     * @param unexpected the names of the source that the model does not have, hierarchical; unmodifiable
     * @return the sentence, or null
     */
    protected String layoutHint(List<String> unexpected) {
        return null;
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
