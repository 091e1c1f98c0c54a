package dev.wengert.rnn.bptt;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.rnn.internal.Sequences.checkInputs;
import static dev.wengert.rnn.internal.Sequences.detach;

import dev.wengert.core.Allocation;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.internal.Hooks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full backpropagation through time: the whole sequence is recorded on one tape and the gradient of
 * {@code L = Σ_t ℓ_t} is one reverse pass over it (the copies θ_t of the parameters at every step each
 * get a gradient, and these are summed). Memory grows with T (every step's activations
 * are kept until the backward pass); time is about three forward passes.
 */
public final class Bptt {
    private Bptt() {}

    /**
     * The exact gradient of {@code L = Σ_{t<T} ℓ_t} over the sequence {@code xs} (each {@code [batch, m]}),
     * starting from {@code s0} (null: the zero state). Steps are numbered from 0 for the loss.
     *
     * @param net  the network
     * @param s0   the initial state, one tensor per state part, or null for zeros; treated as a constant
     * @param xs   the inputs, at least one step
     * @param loss the loss of each step
     * @return the loss, one gradient per parameter of the network (new tensors), and the final state
     *     (detached)
     */
    public static SequenceGradient gradient(RecurrentNet net, Tensor[] s0, Tensor[] xs, StepLoss loss) {
        checkInputs("bptt", net, xs, loss);
        return segment(net, s0 == null ? net.initialState(xs[0].dim(0)) : s0, xs, 0, xs.length, loss, null);
    }

    /**
     * Records steps {@code from..to−1} on a fresh tape, starting from {@code state} treated as a constant
     * (detached: no gradient flows into it), and returns the gradient of the sum of their losses. When
     * {@code stateCotangent} is given (one tensor per state part, or null entries), the objective also
     * includes {@code <stateCotangent, s_to>}: what checkpointed BPTT carries between segments.
     */
    static SequenceGradient segment(RecurrentNet net, Tensor[] state, Tensor[] xs, int from, int to, StepLoss loss,
            Tensor[] stateCotangent) {
        if (Hooks.hasFusedSequence(net.cell()) && to > from) {
            return fusedSegment(net, state, xs, from, to, loss, stateCotangent);
        }
        List<Tensor> params = net.parameters();
        Tensor[] s = detach(state);
        try (Tape tape = Tape.open()) {
            Tensor total = null;
            for (int t = from; t < to; t++) {
                s = net.step(s, xs[t]);
                Tensor l = lossAt(net, s, t, loss);
                if (l != null) total = total == null ? l : add(total, l);
            }
            double value = total == null ? 0.0 : total.item();
            Tensor[] grads = gradients(tape, params, total, s, stateCotangent, null);
            return new SequenceGradient(value, Arrays.asList(grads), detach(s));
        }
    }

    /**
     * {@link #segment} through the cell's fused sequence op ({@code Cell.sequence}: the vanilla RNN's and the
     * LSTM's): the states of all steps in one node, so the input projections are one product and the weight
     * gradients one product each. The step losses are differentiated on an inner tape with respect to each h_t
     * (as variables of their own), and their gradients, stacked, are the cotangent of the fused node: the same
     * gradient as the step-by-step graph, to rounding, without a slice per step on the tape (whose cotangents
     * would each be as large as the whole sequence).
     */
    private static SequenceGradient fusedSegment(RecurrentNet net, Tensor[] state, Tensor[] xs, int from, int to,
            StepLoss loss, Tensor[] stateCotangent) {
        Cell cell = net.cell();
        int steps = to - from;
        int batch = xs[from].dim(0);
        int m = cell.inputSize();
        int n = cell.hiddenSize();
        int parts = cell.stateParts();
        int stepSize = batch * n;
        int partSize = steps * stepSize;
        double[] x = Allocation.doubles("bptt", new int[] {steps, batch, m});
        for (int t = 0; t < steps; t++) System.arraycopy(xs[from + t].data(), 0, x, t * batch * m, batch * m);
        List<Tensor> readout = Hooks.readoutParameters(net);
        Tensor[] cellParams = Hooks.params(cell);
        Tensor[] wrtInner = new Tensor[readout.size() + steps];
        for (int i = 0; i < readout.size(); i++) wrtInner[i] = readout.get(i);
        try (Tape tape = Tape.open()) {
            Tensor y = Hooks.sequence(cell, detach(state), Tensor.wrap(x, steps, batch, m));
            double[] yd = y.data();
            Tensor total = null;
            double value;
            Tensor[] lossGrads;
            try (Tape inner = Tape.open()) {
                for (int t = 0; t < steps; t++) {
                    Tensor ht = Tensor.wrap(Arrays.copyOfRange(yd, t * stepSize, (t + 1) * stepSize), batch, n)
                            .requiresGrad();
                    wrtInner[readout.size() + t] = ht;
                    Tensor l = lossAt(net, new Tensor[] {ht}, from + t, loss);
                    if (l != null) total = total == null ? l : add(total, l);
                }
                value = total == null ? 0.0 : total.item();
                lossGrads = total == null ? null : inner.gradient(total, wrtInner);
            }
            double[] g = Allocation.doubles("bptt", y.shape());
            if (lossGrads != null) {
                for (int t = 0; t < steps; t++) {
                    Tensor gt = lossGrads[readout.size() + t];
                    if (gt != null) System.arraycopy(gt.data(), 0, g, t * stepSize, stepSize);
                }
            }
            Tensor[] finalState = new Tensor[parts];
            for (int p = 0; p < parts; p++) {
                int o = p * partSize + (steps - 1) * stepSize;
                finalState[p] = Tensor.wrap(Arrays.copyOfRange(yd, o, o + stepSize), batch, n);
                if (stateCotangent != null && stateCotangent[p] != null) {
                    double[] c = stateCotangent[p].data();
                    for (int i = 0; i < stepSize; i++) g[o + i] += c[i];
                }
            }
            Tensor[] cellGrads = tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.wrap(g, y.shape())}, cellParams);
            List<Tensor> grads = new ArrayList<>(cellParams.length + readout.size());
            for (Tensor cg : cellGrads) grads.add(cg);
            for (int i = 0; i < readout.size(); i++) {
                Tensor gr = lossGrads == null ? null : lossGrads[i];
                grads.add(gr == null ? Tensor.zeros(readout.get(i).shape()) : gr);
            }
            return new SequenceGradient(value, grads, finalState);
        }
    }

    /** ℓ_t of the state s after step t, checked to be a scalar; null when step t has no loss. */
    static Tensor lossAt(RecurrentNet net, Tensor[] s, int t, StepLoss loss) {
        Tensor l = loss.at(t, net.output(net.cell().output(s)));
        if (l != null && l.size() != 1) {
            throw new ShapeException("loss: step " + t + " returned a tensor of shape " + Shapes.str(l.shape())
                    + "; a step loss must be a scalar (sum or average over the batch)");
        }
        return l;
    }

    /**
     * The gradients of {@code total + <cot, sEnd>} with respect to {@code params} followed by {@code extra}
     * (zeros when there is nothing to differentiate).
     */
    static Tensor[] gradients(Tape tape, List<Tensor> params, Tensor total, Tensor[] sEnd, Tensor[] cot, Tensor[] extra) {
        int ne = extra == null ? 0 : extra.length;
        Tensor[] wrt = new Tensor[params.size() + ne];
        for (int i = 0; i < params.size(); i++) wrt[i] = params.get(i);
        for (int i = 0; i < ne; i++) wrt[params.size() + i] = extra[i];
        int outs = total == null ? 0 : 1;
        if (cot != null) for (Tensor c : cot) if (c != null) outs++;
        if (outs == 0) {
            Tensor[] z = new Tensor[wrt.length];
            for (int i = 0; i < z.length; i++) z[i] = Tensor.zeros(wrt[i].shape());
            return z;
        }
        Tensor[] ys = new Tensor[outs];
        Tensor[] seeds = new Tensor[outs];
        int k = 0;
        if (total != null) ys[k++] = total;
        if (cot != null) {
            for (int i = 0; i < cot.length; i++) {
                if (cot[i] == null) continue;
                ys[k] = sEnd[i];
                seeds[k++] = cot[i];
            }
        }
        return tape.gradient(ys, seeds, wrt);
    }
}
