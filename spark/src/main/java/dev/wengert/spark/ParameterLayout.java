package dev.wengert.spark;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module's parameters laid end to end in one {@code double[]}: parameter i (in {@link Module#namedParameters()}
 * order) occupies {@code [offset(i), offset(i) + size(i))}, row-major. Buffers (batch norm's running statistics) get a
 * second vector of the same kind. This is what a training step broadcasts and aggregates: p doubles, no Java
 * serialisation of tensors.
 */
public final class ParameterLayout {
    private final List<String> names;
    private final List<Tensor> params;
    private final List<String> bufferNames;
    private final List<Tensor> buffers;
    private final int size;
    private final int bufferSize;

    private ParameterLayout(Module module) {
        Map<String, Tensor> p = module.namedParameters();
        this.names = List.copyOf(p.keySet());
        this.params = List.copyOf(p.values());
        List<String> bn = new ArrayList<>();
        List<Tensor> bt = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : module.state().entrySet()) {
            if (!p.containsKey(e.getKey())) {
                bn.add(e.getKey());
                bt.add(e.getValue());
            }
        }
        this.bufferNames = List.copyOf(bn);
        this.buffers = List.copyOf(bt);
        this.size = total("parameters", params);
        this.bufferSize = total("buffers", buffers);
    }

    private static int total(String what, List<Tensor> ts) {
        long n = 0;
        for (Tensor t : ts) n += t.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameterLayout: " + n + " " + what + " do not fit in one Java array");
        }
        return (int) n;
    }

    /**
     * The layout of {@code module}'s parameters and buffers, bound to its tensors.
     *
     * @param module the model
     * @return its layout
     */
    public static ParameterLayout of(Module module) {
        if (module == null) throw new NullPointerException("parameterLayout: the module is null");
        return new ParameterLayout(module);
    }

    /**
     * The number p of trainable scalars.
     *
     * @return p
     */
    public int size() {
        return size;
    }

    /**
     * The number of buffer scalars.
     *
     * @return the length of the buffer vector
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * The parameters' names, in layout order.
     *
     * @return the names
     */
    public List<String> names() {
        return names;
    }

    /**
     * The parameter tensors, in layout order.
     *
     * @return the tensors
     */
    public List<Tensor> tensors() {
        return params;
    }

    /**
     * Copies the parameters' current values into {@code into}.
     *
     * @param into an array of {@link #size()} doubles, or null for a new one
     * @return {@code into}
     */
    public double[] readParameters(double[] into) {
        return read(params, into, size, "readParameters");
    }

    /**
     * Overwrites the parameters, in place, with {@code values}.
     *
     * @param values {@link #size()} doubles in layout order
     */
    public void writeParameters(double[] values) {
        write(params, values, size, "writeParameters");
    }

    /**
     * Copies the buffers' current values into {@code into}.
     *
     * @param into an array of {@link #bufferSize()} doubles, or null for a new one
     * @return {@code into}
     */
    public double[] readBuffers(double[] into) {
        return read(buffers, into, bufferSize, "readBuffers");
    }

    /**
     * Overwrites the buffers, in place.
     *
     * @param values {@link #bufferSize()} doubles in layout order
     */
    public void writeBuffers(double[] values) {
        write(buffers, values, bufferSize, "writeBuffers");
    }

    /**
     * Adds {@code scale · ∇} into {@code into}, where ∇ is each parameter's accumulated {@link Tensor#grad()} (a
     * parameter without a gradient adds nothing). With {@code scale == 1} the values are copied unchanged.
     *
     * @param into  {@link #size()} doubles
     * @param scale the weight of these gradients
     */
    public void addGradients(double[] into, double scale) {
        check(into, size, "addGradients");
        int k = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            int n = p.size();
            if (g != null) {
                double[] d = g.data();
                for (int j = 0; j < n; j++) into[k + j] += scale * d[j];
            }
            k += n;
        }
    }

    /**
     * The vector cut into tensors shaped like the parameters (copies), for {@code Optimizer.step(List)}.
     *
     * @param flat {@link #size()} doubles
     * @return one tensor per parameter
     */
    public List<Tensor> split(double[] flat) {
        check(flat, size, "split");
        List<Tensor> out = new ArrayList<>(params.size());
        int k = 0;
        for (Tensor p : params) {
            double[] d = new double[p.size()];
            System.arraycopy(flat, k, d, 0, d.length);
            out.add(Tensor.of(d, p.shape()));
            k += d.length;
        }
        return out;
    }

    /**
     * Parameters and buffers as named tensors (copies), as {@link Module#state()} names them: what a save writes.
     *
     * @param parameters {@link #size()} doubles
     * @param bufferValues {@link #bufferSize()} doubles
     * @return the named tensors, parameters first
     */
    public Map<String, Tensor> toState(double[] parameters, double[] bufferValues) {
        check(parameters, size, "toState");
        check(bufferValues, bufferSize, "toState");
        Map<String, Tensor> out = new LinkedHashMap<>();
        int k = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            double[] d = new double[p.size()];
            System.arraycopy(parameters, k, d, 0, d.length);
            out.put(names.get(i), Tensor.of(d, p.shape()));
            k += d.length;
        }
        k = 0;
        for (int i = 0; i < buffers.size(); i++) {
            Tensor b = buffers.get(i);
            double[] d = new double[b.size()];
            System.arraycopy(bufferValues, k, d, 0, d.length);
            out.put(bufferNames.get(i), Tensor.of(d, b.shape()));
            k += d.length;
        }
        return out;
    }

    private static double[] read(List<Tensor> ts, double[] into, int n, String op) {
        if (into == null) into = new double[n];
        check(into, n, op);
        int k = 0;
        for (Tensor t : ts) {
            System.arraycopy(t.data(), 0, into, k, t.size());
            k += t.size();
        }
        return into;
    }

    private static void write(List<Tensor> ts, double[] values, int n, String op) {
        check(values, n, op);
        int k = 0;
        for (Tensor t : ts) {
            System.arraycopy(values, k, t.mutableData(), 0, t.size());
            k += t.size();
        }
    }

    private static void check(double[] a, int n, String op) {
        if (a == null) throw new NullPointerException("parameterLayout." + op + ": the array is null");
        if (a.length != n) {
            throw new ShapeException("parameterLayout." + op + ": an array of " + a.length + " doubles for a layout of "
                    + n);
        }
    }
}
