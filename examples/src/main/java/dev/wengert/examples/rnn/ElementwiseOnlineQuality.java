package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.GenericSnap1;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.elementwise.DiagonalRnnCell;
import dev.wengert.rnn.elementwise.ElstmCell;
import dev.wengert.rnn.elementwise.LruCell;
import dev.wengert.rnn.online.ElementwiseOnline;
import dev.wengert.rnn.online.StackQuality;
import dev.wengert.rnn.online.TraceRule;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Online gradients of element-wise layers, measured against BPTT.
 *
 * <p>Part 1, exactness: exact online learning of one layer (LRU, diagonal RNN, eLSTM) against BPTT, the
 * largest normwise relative error over {@code trials} random networks per cell and memory (|λ| on the ring
 * [0, 1), |λ| = 1 − 10⁻⁶ for every unit, λ = 0), T = 200, batch 2, m = 3, n = 8, a readout to 2 outputs.
 *
 * <p>Part 2, deep stacks: for a stack of {@code layers} LRUs (width {@code n}, N = n complex states, |λ| on
 * a ring [r_min, r_max], input m = 2, readout to 2 outputs, squared error against random
 * targets at every step, T steps, batch 1), the gradient of each online rule against BPTT's, per layer and
 * over all cell parameters, averaged over {@code sequences} random sequences: Zucchet et al.'s rule (exact
 * traces + spatial backpropagation), one-step traces, spatial backpropagation only, SnAp-1 on the whole stack
 * (forward mode, the immediate Jacobian's pattern), and exact RTRL (generic forward mode, a check: 1 and 0).
 *
 * <p>Options: {@code seed} (1), {@code trials} (10), {@code layers} (4), {@code n} (8), {@code T} (100),
 * {@code sequences} (20), {@code rings} (0:1,0.9:0.999: one table per ring r_min:r_max, the paper's default
 * ring and one of long memories), {@code cell} (lru | elstm | diagonal; the eLSTM ignores the ring).
 * Run: {@code mvn -q -Pexperiment -DskipTests verify -pl rnn -am -Dexperiment=ElementwiseOnlineQuality}.
 */
public final class ElementwiseOnlineQuality {
    private ElementwiseOnlineQuality() {}

    /**
     * Prints both tables.
     *
     * @param args {@code key=value} options, see the class comment
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        long seed = a.integer("seed", 1);
        exactness(seed, a.integer("trials", 10));
        for (String ring : a.string("rings", "0:1,0.9:0.999").split(",")) {
            String[] r = ring.split(":");
            stack(seed, a.integer("layers", 4), a.integer("n", 8), a.integer("T", 100), a.integer("sequences", 20),
                    Double.parseDouble(r[0]), Double.parseDouble(r[1]), a.string("cell", "lru"));
        }
    }

    private static void exactness(long seed, int trials) {
        System.out.printf(Locale.ROOT, "Exact online learning of one layer vs BPTT: largest normwise relative error "
                + "over %d networks, T = 200, batch 2, m = 3, n = 8%n%n", trials);
        System.out.println("| cell | modulus of λ on the ring [0, 1) | modulus 1 − 1e-6 | λ = 0 |");
        System.out.println("|---|---|---|---|");
        Random rng = new Random(seed);
        for (String kind : new String[] {"lru", "diagonal", "elstm"}) {
            StringBuilder row = new StringBuilder("| " + kind + " |");
            for (int memory = 0; memory < 3; memory++) {
                double worst = 0;
                for (int trial = 0; trial < trials; trial++) {
                    Cell cell = kind.equals("lru") ? LruCell.ring(3, 8, 4, rng) : kind.equals("diagonal")
                            ? new DiagonalRnnCell(3, 8, 0, 1, rng) : new ElstmCell(3, 8, memory == 1 ? 12 : 1, rng);
                    if (!kind.equals("elstm") && memory > 0) {
                        double[] nu = cell.parameters().get(0).mutableData();
                        java.util.Arrays.fill(nu, memory == 1 ? StrictMath.log(-StrictMath.log(1 - 1e-6)) : 7.0);
                    }
                    RecurrentNet net = RecurrentNet.withReadout(cell, 2, rng);
                    Tensor[] xs = inputs(200, 2, 3, rng);
                    StepLoss loss = StepLoss.squaredError(inputs(200, 2, 2, rng));
                    SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
                    SequenceGradient online = ForwardLearner.run(ElementwiseOnline.rtrl(net, 2), xs, loss);
                    worst = Math.max(worst, online.relativeError(bptt));
                }
                row.append(kind.equals("elstm") && memory == 2 ? " – |" : String.format(Locale.ROOT, " %.2e |", worst));
            }
            System.out.println(row);
        }
        System.out.println("(eLSTM: the middle column uses forget bias 12, f ≈ 1 − 6e-6; λ = 0 does not apply)");
        System.out.println();
    }

    private static void stack(long seed, int layers, int n, int T, int sequences, double rMin, double rMax,
            String kind) {
        Random rng = new Random(seed);
        int m = 2;
        Cell[] cells = new Cell[layers];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? m : n;
            cells[l] = kind.equals("lru") ? LruCell.ring(in, n, n, rMin, rMax, Math.PI / 10, rng)
                    : kind.equals("diagonal") ? new DiagonalRnnCell(in, n, rMin, rMax, rng) : new ElstmCell(in, n, 3, rng);
        }
        RecurrentNet net = RecurrentNet.withReadout(new StackedCell(cells), 2, rng);
        List<Tensor[]> xs = new ArrayList<>();
        List<StepLoss> losses = new ArrayList<>();
        for (int s = 0; s < sequences; s++) {
            xs.add(inputs(T, 1, m, rng));
            losses.add(StepLoss.squaredError(inputs(T, 1, 2, rng)));
        }
        System.out.printf(Locale.ROOT, "Gradient quality against BPTT, %d-layer %s stack (width %d, |λ| in [%s, %s]%s), "
                + "T = %d, batch 1, mean over %d sequences: cosine / relative norm error%n%n", layers, kind, n,
                rMin, rMax, kind.equals("lru") ? ", phases in [0, π/10]" : "", T, sequences);
        StringBuilder head = new StringBuilder("| rule |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int l = 0; l < layers; l++) {
            head.append(" layer ").append(l).append(l == 0 ? " (bottom)" : l == layers - 1 ? " (top)" : "").append(" |");
            rule.append("---|");
        }
        System.out.println(head.append(" all cell parameters |"));
        System.out.println(rule.append("---|"));
        row("Zucchet et al. (exact traces + spatial)", net, b -> new ElementwiseOnline(net, b, TraceRule.EXACT), xs,
                losses);
        row("one-step traces + spatial", net, b -> new ElementwiseOnline(net, b, TraceRule.ONE_STEP), xs, losses);
        row("spatial backpropagation only", net, b -> new ElementwiseOnline(net, b, TraceRule.NONE), xs, losses);
        row("SnAp-1 (whole stack)", net, b -> new GenericSnap1(net, b), xs, losses);
        row("exact RTRL (generic, check)", net, b -> Rtrl.generic(net, b), xs, losses);
        System.out.println();
    }

    private static void row(String name, RecurrentNet net, Function<Integer, ForwardLearner> learner, List<Tensor[]> xs,
            List<StepLoss> losses) {
        StackQuality q = StackQuality.measure(net, learner, xs, losses);
        StringBuilder sb = new StringBuilder("| " + name + " |");
        for (int l = 0; l < q.layers(); l++) {
            sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", q.cosine(l), q.relativeNormError(l)));
        }
        System.out.println(sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", q.cosine(), q.relativeNormError())));
    }

    private static Tensor[] inputs(int T, int batch, int m, Random rng) {
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, batch, m);
        return xs;
    }
}
