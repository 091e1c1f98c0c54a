package dev.wengert.rnn;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Linear;
import dev.wengert.nn.Module;
import java.util.List;
import java.util.Random;

/**
 * A recurrent cell with an optional readout: {@code s_t = F(θ, s_{t−1}, x_t)}, {@code y_t = h_t W_oᵀ + b_o}
 * (an {@link Linear nn.Linear} on the cell's output h_t), or {@code y_t = h_t} without a readout.
 * Per-step losses {@code ℓ_t(y_t)} ({@link StepLoss}) over a sequence sum to the sequence loss
 * {@code L = Σ_t ℓ_t}, whose gradient the algorithms of {@code rnn.bptt}, {@code rnn.rtrl}, {@code rnn.approx}
 * and {@code rnn.online} compute or estimate.
 *
 * <p>Parameters: the cell's (named {@code cell.*}) then the readout's ({@code readout.weight},
 * {@code readout.bias}). Every gradient the algorithms return is a list aligned with
 * {@link #parameters()}. The readout has no recurrence, so RTRL and its approximations give it its
 * exact immediate gradient; only the cell's {@code p} parameters need an influence matrix.
 */
public final class RecurrentNet extends Module {
    private final Cell cell;
    private final Linear readout;

    /**
     * A network whose output is the cell's h_t itself.
     *
     * @param cell the cell, not null; it becomes the sub-module {@code cell}
     */
    public RecurrentNet(Cell cell) {
        this(cell, null);
    }

    /**
     * A network with the given readout (null for none); the readout must read {@code hiddenSize} features.
     *
     * @param cell    the cell, not null; it becomes the sub-module {@code cell}
     * @param readout the readout, or null; it becomes the sub-module {@code readout}
     */
    public RecurrentNet(Cell cell, Linear readout) {
        if (cell == null) throw new IllegalArgumentException("RecurrentNet: cell is null");
        if (readout != null && readout.inFeatures() != cell.hiddenSize()) {
            throw new IllegalArgumentException("RecurrentNet: the readout reads " + readout.inFeatures()
                    + " features but the cell " + cell.name() + " outputs " + cell.hiddenSize());
        }
        this.cell = addModule("cell", cell);
        this.readout = readout == null ? null : addModule("readout", readout);
    }

    /**
     * A network with a fresh readout to {@code outputs} features (weights N(0, 1/n), zero bias).
     *
     * @param cell    the cell, not null
     * @param outputs the number of output features, &gt; 0
     * @param rng     the generator the readout's weights are drawn from
     * @return a new network
     */
    public static RecurrentNet withReadout(Cell cell, int outputs, Random rng) {
        return new RecurrentNet(cell, new Linear(cell.hiddenSize(), outputs, rng));
    }

    /** {@return the cell, the live module} */
    public Cell cell() {
        return cell;
    }

    /** {@return the readout, or null} */
    public Linear readout() {
        return readout;
    }

    /**
     * {@code y_t} from {@code h_t}: the readout applied, or h_t itself.
     *
     * @param h the cell's output {@code [batch, n]}
     * @return {@code y_t}, {@code [batch, outputs]}: a new tensor, or h itself without a readout
     */
    public Tensor output(Tensor h) {
        return readout == null ? h : readout.forward(h);
    }

    /**
     * The zero state for a batch.
     *
     * @param batch the number of sequences, &gt; 0
     * @return new zero tensors, one {@code [batch, size]} per state part
     */
    public Tensor[] initialState(int batch) {
        return cell.initialState(batch);
    }

    /**
     * One step of the cell with its own parameters.
     *
     * @param state the previous state, one {@code [batch, size]} tensor per part
     * @param x     the input {@code [batch, m]}
     * @return the new state, one tensor per part
     */
    public Tensor[] step(Tensor[] state, Tensor x) {
        return cell.step(state, x);
    }

    /** {@return the number of parameter tensors of the cell} They come first in {@link #parameters()}. */
    public int cellTensors() {
        return cell.params().length;
    }

    /** {@return the number p of recurrent (cell) parameter scalars: the width of the influence matrix} */
    public long cellParameterCount() {
        return cell.parameterCount();
    }

    /** The readout's parameters (empty without a readout). */
    List<Tensor> readoutParameters() {
        return readout == null ? List.of() : readout.parameters();
    }
}
