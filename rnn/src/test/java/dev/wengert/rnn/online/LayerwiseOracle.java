package dev.wengert.rnn.online;

import static dev.wengert.ops.Ops.add;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer-wise rule's gradient by its definition, on the tape, independently of the traces: for layer l,
 * the surrogate
 * <pre>  L̃_l(θ^l) = Σ_t ℓ_t( upper_{l+1..L}( s̄^{>l}_{t−1}, y^l_t(θ^l; ū^l_{1..t}) ) )</pre>
 * runs layer l on its recorded inputs ū^l (constants: what reaches it from below is not differentiated) with
 * its own recurrence, and at every step sends its output through one step of the layers above from their
 * recorded previous states s̄ (constants: no path re-enters time above l). Its gradient with respect to
 * θ^l is what the rule claims to compute for layer l. The readout's gradient is the exact one.
 */
final class LayerwiseOracle {
    private LayerwiseOracle() {}

    /** The rule's gradient, flat in the order of {@code net.parameters()}, cell parameters only (readout excluded). */
    static double[] cellGradient(RecurrentNet net, Tensor[] xs, StepLoss loss) {
        List<Cell> layers = net.cell() instanceof StackedCell ? ((StackedCell) net.cell()).layers()
                : List.of(net.cell());
        int L = layers.size();
        int T = xs.length;
        int batch = xs[0].dim(0);
        // The recorded forward pass: every layer's input and state at every step.
        Tensor[][] inputs = new Tensor[L][T];
        Tensor[][][] states = new Tensor[L][T + 1][];
        try (var paused = Tape.pause()) {
            for (int l = 0; l < L; l++) states[l][0] = layers.get(l).initialState(batch);
            for (int t = 0; t < T; t++) {
                Tensor u = xs[t];
                for (int l = 0; l < L; l++) {
                    inputs[l][t] = u;
                    states[l][t + 1] = layers.get(l).step(states[l][t], u);
                    u = layers.get(l).output(states[l][t + 1]);
                }
            }
        }
        List<Double> out = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            Cell cell = layers.get(l);
            Tensor[] wrt = cell.parameters().toArray(new Tensor[0]);
            try (Tape tape = Tape.open()) {
                Tensor total = null;
                Tensor[] s = cell.initialState(batch);
                for (int t = 0; t < T; t++) {
                    s = cell.step(s, inputs[l][t]);
                    Tensor y = cell.output(s);
                    for (int k = l + 1; k < L; k++) y = layers.get(k).output(layers.get(k).step(states[k][t], y));
                    Tensor lt = loss.at(t, net.output(y));
                    if (lt != null) total = total == null ? lt : add(total, lt);
                }
                Tensor[] g = total == null ? null : tape.gradient(total, wrt);
                for (int i = 0; i < wrt.length; i++) {
                    double[] d = g == null || g[i] == null ? new double[wrt[i].size()] : g[i].data();
                    for (double v : d) out.add(v);
                }
            }
        }
        double[] flat = new double[out.size()];
        for (int i = 0; i < flat.length; i++) flat[i] = out.get(i);
        return flat;
    }
}
