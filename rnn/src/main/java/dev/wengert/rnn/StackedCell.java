package dev.wengert.rnn;

import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cells stacked in layers: layer l reads the output {@code h_t^{(l−1)}} of the layer below at the same
 * step (layer 0 reads {@code x_t}). The state is the concatenation of the layers' state parts, layer 0
 * first; the output is the top layer's h. Parameters are the layers' in order, named
 * {@code 0.W_hh}, {@code 1.W_hh}, ... A stack is itself a {@link Cell}, so every algorithm that works
 * on cells made of ops (BPTT, TBPTT, generic RTRL, UORO) works on it.
 *
 * <p><b>Saved layout.</b> A stack whose layers are all {@link RnnCell}s, all {@link LstmCell}s or all
 * {@link GruCell#torch PyTorch GRUs} is saved as PyTorch's multi-layer {@code nn.RNN}, {@code nn.LSTM} or
 * {@code nn.GRU} ({@code num_layers} = the number of layers): layer l's tensors (see the cells) under
 * {@code weight_ih_l<l>}, {@code weight_hh_l<l>}, {@code bias_ih_l<l>}, {@code bias_hh_l<l>}, layer by layer.
 * PyTorch's stacks have one hidden size for all layers; a Wengert stack whose sizes differ is saved under the
 * same names and PyTorch refuses its shapes. Any other stack (mixed kinds, other cells) is saved under
 * {@code 0.}, {@code 1.}, ... followed by each layer's own saved names. In memory the names stay
 * {@code 0.W_hh}, ... either way.
 */
public final class StackedCell extends Cell {
    private final List<Cell> layers;
    private final int[] paramStart;
    private final int[] stateStart;

    /**
     * A stack of the given layers, bottom first; each layer reads as many features as the one below outputs.
     *
     * @param layers the cells, at least one, none null; they become the sub-modules {@code 0}, {@code 1}, ...
     */
    public StackedCell(Cell... layers) {
        super(first(layers).inputSize(), layers[layers.length - 1].hiddenSize());
        for (int l = 1; l < layers.length; l++) {
            if (layers[l].inputSize() != layers[l - 1].hiddenSize()) {
                throw new IllegalArgumentException("StackedCell: layer " + l + " (" + layers[l].name() + ") reads "
                        + layers[l].inputSize() + " inputs but layer " + (l - 1) + " (" + layers[l - 1].name()
                        + ") outputs " + layers[l - 1].hiddenSize());
            }
        }
        this.layers = List.of(layers);
        paramStart = new int[layers.length + 1];
        stateStart = new int[layers.length + 1];
        for (int l = 0; l < layers.length; l++) {
            addModule(Integer.toString(l), layers[l]);
            paramStart[l + 1] = paramStart[l] + layers[l].parameters().size();
            stateStart[l + 1] = stateStart[l] + layers[l].stateParts();
        }
    }

    private static Cell first(Cell[] layers) {
        if (layers == null || layers.length == 0) throw new IllegalArgumentException("StackedCell: no layers");
        for (int l = 0; l < layers.length; l++) {
            if (layers[l] == null) throw new NullPointerException("StackedCell: layer " + l + " is null");
        }
        return layers[0];
    }

    /** {@return the layers, bottom first} An unmodifiable list of the live cells. */
    public List<Cell> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public int[] stateSizes() {
        int[] out = new int[stateStart[layers.size()]];
        for (int l = 0; l < layers.size(); l++) {
            int[] s = layers.get(l).stateSizes();
            System.arraycopy(s, 0, out, stateStart[l], s.length);
        }
        return out;
    }

    @Override
    public int outputPart() {
        int top = layers.size() - 1;
        return stateStart[top] + layers.get(top).outputPart();
    }

    @Override
    public Tensor[] step(Tensor[] params, Tensor[] state, Tensor x) {
        checkStep(params, state, x);
        Tensor[] out = new Tensor[state.length];
        Tensor in = x;
        for (int l = 0; l < layers.size(); l++) {
            Cell c = layers.get(l);
            Tensor[] s = c.step(Arrays.copyOfRange(params, paramStart[l], paramStart[l + 1]),
                    Arrays.copyOfRange(state, stateStart[l], stateStart[l + 1]), in);
            System.arraycopy(s, 0, out, stateStart[l], s.length);
            in = c.output(s);
        }
        return out;
    }

    /** The PyTorch module every layer is saved as, when all are saved as the same one; else null. */
    private String torchStack() {
        String kind = layers.get(0).torchModule();
        for (Cell c : layers) {
            if (kind == null || !kind.equals(c.torchModule())) return null;
        }
        return kind;
    }

    /** {@code weight_ih_l0} with layer l's suffix. */
    private static String layerName(int i, int l) {
        String base = TORCH_NAMES[i];
        return base.substring(0, base.length() - 1) + l;
    }

    @Override
    protected Map<String, Tensor> savedLayout() {
        if (torchStack() == null) return super.savedLayout();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Tensor[] t = layers.get(l).toTorch();
            for (int i = 0; i < TORCH_NAMES.length; i++) out.put(layerName(i, l), t[i]);
        }
        return out;
    }

    @Override
    protected void loadLayout(Map<String, Tensor> values) {
        if (torchStack() == null) {
            super.loadLayout(values);
            return;
        }
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).fromTorch(values.get(layerName(0, l)), values.get(layerName(1, l)), values.get(layerName(2, l)),
                    values.get(layerName(3, l)));
        }
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder("StackedCell[");
        for (int l = 0; l < layers.size(); l++) sb.append(l == 0 ? "" : ", ").append(layers.get(l).name());
        return sb.append(']').toString();
    }
}
