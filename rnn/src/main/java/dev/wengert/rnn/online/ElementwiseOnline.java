package dev.wengert.rnn.online;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import java.util.List;
import java.util.Locale;

/**
 * Online gradients for element-wise recurrent layers ({@code dev.wengert.rnn.elementwise}), one layer or a
 * {@link StackedCell} of them, at about the cost of the forward pass: each layer carries its own traces
 * ({@link LayerSensitivity}) and, at every step, the error of that step's loss is sent down the stack by
 * ordinary backpropagation through the current step (spatially), and meets each layer's traces there:
 * <pre>
 *   δ^L_t = ∂ℓ_t/∂y^L_t,    δ^{l−1}_t = (∂y^l_t/∂y^{l−1}_t)ᵀ δ^l_t,    ∂ℓ_t/∂θ^l ≈ δ^l_t · ∂y^l_t/∂θ^l |_traces
 * </pre>
 * where {@code ∂y^l_t/∂θ^l|_traces} is the layer's sensitivity with its own input sequence held fixed.
 *
 * <h2>One layer: exact RTRL</h2>
 * With one layer and {@link TraceRule#EXACT} the result is the RTRL gradient, exactly (equal to BPTT's to
 * rounding): a diagonal state Jacobian means that a parameter of unit j only ever moves unit j, so the
 * influence matrix {@code ∂s_t/∂θ} has one non-zero entry per parameter (per batch row) and its recursion
 * {@code M_t = J_t M_{t−1} + I_t} (sheet 000, eq. 5.1) is carried entry by entry. Memory is O(n·m + n) per
 * sequence, flat in T; time per step is a small multiple of the forward step. The gradient of every step's
 * loss is available as soon as the step is taken ({@link #stepGradient()}), so the parameters can be updated
 * after every step ({@code OnlineLearning}); after an update the traces go stale as for every RTRL learner.
 *
 * <h2>Deep stacks: Zucchet et al.'s rule and what it drops</h2>
 * For a stack with {@link TraceRule#EXACT} this is the rule of Zucchet, Meier, Schug, Mujika and Sacramento
 * (2023, "Online learning of long-range dependencies"). It is exact for the top layer and for everything that
 * flows through the current step, and drops every path that leaves a layer and re-enters time in a layer
 * above: a parameter θ^l changes y^l at an earlier step t' &lt; t, that change enters layer l+1's state at t'
 * and is carried by layer l+1's recurrence to step t. In RTRL terms, the influence of θ^l on the states of
 * layers above is set to zero between steps, so the gradient of lower layers misses the temporal credit
 * assigned by the layers above them. It is exact when the layers above are memoryless (λ = 0).
 *
 * <p>For comparison the same class runs {@link TraceRule#ONE_STEP} (traces truncated to one step back) and
 * {@link TraceRule#NONE} (spatial backpropagation only: no temporal credit at all; exact when every layer is
 * memoryless).
 */
public final class ElementwiseOnline extends ForwardLearner {
    private final TraceRule rule;
    private final LayerSensitivity[] layers;
    private final Cell[] cells;
    private final int[] paramOffset;
    private final int[] stateStart;

    /**
     * A learner for a network whose cell is an element-wise cell or a stack of them.
     *
     * @param net   the network
     * @param batch the batch of sequences
     * @param rule  how each layer's traces are carried
     * @throws IllegalArgumentException naming the layer when one is not element-wise, or when batch is not positive
     * @throws NullPointerException     when net or rule is null
     * @throws dev.wengert.rnn.MemoryGuard.InsufficientMemoryException when the traces would not fit in the heap
     */
    public ElementwiseOnline(RecurrentNet net, int batch, TraceRule rule) {
        super(net, batch);
        if (rule == null) throw new NullPointerException("ElementwiseOnline: the trace rule is null");
        this.rule = rule;
        List<Cell> list = cell instanceof StackedCell ? ((StackedCell) cell).layers() : List.of(cell);
        cells = list.toArray(new Cell[0]);
        double doubles = 0;
        for (int l = 0; l < cells.length; l++) {
            if (cells[l] instanceof StackedCell) {
                throw new IllegalArgumentException("ElementwiseOnline: layer " + l + " is itself a stack; flatten it");
            }
            LayerSensitivity.requireElementwise(cells[l], "ElementwiseOnline: layer " + l);
            doubles += LayerSensitivity.traceDoubles(cells[l], batch, rule);
        }
        requireMemory("elementwise online (" + rule + ")", String.format(Locale.ROOT,
                "%s, batch %d: %.4g trace doubles", cell.name(), batch, doubles), doubles,
                2.0 * doubles / Math.max(1, cells.length), doubles);
        layers = new LayerSensitivity[cells.length];
        paramOffset = new int[cells.length + 1];
        stateStart = new int[cells.length + 1];
        for (int l = 0; l < cells.length; l++) {
            layers[l] = LayerSensitivity.of(cells[l], batch, rule, "ElementwiseOnline");
            paramOffset[l + 1] = paramOffset[l] + (int) cells[l].parameterCount();
            stateStart[l + 1] = stateStart[l] + cells[l].stateParts();
        }
    }

    /**
     * Exact RTRL of one element-wise layer ({@link TraceRule#EXACT}).
     *
     * @param net   a network whose cell is one element-wise cell (not a stack)
     * @param batch the batch of sequences
     * @return the learner
     * @throws IllegalArgumentException when the cell is a stack (whose gradient this rule only approximates)
     *                                  or not element-wise
     */
    public static ElementwiseOnline rtrl(RecurrentNet net, int batch) {
        if (net != null && net.cell() instanceof StackedCell) {
            throw new IllegalArgumentException("ElementwiseOnline.rtrl: " + net.cell().name() + " is a stack; the "
                    + "layer-wise rule is exact for one layer only (use zucchet(net, batch) for the approximation)");
        }
        return new ElementwiseOnline(net, batch, TraceRule.EXACT);
    }

    /**
     * Zucchet et al.'s rule: exact traces in every layer, spatial backpropagation across layers.
     *
     * @param net   a network whose cell is an element-wise cell or a stack of them
     * @param batch the batch of sequences
     * @return the learner
     * @throws IllegalArgumentException naming the layer when one is not element-wise
     */
    public static ElementwiseOnline zucchet(RecurrentNet net, int batch) {
        return new ElementwiseOnline(net, batch, TraceRule.EXACT);
    }

    /** @return how the traces are carried */
    public TraceRule rule() {
        return rule;
    }

    @Override
    protected Tensor[] advance(Tensor x) {
        Tensor[] next = new Tensor[state.length];
        double[] u = x.data();
        for (int l = 0; l < layers.length; l++) {
            int parts = stateStart[l + 1] - stateStart[l];
            double[][] prev = new double[parts][];
            for (int i = 0; i < parts; i++) prev[i] = state[stateStart[l] + i].data();
            double[][] s = layers[l].forward(prev, u);
            int[] sizes = cells[l].stateSizes();
            for (int i = 0; i < parts; i++) next[stateStart[l] + i] = Tensor.wrap(s[i], batch, sizes[i]);
            u = s[cells[l].outputPart()];
        }
        return next;
    }

    @Override
    protected void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad) {
        for (LayerSensitivity layer : layers) layer.updateTraces();
        if (gh == null) return;
        double[] g = gh;
        for (int l = layers.length - 1; l >= 0; l--) {
            double[] gu = l > 0 ? new double[batch * cells[l].inputSize()] : null;
            layers[l].backward(g, grad, paramOffset[l], gu);
            g = gu;
        }
    }

    /** Every layer's backward adds into the gradient ({@code +=}), never assigns it. */
    @Override
    protected boolean propagateOnlyAdds() {
        return true;
    }

    @Override
    protected void resetInfluence() {
        for (LayerSensitivity layer : layers) layer.reset();
    }

    @Override
    public long stateBytes() {
        long b = 0;
        for (LayerSensitivity layer : layers) b += layer.stateBytes();
        return b;
    }
}
