package dev.wengert.rnn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Module;
import dev.wengert.rnn.internal.Hooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a recurrent network, built from ops: {@code s_t = F(θ, s_{t−1}, x_t)}, where the state
 * {@code s} is one or more tensors of shape {@code [batch, size]} (the vanilla RNN and the GRU have the
 * single part {@code h}; the LSTM has {@code (h, c)}) and θ are the cell's named parameters.
 *
 * <p>The step is written as a function of its parameters ({@link #step(Tensor[], Tensor[], Tensor)}), so
 * that the algorithms can differentiate it in either mode: BPTT records it on a tape, exact RTRL pushes
 * a batch of tangents {@code (∂s_{t−1}/∂θ_j, e_j)} through it with forward mode, UORO pushes one. One
 * state part is the cell's output {@code h_t}, which the readout and the losses see
 * ({@link #outputPart()}).
 *
 * <p>Conventions: inputs {@code x_t} have shape {@code [batch, inputSize]}; weight matrices are stored
 * for {@code W h}, with {@code W} of shape {@code [out, in]} (row i belonging to unit i), so the
 * parameters of unit i are contiguous rows, which the fast RTRL kernels use.
 *
 * <p><b>Saved layout.</b> In memory ({@link #namedParameters()}, {@link #state()}) a cell keeps its own
 * per-gate names ({@code W_hh}, {@code W_fx}, {@code b_z}, ...), which the algorithms and the fast kernels use.
 * In files ({@link #savedState()}, {@code SafeTensors.save/load}) {@link RnnCell}, {@link LstmCell},
 * {@link GruCell#torch GruCell.torch} and {@link StackedCell}s of one of them are saved as PyTorch's
 * {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} save their {@code state_dict}: {@code weight_ih_l0}
 * {@code [G·n, m]}, {@code weight_hh_l0} {@code [G·n, n]}, {@code bias_ih_l0} {@code [G·n]},
 * {@code bias_hh_l0} {@code [G·n]}, the G gates' rows stacked in PyTorch's order, so PyTorch checkpoints load
 * as they are and files Wengert writes pass PyTorch's strict {@code load_state_dict}. Where PyTorch has two
 * biases that only ever appear summed, the cell has one: loading sets it to {@code bias_ih + bias_hh},
 * saving writes it as {@code bias_ih} and zeros as {@code bias_hh} (the same function; a PyTorch file loaded
 * and saved again has its biases moved into {@code bias_ih}). Other cells keep their in-memory names in files.
 */
public abstract class Cell extends Module {
    private final int inputSize;
    private final int hiddenSize;

    /**
     * A cell reading {@code inputSize} features with {@code hiddenSize} units.
     *
     * @param inputSize  the number of input features m
     * @param hiddenSize the number of units n
     * @throws IllegalArgumentException naming the cell and the size when a size is not positive
     */
    protected Cell(int inputSize, int hiddenSize) {
        positive(getClass().getSimpleName(), "input", inputSize);
        positive(getClass().getSimpleName(), "hidden", hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
    }

    /** {@return the number of input features m} */
    public final int inputSize() {
        return inputSize;
    }

    /** {@return the number of units n of the output {@code h}} */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /**
     * {@return the sizes of the state parts} Each part has shape {@code [batch, size]}; a new array or a
     * constant, which callers do not modify.
     */
    public abstract int[] stateSizes();

    /** {@return which state part is the output {@code h_t}} 0 unless the cell says otherwise. */
    public int outputPart() {
        return 0;
    }

    /** {@return the number of state parts} */
    public final int stateParts() {
        return stateSizes().length;
    }

    /** {@return the total state size per sequence, the sum of {@link #stateSizes()}} */
    public final int stateSize() {
        int s = 0;
        for (int n : stateSizes()) s += n;
        return s;
    }

    /**
     * The zero state {@code s_0} for a batch of sequences.
     *
     * @param batch the number of sequences, &gt; 0
     * @return new zero tensors, one {@code [batch, size]} per state part
     */
    public Tensor[] initialState(int batch) {
        if (batch <= 0) throw new IllegalArgumentException(name() + ": batch must be positive, got " + batch);
        int[] sizes = stateSizes();
        Tensor[] s = new Tensor[sizes.length];
        for (int i = 0; i < sizes.length; i++) s[i] = Tensor.zeros(batch, sizes[i]);
        return s;
    }

    /**
     * One step with the given parameter values (in the order of {@link #parameters()}): the new state
     * from the previous state and the input {@code x} of shape {@code [batch, inputSize]}.
     *
     * @param params the parameter values, one per tensor of {@link #parameters()}, of their shapes (the
     *     cell's own, or tracked stand-ins)
     * @param state  the previous state, one {@code [batch, size]} tensor per part
     * @param x      the input {@code [batch, inputSize]}
     * @return the new state, new tensors, one per part
     */
    public abstract Tensor[] step(Tensor[] params, Tensor[] state, Tensor x);

    /**
     * One step with this cell's own parameters.
     *
     * @param state the previous state, one {@code [batch, size]} tensor per part
     * @param x     the input {@code [batch, inputSize]}
     * @return the new state, new tensors, one per part
     */
    public final Tensor[] step(Tensor[] state, Tensor x) {
        return step(params(), state, x);
    }

    static {
        // The algorithms of the other packages reach the package-private hooks below through this bridge.
        Hooks.install(new Hooks.Bridge() {
            @Override
            public Tensor[] params(Cell cell) {
                return cell.params();
            }

            @Override
            public boolean hasFusedSequence(Cell cell) {
                return cell.hasFusedSequence();
            }

            @Override
            public Tensor sequence(Cell cell, Tensor[] state, Tensor xs) {
                return cell.sequence(state, xs);
            }

            @Override
            public List<Tensor> readoutParameters(RecurrentNet net) {
                return net.readoutParameters();
            }
        });
    }

    private Tensor[] paramCache;

    /** This cell's parameter tensors in order (the live tensors, not copies; do not modify the array). */
    final Tensor[] params() {
        if (paramCache == null) paramCache = parameters().toArray(new Tensor[0]);
        return paramCache;
    }

    /** Whether {@link #sequence} is implemented: BPTT then records a whole segment as one node. */
    boolean hasFusedSequence() {
        return false;
    }

    /**
     * All steps of a sequence as one fused op, with this cell's own parameters: the states after each step,
     * {@code [parts, T, B, n]} flattened part by part (part 0 is h), or {@code [T, B, n]} for a one-part state.
     * Only cells with {@link #hasFusedSequence()} implement it.
     *
     * @param state the state before the first step (detached)
     * @param xs    the inputs {@code [T, B, m]}
     */
    Tensor sequence(Tensor[] state, Tensor xs) {
        throw new UnsupportedOperationException(name() + " has no fused sequence op");
    }

    /**
     * The output {@code h_t} of a state.
     *
     * @param state a state of this cell, one tensor per part
     * @return the part {@link #outputPart()}, itself (not a copy)
     */
    public final Tensor output(Tensor[] state) {
        return state[outputPart()];
    }

    /** PyTorch's names of a one-layer recurrent module's tensors, in its {@code state_dict} order. */
    static final String[] TORCH_NAMES = {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"};

    /**
     * The PyTorch module whose {@code state_dict} layout this cell is saved in ({@code "RNN"}, {@code "LSTM"},
     * {@code "GRU"}), or null when it is saved under its in-memory names (the default).
     */
    String torchModule() {
        return null;
    }

    /**
     * New tensors {@code weight_ih, weight_hh, bias_ih, bias_hh} in PyTorch's layout, from the parameters;
     * only when {@link #torchModule()} is not null.
     */
    Tensor[] toTorch() {
        throw new UnsupportedOperationException(name() + " has no PyTorch layout");
    }

    /**
     * Sets the parameters from PyTorch's four tensors, whose shapes are those of {@link #toTorch()} (checked by
     * the caller); only when {@link #torchModule()} is not null.
     */
    void fromTorch(Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        throw new UnsupportedOperationException(name() + " has no PyTorch layout");
    }

    @Override
    protected Map<String, Tensor> savedLayout() {
        if (torchModule() == null) return super.savedLayout();
        Tensor[] t = toTorch();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < TORCH_NAMES.length; i++) out.put(TORCH_NAMES[i], t[i]);
        return out;
    }

    @Override
    protected void loadLayout(Map<String, Tensor> values) {
        if (torchModule() == null) {
            super.loadLayout(values);
            return;
        }
        fromTorch(values.get(TORCH_NAMES[0]), values.get(TORCH_NAMES[1]), values.get(TORCH_NAMES[2]),
                values.get(TORCH_NAMES[3]));
    }

    /** The blocks' rows one after another: matrices of one width, or vectors; a new tensor (values only). */
    static Tensor stackRows(Tensor... blocks) {
        int rows = 0;
        int size = 0;
        for (Tensor b : blocks) {
            rows += b.dim(0);
            size += b.size();
        }
        double[] out = new double[size];
        int at = 0;
        for (Tensor b : blocks) {
            System.arraycopy(b.data(), 0, out, at, b.size());
            at += b.size();
        }
        int[] shape = blocks[0].shape();
        shape[0] = rows;
        return Tensor.of(out, shape);
    }

    /** Copies {@code src}'s consecutive row blocks into the leaves {@code dst}, whose sizes add up to src's. */
    static void unstackRows(Tensor src, Tensor... dst) {
        int at = 0;
        for (Tensor d : dst) {
            System.arraycopy(src.data(), at, d.mutableData(), 0, d.size());
            at += d.size();
        }
    }

    /**
     * Sets the leaves {@code dst} (of n values each) to the sums of PyTorch's two biases, block by block:
     * {@code dst[k] = bih[kn, (k+1)n) + bhh[kn, (k+1)n)}; where {@code bhh} is zero the value is {@code bih}'s
     * as it is, so a file Wengert wrote (zeros in {@code bias_hh}) reloads bit for bit, −0.0 included.
     */
    static void foldBiases(Tensor bih, Tensor bhh, Tensor... dst) {
        double[] ih = bih.data();
        double[] hh = bhh.data();
        int at = 0;
        for (Tensor d : dst) {
            double[] out = d.mutableData();
            for (int j = 0; j < out.length; j++) out[j] = hh[at + j] == 0 ? ih[at + j] : ih[at + j] + hh[at + j];
            at += out.length;
        }
    }

    /** {@return a short name for messages, e.g. {@code lstm(32→64)}} */
    public String name() {
        return getClass().getSimpleName() + "(" + inputSize + "→" + hiddenSize + ")";
    }

    /**
     * Checks the arguments of {@link #step(Tensor[], Tensor[], Tensor)}; returns the batch size.
     *
     * @param params the parameter values given to the step
     * @param state  the previous state
     * @param x      the input
     * @return the batch size, {@code x}'s first size
     * @throws ShapeException naming the cell and the argument whose shape is wrong
     */
    protected final int checkStep(Tensor[] params, Tensor[] state, Tensor x) {
        List<Tensor> own = parameters();
        if (params.length != own.size()) {
            throw new IllegalArgumentException(name() + ".step: " + params.length + " parameters given, the cell has "
                    + own.size());
        }
        for (int i = 0; i < params.length; i++) {
            if (!params[i].sameShape(own.get(i))) {
                throw new ShapeException(name() + ".step: parameter " + i + " has shape " + Shapes.str(params[i].shape())
                        + ", expected " + Shapes.str(own.get(i).shape()));
            }
        }
        if (x.rank() != 2 || x.dim(1) != inputSize) {
            throw new ShapeException(name() + ".step: input x has shape " + Shapes.str(x.shape()) + ", expected [batch,"
                    + inputSize + "]");
        }
        int[] sizes = stateSizes();
        if (state.length != sizes.length) {
            throw new IllegalArgumentException(name() + ".step: " + state.length + " state parts given, the cell has "
                    + sizes.length);
        }
        int batch = x.dim(0);
        for (int i = 0; i < sizes.length; i++) {
            if (!state[i].hasShape(batch, sizes[i])) {
                throw new ShapeException(name() + ".step: state part " + i + " has shape " + Shapes.str(state[i].shape())
                        + ", expected [" + batch + "," + sizes[i] + "] (batch of x: " + batch + ")");
            }
        }
        return batch;
    }

    /**
     * {@code size} when it is positive, for constructors that must check it before they allocate.
     *
     * @param cell the cell's name, for the message
     * @param what which size ({@code "hidden"}, {@code "input"})
     * @param size the size
     * @return size
     * @throws IllegalArgumentException {@code "RnnCell: the hidden size must be positive, got 0"}
     */
    protected static int positive(String cell, String what, int size) {
        if (size <= 0) throw new IllegalArgumentException(cell + ": the " + what + " size must be positive, got " + size);
        return size;
    }

    /**
     * {@code rng} when it is not null.
     *
     * @param cell the cell's name, for the message
     * @param rng  the random generator
     * @return rng
     */
    protected static java.util.Random nonNull(String cell, java.util.Random rng) {
        if (rng == null) throw new NullPointerException(cell + ": rng is null");
        return rng;
    }

    /**
     * N(0, 1/fanIn) entries of shape {@code [out, in]}, rows per unit.
     *
     * @param rng the generator; advanced once per entry
     * @param out the number of rows (units)
     * @param in  the number of columns, the fan-in
     * @return a new leaf tensor
     */
    protected static Tensor normalRows(java.util.Random rng, int out, int in) {
        Tensor w = Tensor.randn(rng, out, in);
        double[] d = w.mutableData();
        double s = Math.sqrt(1.0 / in);
        for (int i = 0; i < d.length; i++) d[i] *= s;
        return w;
    }

    /**
     * {@code W v} for a batch of row vectors v ({@code [batch, in]}) and W of shape {@code [out, in]}.
     *
     * @param v the row vectors, {@code [batch, in]}
     * @param w the matrix, {@code [out, in]}
     * @return a new tensor {@code v Wᵀ}, {@code [batch, out]}; W is not copied
     */
    protected static Tensor linear(Tensor v, Tensor w) {
        return dev.wengert.ops.Ops.matmul(v, w, false, true);
    }
}
