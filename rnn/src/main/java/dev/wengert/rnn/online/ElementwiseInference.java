package dev.wengert.rnn.online;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import java.util.List;

/**
 * The forward pass alone of an element-wise layer or stack, step by step, in the same plain arithmetic as
 * {@link ElementwiseOnline} but with no traces and no gradient: inference on a stream, and the baseline the
 * online learner's cost per step is compared with.
 */
public final class ElementwiseInference {
    private final RecurrentNet net;
    private final int batch;
    private final Cell[] cells;
    private final LayerSensitivity[] layers;
    private double[][][] state;

    /**
     * Inference for a network whose cell is an element-wise cell or a stack of them.
     *
     * @param net   the network
     * @param batch the batch of sequences
     * @throws IllegalArgumentException naming the layer when one is not element-wise, or when batch is not positive
     * @throws NullPointerException     when net is null
     */
    public ElementwiseInference(RecurrentNet net, int batch) {
        if (net == null) throw new NullPointerException("ElementwiseInference: the network is null");
        if (batch < 1) throw new IllegalArgumentException("ElementwiseInference: batch must be positive, got " + batch);
        this.net = net;
        this.batch = batch;
        Cell cell = net.cell();
        List<Cell> list = cell instanceof StackedCell ? ((StackedCell) cell).layers() : List.of(cell);
        cells = list.toArray(new Cell[0]);
        layers = new LayerSensitivity[cells.length];
        for (int l = 0; l < cells.length; l++) {
            layers[l] = LayerSensitivity.of(cells[l], batch, TraceRule.NONE, "ElementwiseInference: layer " + l);
        }
        reset();
    }

    /** Sets every layer's state to zero. */
    public void reset() {
        state = new double[cells.length][][];
        for (int l = 0; l < cells.length; l++) {
            int[] sizes = cells[l].stateSizes();
            state[l] = new double[sizes.length][];
            for (int i = 0; i < sizes.length; i++) state[l][i] = new double[batch * sizes[i]];
        }
    }

    /**
     * One step: advances every layer with input x and returns the network's output (the readout of the top
     * layer's output, or that output itself).
     *
     * @param x the input {@code [batch, m]} (read, not written)
     * @return the output {@code [batch, outputs]}, a fresh tensor
     * @throws ShapeException naming the shapes when x does not have shape {@code [batch, m]}
     * @throws NullPointerException when x is null
     */
    public Tensor step(Tensor x) {
        if (x == null) throw new NullPointerException("ElementwiseInference.step: x is null");
        if (!x.hasShape(batch, cells[0].inputSize())) {
            throw new ShapeException("ElementwiseInference.step: x has shape " + Shapes.str(x.shape()) + ", expected ["
                    + batch + "," + cells[0].inputSize() + "]");
        }
        double[] u = x.data();
        for (int l = 0; l < cells.length; l++) {
            state[l] = layers[l].forward(state[l], u);
            u = state[l][cells[l].outputPart()];
        }
        Cell top = cells[cells.length - 1];
        try (var paused = dev.wengert.core.Tape.pause()) {
            return net.output(Tensor.wrap(u.clone(), batch, top.hiddenSize()));
        }
    }
}
