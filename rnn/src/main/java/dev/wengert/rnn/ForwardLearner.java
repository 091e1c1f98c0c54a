package dev.wengert.rnn;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.internal.GradientSum;
import dev.wengert.rnn.internal.Sequences;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A learner that computes gradients forwards in time, step by step, as the sequence arrives: exact RTRL
 * ({@link Rtrl}) and its approximations ({@link Snap1}, {@link Uoro}). Each carries, besides the state
 * {@code s_t}, some form of the influence matrix {@code M_t = ∂s_t/∂θ}, updated by the RTRL recursion
 * <pre>  M_t = (∂s_t/∂s_{t−1}) M_{t−1} + ∂s_t/∂θ_t      (M_0 = 0)</pre>
 * and turns it into the gradient of the step's loss at once:
 * {@code ∂ℓ_t/∂θ = (∂ℓ_t/∂h_t) M_t^{(h)}}, where {@code ∂ℓ_t/∂h_t} comes from a small reverse pass through
 * the readout and the loss. The readout's own gradient is exact and immediate.
 *
 * <p>{@link #step} returns ℓ_t, makes the step's gradient available ({@link #stepGradient}) and adds it to
 * the running sum ({@link #gradient}). Without parameter updates the running sum over a sequence is the
 * gradient of {@code L = Σ_t ℓ_t} (exact for RTRL). For online learning ({@link OnlineLearning}) the
 * parameters are updated after every step and the recursion simply carries on: {@code M_{t−1}} was
 * computed under the old parameters, so it goes stale, which is harmless for small learning rates.
 */
public abstract class ForwardLearner {
    /** The network learned: its cell's parameters are the columns of the influence matrix. */
    protected final RecurrentNet net;
    /** The network's cell. */
    protected final Cell cell;
    /** The number of sequences processed side by side. */
    protected final int batch;
    /** The number of cell parameter scalars: the width of the influence matrix. */
    protected final int p;
    /** The current state {@code s_t}, one detached {@code [batch, size]} tensor per part. */
    protected Tensor[] state;

    private final List<Tensor> params;
    private final Tensor[] cellParams;
    private final List<Tensor> readoutParams;
    private final int[] offsets;
    private final GradientSum total;
    private final double[] cellGrad;
    /** The summed cell gradient, p entries in parameter order (copied into {@link #total} when asked for). */
    private final double[] cellTotal;
    /** Whether each step's gradient is kept apart for {@link #stepGradient()} (see {@link #run}). */
    private boolean keepStepGradient = true;
    private List<Tensor> stepGrad;
    private boolean hasStepGrad;
    private Tensor[] lastReadoutGrad;
    private int steps;

    /**
     * A learner for {@code net} over {@code batch} sequences at once, in the zero state; the subclass allocates
     * its influence matrix (or its approximation).
     *
     * @param net   the network, not null
     * @param batch the number of sequences, ≥ 1
     * @throws MemoryGuard.InsufficientMemoryException when p or the state does not fit in a Java array
     */
    protected ForwardLearner(RecurrentNet net, int batch) {
        if (net == null) throw new NullPointerException(getClass().getSimpleName() + ": the network is null");
        if (batch < 1) throw new IllegalArgumentException(getClass().getSimpleName() + ": batch must be positive, got " + batch);
        this.net = net;
        this.cell = net.cell();
        this.batch = batch;
        long pl = net.cellParameterCount();
        if (pl > Integer.MAX_VALUE - 8) {
            throw new MemoryGuard.InsufficientMemoryException(getClass().getSimpleName() + ": " + cell.name() + " has p = "
                    + pl + " parameters, more than a Java array holds", getClass().getSimpleName(), pl, pl * 8,
                    MemoryGuard.availableBytes());
        }
        this.p = (int) pl;
        if ((double) batch * cell.stateSize() > dev.wengert.core.Allocation.MAX_ARRAY) {
            throw new MemoryGuard.InsufficientMemoryException(getClass().getSimpleName() + ": the state of batch " + batch
                    + " × " + cell.stateSize() + " has more elements than a Java array holds", getClass().getSimpleName(),
                    (long) batch * cell.stateSize(), 8L * batch * cell.stateSize(), MemoryGuard.availableBytes());
        }
        this.params = net.parameters();
        this.cellParams = cell.params();
        this.readoutParams = net.readoutParameters();
        this.offsets = new int[cellParams.length + 1];
        for (int i = 0; i < cellParams.length; i++) offsets[i + 1] = offsets[i] + cellParams[i].size();
        this.total = new GradientSum(params);
        this.cellGrad = new double[p];
        this.cellTotal = new double[p];
        this.state = cell.initialState(batch);
    }

    /**
     * The bytes the memory guard counted for this learner when it was made: the buffers it keeps (its
     * influence matrix or approximation, {@link #stateBytes()}), what every learner keeps (the gradient sums,
     * the states), and every temporary of one step (tangents or products, the step gradient, the readout's
     * and the loss's tape, the packing buffers of matrix products).
     *
     * @return the bytes counted
     */
    public final long workingSetBytes() {
        return workingSet;
    }

    private long workingSet;

    /** Temporaries of the readout and the loss per element of a step's output and state, a generous allowance. */
    static final double LOSS_TEMPORARIES = 16;
    /** Small objects of a step's bookkeeping (tensors, tape nodes): 1 MiB of doubles. */
    static final double BOOKKEEPING = 1 << 17;

    /**
     * The memory guard of a learner about to allocate {@code buffers} doubles that it keeps and whose steps
     * allocate {@code temporaries} doubles more, its largest array holding {@code largestArray}: adds what
     * every learner keeps and allocates per step, records the sum ({@link #workingSetBytes()}), and refuses up
     * front when it does not fit ({@link MemoryGuard#require}). Call it before allocating anything large.
     *
     * @param what         the learner, as messages name it
     * @param sizes        its sizes, described
     * @param buffers      the doubles it keeps
     * @param temporaries  the doubles a step allocates besides
     * @param largestArray the doubles of its largest array
     */
    protected final void requireMemory(String what, String sizes, double buffers, double temporaries,
            double largestArray) {
        double readout = net.parameterCount() - p;
        int outputs = net.readout() == null ? cell.hiddenSize() : net.readout().outFeatures();
        double common = 3.0 * (p + readout) + 4.0 * batch * cell.stateSize()
                + LOSS_TEMPORARIES * batch * ((double) cell.stateSize() + outputs) + BOOKKEEPING;
        double total = buffers + temporaries + common;
        workingSet = (long) Math.min(8.0 * total, Long.MAX_VALUE);
        MemoryGuard.require(what, sizes + String.format(java.util.Locale.ROOT, " (working set: %s of buffers, %s of "
                + "one step's temporaries, %s kept by every learner)", MemoryGuard.bytes(8 * buffers),
                MemoryGuard.bytes(8 * temporaries), MemoryGuard.bytes(8 * common)), total, largestArray);
    }

    /**
     * The doubles of the packing buffers that {@code threads} threads keep for matrix products, for
     * {@link #requireMemory}.
     *
     * @param threads the number of threads that multiply matrices
     * @return the doubles they keep
     */
    protected static double packing(int threads) {
        return (double) threads * dev.wengert.ops.kernel.Gemm.packingDoublesPerThread();
    }

    /**
     * The elements of all the values one step of {@code cell} computes for one sequence, by recording a step
     * at batch 1: the unit of the temporaries of a step in forward or reverse mode, for {@link #requireMemory}.
     *
     * @param cell the cell
     * @return the doubles one step computes for one sequence
     */
    protected static double stepOutputsPerSequence(Cell cell) {
        try (Tape tape = Tape.open()) {
            cell.step(cell.initialState(1), Tensor.zeros(1, cell.inputSize()));
            return tape.retainedBytes() / 8.0;
        }
    }

    /**
     * Advances one step with input {@code x} ({@code [batch, m]}), computes ℓ_t = {@code loss.at(t, y_t)}
     * and the step's gradient (estimate) with the current parameters; returns ℓ_t (0 when step t has no
     * loss).
     *
     * @param t    the step's number, from 0, passed to the loss
     * @param x    the input {@code [batch, m]}
     * @param loss the loss of each step; it may return null for a step without a loss
     * @return ℓ_t, or 0 when step t has no loss
     */
    public final double step(int t, Tensor x, StepLoss loss) {
        if (x == null) throw new NullPointerException(getClass().getSimpleName() + ".step: x_" + t + " is null");
        if (loss == null) throw new NullPointerException(getClass().getSimpleName() + ".step: the loss is null");
        if (!x.hasShape(batch, cell.inputSize())) {
            throw new ShapeException(getClass().getSimpleName() + ".step: x_" + t + " has shape " + Shapes.str(x.shape())
                    + ", expected [" + batch + "," + cell.inputSize() + "]");
        }
        Tensor[] next = advance(x);
        Tensor hv = cell.output(next).detach().requiresGrad();
        double[] gh = null;
        double value = 0;
        Tensor[] readoutGrad = null;
        try (Tape tape = Tape.open()) {
            Tensor lt = loss.at(t, net.output(hv));
            if (lt != null) {
                if (lt.size() != 1) {
                    throw new ShapeException("loss: step " + t + " returned a tensor of shape " + Shapes.str(lt.shape())
                            + "; a step loss must be a scalar");
                }
                value = lt.item();
                Tensor[] wrt = new Tensor[1 + readoutParams.size()];
                wrt[0] = hv;
                for (int i = 0; i < readoutParams.size(); i++) wrt[i + 1] = readoutParams.get(i);
                Tensor[] g;
                if (lt.isLeaf() && !lt.isVariable()) { // a constant loss: nothing to differentiate
                    g = new Tensor[wrt.length];
                    for (int i = 0; i < g.length; i++) g[i] = Tensor.zeros(wrt[i].shape());
                } else {
                    g = tape.gradient(lt, wrt);
                }
                gh = g[0].data();
                readoutGrad = g;
            }
        }
        boolean keepStep = keepStepGradient || !propagateOnlyAdds();
        if (keepStep) {
            java.util.Arrays.fill(cellGrad, 0.0);
            propagate(x, next, gh, cellGrad);
        } else {
            // Straight into the sum: no step buffer to clear, fill and add (three passes over p doubles that
            // cost an LRU layer of width 64 more than its traces do).
            propagate(x, next, gh, cellTotal);
        }
        state = next;
        steps++;
        stepGrad = null;
        hasStepGrad = gh != null && keepStep;
        if (gh == null) return 0.0;
        // Summed without building tensors: the step gradient is only materialised if asked for.
        if (keepStep) addInto(cellTotal, cellGrad, 0);
        for (int i = 0; i < readoutParams.size(); i++) addInto(total.g[cellParams.length + i], readoutGrad[i + 1].data(), 0);
        lastReadoutGrad = readoutGrad;
        total.loss += value;
        return value;
    }

    /**
     * {@code sum[j] += g[off + j]} over sum: a method of its own so that C2 compiles (and vectorises) the
     * loop on its own; inlined into {@link #step} it ran unvectorised and took a third of an online step.
     */
    private static void addInto(double[] sum, double[] g, int off) {
        for (int j = 0; j < sum.length; j++) sum[j] += g[off + j];
    }

    /**
     * Computes the next state {@code s_t} (values only) from the current {@link #state} and {@code x},
     * with the current parameters, keeping whatever {@link #propagate} will need.
     *
     * @param x the input {@code [batch, m]}
     * @return the new state, one detached tensor per part
     */
    protected abstract Tensor[] advance(Tensor x);

    /**
     * Updates the influence matrix (or its approximation) from {@code M_{t−1}} to {@code M_t}, and when
     * {@code gh} (the cotangent {@code ∂ℓ_t/∂h_t}, {@code batch × n} row-major) is not null, adds
     * {@code gh · M_t^{(h)}} (one entry per cell parameter, in parameter order) into {@code grad}.
     * {@link #state} still holds {@code s_{t−1}}; {@code next} is {@code s_t}.
     *
     * @param x    the input {@code [batch, m]}
     * @param next the new state {@code s_t}
     * @param gh   the cotangent {@code ∂ℓ_t/∂h_t}, or null when the step has no loss
     * @param grad where to add the step's gradient (estimate), p entries: zeroed by the caller, or the running
     *             sum itself when {@link #propagateOnlyAdds()} allows it
     */
    protected abstract void propagate(Tensor x, Tensor[] next, double[] gh, double[] grad);

    /**
     * Whether {@link #propagate} only ever adds into {@code grad} (never assigns or reads it), so that
     * {@link #run} can hand it the running sum instead of a zeroed step buffer. False unless a learner
     * says so.
     *
     * @return true when propagate's writes into grad are all {@code +=}
     */
    protected boolean propagateOnlyAdds() {
        return false;
    }

    /** Resets the influence matrix (or its approximation) to zero: the state is then a constant. */
    protected abstract void resetInfluence();

    /**
     * The bytes of the sensitivity state this learner carries from step to step: the influence matrix
     * (and its work buffers) for exact RTRL, its compressed form for the approximations. It does not grow
     * with the sequence length.
     *
     * @return the bytes, 8 per double held
     */
    public abstract long stateBytes();

    /**
     * 8 bytes per element of each array, for {@link #stateBytes()}.
     *
     * @param arrays the arrays; null entries count as empty
     * @return 8 times their total length
     */
    protected static long bytesOf(double[]... arrays) {
        long n = 0;
        for (double[] a : arrays) if (a != null) n += a.length;
        return 8 * n;
    }

    /**
     * 8 bytes per element of each tensor, for {@link #stateBytes()}.
     *
     * @param tensors the tensors, or null; null entries count as empty
     * @return 8 times their total size
     */
    protected static long bytesOf(Tensor[] tensors) {
        long n = 0;
        if (tensors != null) for (Tensor t : tensors) if (t != null) n += t.size();
        return 8 * n;
    }

    /**
     * The gradient (estimate) of the last step's loss, aligned with the network's parameters; null when it
     * had no loss. Valid until the next step.
     *
     * @return an unmodifiable list with one tensor per parameter of the network, or null
     */
    public final List<Tensor> stepGradient() {
        if (!hasStepGrad) return null;
        if (stepGrad == null) {
            List<Tensor> sg = new ArrayList<>(params.size());
            for (int i = 0; i < cellParams.length; i++) {
                sg.add(Tensor.wrap(java.util.Arrays.copyOfRange(cellGrad, offsets[i], offsets[i + 1]),
                        cellParams[i].shape()));
            }
            for (int i = 0; i < readoutParams.size(); i++) sg.add(lastReadoutGrad[i + 1]);
            stepGrad = Collections.unmodifiableList(sg);
        }
        return stepGrad;
    }

    /**
     * {@return the sum of the step gradients since the start or the last {@link #zeroGradient()}, with the
     * summed loss and the current state}
     */
    public final SequenceGradient gradient() {
        for (int i = 0; i < cellParams.length; i++) {
            System.arraycopy(cellTotal, offsets[i], total.g[i], 0, offsets[i + 1] - offsets[i]);
        }
        return total.result(state);
    }

    /** Forgets the summed gradient and loss (the state and influence carry on). */
    public final void zeroGradient() {
        total.zero();
        java.util.Arrays.fill(cellTotal, 0.0);
    }

    /** {@return the current state {@code s_t} (detached values)} A new array of the state's tensors. */
    public final Tensor[] state() {
        return state.clone();
    }

    /**
     * Sets the state (e.g. zero at the start of a new sequence) and resets the influence matrix to zero,
     * as if the state were a constant input: no gradient flows into the steps before.
     *
     * @param s the new state, one {@code [batch, size]} tensor per part (detached), or null for zeros
     */
    public final void reset(Tensor[] s) {
        Tensor[] fresh = s == null ? cell.initialState(batch) : s;
        int[] sizes = cell.stateSizes();
        if (fresh.length != sizes.length) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".reset: " + fresh.length
                    + " state parts, the cell has " + sizes.length);
        }
        for (int i = 0; i < sizes.length; i++) {
            if (fresh[i] == null) {
                throw new NullPointerException(getClass().getSimpleName() + ".reset: state part " + i + " is null");
            }
            if (!fresh[i].hasShape(batch, sizes[i])) {
                throw new ShapeException(getClass().getSimpleName() + ".reset: state part " + i + " has shape "
                        + Shapes.str(fresh[i].shape()) + ", expected [" + batch + "," + sizes[i] + "]");
            }
        }
        state = Sequences.detach(fresh);
        hasStepGrad = false;
        stepGrad = null;
        resetInfluence();
    }

    /** {@return the number of steps taken} */
    public final int steps() {
        return steps;
    }

    /** {@return the network learned} */
    public final RecurrentNet net() {
        return net;
    }

    /** {@return the number of sequences processed side by side} */
    public final int batch() {
        return batch;
    }

    /**
     * The cell parameters' offsets in the flat parameter vector (length = tensors + 1).
     *
     * @return a new array; parameter i's entries are {@code [offsets[i], offsets[i+1])}
     */
    protected final int[] offsets() {
        return offsets.clone();
    }

    /**
     * The cell's live parameter tensors, in order.
     *
     * @return the array itself, not a copy: do not modify it
     */
    protected final Tensor[] cellParams() {
        return cellParams;
    }

    /**
     * Runs a learner over a whole sequence from the zero state and returns the summed gradient. Only the sum
     * is wanted here, so a learner whose {@link #propagateOnlyAdds()} adds each step straight into it and
     * keeps no step gradient: afterwards {@link #stepGradient()} is null until the next {@link #step}.
     *
     * @param learner the learner; it is reset to the zero state and its running sum cleared first
     * @param xs      the inputs, one {@code [batch, m]} tensor per step
     * @param loss    the loss of each step
     * @return the summed gradient (exact for {@link Rtrl}), the summed loss and the final state
     */
    public static SequenceGradient run(ForwardLearner learner, Tensor[] xs, StepLoss loss) {
        if (learner == null) throw new NullPointerException("run: the learner is null");
        Sequences.checkInputs(learner.getClass().getSimpleName(), learner.net, xs, loss);
        learner.reset(null);
        learner.zeroGradient();
        learner.keepStepGradient = false;
        try {
            for (int t = 0; t < xs.length; t++) learner.step(t, xs[t], loss);
        } finally {
            learner.keepStepGradient = true;
        }
        return learner.gradient();
    }
}
