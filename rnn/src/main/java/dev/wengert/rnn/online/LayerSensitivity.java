package dev.wengert.rnn.online;

import dev.wengert.rnn.Cell;
import dev.wengert.rnn.elementwise.DiagonalRnnCell;
import dev.wengert.rnn.elementwise.ElstmCell;
import dev.wengert.rnn.elementwise.LruCell;

/**
 * One element-wise layer run forwards with its sensitivities: the layer's step in plain arithmetic, the
 * traces {@code e_t = ∂s_t/∂θ} of the parameters that act through the recurrence (by a {@link TraceRule}),
 * and the reverse pass of the current step only, from a cotangent of the layer's output {@code y_t} to its
 * parameters (through the traces) and to its input {@code u_t} (at the same step: spatial backpropagation).
 *
 * <p>Because the state Jacobian is diagonal, a parameter of unit j moves only unit j's state, so a trace has
 * one entry per (recurrent parameter, batch row): O(n·m + n) numbers per sequence for an n-unit layer with m
 * inputs. Parameters with no recurrence (the LRU's C and D, the eLSTM's output gate) need no trace: their
 * gradient is immediate.
 *
 * <p>Protocol per step: {@link #forward} (the new state; keeps what the rest needs), then
 * {@link #updateTraces}, then any number of {@link #backward} calls. Arrays handed in are read, never
 * written; arrays handed out are fresh.
 */
abstract class LayerSensitivity {
    final int batch;
    final TraceRule rule;

    LayerSensitivity(int batch, TraceRule rule) {
        this.batch = batch;
        this.rule = rule;
    }

    /** The sensitivity of an element-wise cell, or an exception naming it when it is not one. */
    static LayerSensitivity of(Cell cell, int batch, TraceRule rule, String who) {
        requireElementwise(cell, who);
        if (cell instanceof LruCell) return new LruSensitivity((LruCell) cell, batch, rule);
        if (cell instanceof DiagonalRnnCell) return new DiagonalRnnSensitivity((DiagonalRnnCell) cell, batch, rule);
        return new ElstmSensitivity((ElstmCell) cell, batch, rule);
    }

    /** Throws, naming {@code who} and the cell, unless the cell is one this package has traces for. */
    static void requireElementwise(Cell cell, String who) {
        if (!(cell instanceof LruCell || cell instanceof DiagonalRnnCell || cell instanceof ElstmCell)) {
            throw new IllegalArgumentException(who + ": " + cell.name() + " is not an element-wise cell (LruCell, "
                    + "DiagonalRnnCell or ElstmCell); use Rtrl for other cells");
        }
    }

    /** The doubles of trace storage this layer would keep for the batch (for the memory guard). */
    static double traceDoubles(Cell cell, int batch, TraceRule rule) {
        int n = cell.stateSizes()[0];
        int m = cell.inputSize();
        double perRow;
        if (cell instanceof LruCell) perRow = 2.0 * (n * m + 2 * n);
        else if (cell instanceof DiagonalRnnCell) perRow = n * m + 2.0 * n;
        else perRow = 2.0 * n * m + 4.0 * n;
        return (rule == TraceRule.ONE_STEP ? 2 : 1) * perRow * batch;
    }

    /**
     * One step: the new state parts (fresh arrays, {@code [batch × size]} each) from the previous ones and the
     * input u ({@code [batch × m]}), with the cell's current parameters.
     */
    abstract double[][] forward(double[][] previous, double[] u);

    /** Advances the traces to the step of the last {@link #forward}, by the rule. */
    abstract void updateTraces();

    /**
     * The reverse pass of the current step: adds {@code gy · ∂y_t/∂θ} (through the traces for recurrent
     * parameters) into {@code grad[offset ..]} in the cell's parameter order, and when {@code gu} is not null
     * overwrites it with {@code (∂y_t/∂u_t)ᵀ gy}, the cotangent of the input at the same step.
     */
    abstract void backward(double[] gy, double[] grad, int offset, double[] gu);

    /** Zero traces: the state is then treated as a constant. */
    abstract void reset();

    /** The bytes of the traces kept. */
    abstract long stateBytes();

    /** Trace arrays for the rule: the trace and, for {@link TraceRule#ONE_STEP}, the previous immediate term. */
    final double[][] traces(int size) {
        return new double[][] {new double[size], rule == TraceRule.ONE_STEP ? new double[size] : null};
    }

    /** Advances the real trace entry i with decay a and immediate term imm; returns the new value. */
    final double advance(double[][] trace, int i, double a, double imm) {
        double[] e = trace[0];
        switch (rule) {
            case EXACT:
                return e[i] = a * e[i] + imm;
            case NONE:
                return e[i] = imm;
            default:
                double v = a * trace[1][i] + imm;
                trace[1][i] = imm;
                return e[i] = v;
        }
    }

    /**
     * Advances the complex trace entry at {@code 2i, 2i + 1} with the complex decay {@code (ar, ai)} and
     * immediate term {@code (immRe, immIm)}.
     */
    final void advance(double[][] trace, int i, double ar, double ai, double immRe, double immIm) {
        double[] e = trace[0];
        int r = 2 * i;
        double cr;
        double ci;
        switch (rule) {
            case EXACT:
                cr = e[r];
                ci = e[r + 1];
                break;
            case NONE:
                cr = 0;
                ci = 0;
                break;
            default:
                cr = trace[1][r];
                ci = trace[1][r + 1];
                trace[1][r] = immRe;
                trace[1][r + 1] = immIm;
        }
        e[r] = ar * cr - ai * ci + immRe;
        e[r + 1] = ar * ci + ai * cr + immIm;
    }

    static void zero(double[][] trace) {
        java.util.Arrays.fill(trace[0], 0.0);
        if (trace[1] != null) java.util.Arrays.fill(trace[1], 0.0);
    }

    static long bytes(double[][]... traces) {
        long n = 0;
        for (double[][] t : traces) for (double[] a : t) if (a != null) n += a.length;
        return 8 * n;
    }
}
