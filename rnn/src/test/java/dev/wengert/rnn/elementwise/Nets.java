package dev.wengert.rnn.elementwise;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import java.util.Random;

/** Random element-wise cells, stacks, sequences and losses for the tests (seeds from the callers). */
public final class Nets {
    private Nets() {}

    /** The element-wise cells. */
    public enum Kind { LRU, DIAGONAL, ELSTM }

    /**
     * A random cell of the kind, with non-trivial values everywhere (biases and phases not at their
     * initial constants).
     *
     * @param kind    the cell
     * @param m       input width
     * @param n       state units
     * @param h       output width (the LRU's H; the other cells output n)
     * @param rMin    the smallest |λ| or decay
     * @param rMax    the largest |λ| or decay
     * @param rng     the generator
     * @return the cell
     */
    public static Cell cell(Kind kind, int m, int n, int h, double rMin, double rMax, Random rng) {
        Cell c;
        switch (kind) {
            case LRU: c = LruCell.ring(m, n, h, rMin, rMax, Math.PI, rng); break;
            case DIAGONAL: c = new DiagonalRnnCell(m, n, rMin, rMax, rng); break;
            default: c = new ElstmCell(m, n, 1.0, rng);
        }
        if (kind != Kind.LRU) {
            for (Tensor p : c.parameters()) {
                if (kind == Kind.DIAGONAL && p == c.parameters().get(0)) continue;
                double[] d = p.mutableData();
                for (int i = 0; i < d.length; i++) d[i] += 0.3 * rng.nextGaussian();
            }
        }
        return c;
    }

    /** The output width of a cell of the kind. */
    public static int outputs(Kind kind, int n, int h) {
        return kind == Kind.LRU ? h : n;
    }

    /**
     * A stack of {@code layers} cells of the kind, each of width n (the LRU with N = n states).
     *
     * @param kind   the cell
     * @param layers how many
     * @param m      input width
     * @param n      width
     * @param rMin   the smallest |λ| or decay
     * @param rMax   the largest |λ| or decay
     * @param rng    the generator
     * @return the stack
     */
    public static StackedCell stack(Kind kind, int layers, int m, int n, double rMin, double rMax, Random rng) {
        Cell[] cells = new Cell[layers];
        for (int l = 0; l < layers; l++) cells[l] = cell(kind, l == 0 ? m : n, n, n, rMin, rMax, rng);
        return new StackedCell(cells);
    }

    /**
     * Random inputs.
     *
     * @param T     steps
     * @param batch batch
     * @param m     width
     * @param rng   the generator
     * @return T tensors {@code [batch, m]}
     */
    public static Tensor[] inputs(int T, int batch, int m, Random rng) {
        Tensor[] xs = new Tensor[T];
        for (int t = 0; t < T; t++) xs[t] = Tensor.randn(rng, batch, m);
        return xs;
    }

    /**
     * Squared error against random targets, with every third step without a loss.
     *
     * @param T       steps
     * @param batch   batch
     * @param outputs width of y
     * @param rng     the generator
     * @return the loss
     */
    public static StepLoss squaredError(int T, int batch, int outputs, Random rng) {
        Tensor[] targets = new Tensor[T];
        for (int t = 0; t < T; t++) targets[t] = (t % 3 == 1 && T > 2) ? null : Tensor.randn(rng, batch, outputs);
        return StepLoss.squaredError(targets);
    }

    /**
     * {@code L = Σ_t ℓ_t} by a plain forward pass, nothing recorded.
     *
     * @param net  the network
     * @param xs   inputs
     * @param loss the step losses
     * @return L
     */
    public static double loss(RecurrentNet net, Tensor[] xs, StepLoss loss) {
        double total = 0;
        try (var p = Tape.pause()) {
            Tensor[] s = net.initialState(xs[0].dim(0));
            for (int t = 0; t < xs.length; t++) {
                s = net.step(s, xs[t]);
                Tensor l = loss.at(t, net.output(net.cell().output(s)));
                if (l != null) total += l.item();
            }
        }
        return total;
    }

    /**
     * The largest relative disagreement between {@code grad} and central finite differences of
     * {@link #loss} over every parameter entry: {@code |fd − g| / max(1, |g|)}.
     *
     * @param net  the network (its parameters are restored)
     * @param xs   inputs
     * @param loss the step losses
     * @param grad the gradient to check, flat in parameter order
     * @param h    the step
     * @return the largest error
     */
    public static double finiteDifferenceError(RecurrentNet net, Tensor[] xs, StepLoss loss, double[] grad, double h) {
        double worst = 0;
        int k = 0;
        for (Tensor p : net.parameters()) {
            double[] d = p.mutableData();
            for (int i = 0; i < d.length; i++, k++) {
                double keep = d[i];
                d[i] = keep + h;
                double up = loss(net, xs, loss);
                d[i] = keep - h;
                double down = loss(net, xs, loss);
                d[i] = keep;
                double fd = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - grad[k]) / Math.max(1, Math.abs(grad[k])));
            }
        }
        return worst;
    }
}
