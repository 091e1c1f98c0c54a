package dev.wengert.examples.nn;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Init;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import dev.wengert.ops.Ops;
import java.io.PrintStream;
import java.util.Random;

/**
 * XOR with two sigmoid hidden units (sheet 001, 3.2.4).
 *
 * <p>First the sheet's hand-set weights: no biases, hidden units {@code h₁ = σ(w₁x₁ + w₃x₂)} and
 * {@code h₂ = σ(w₂x₁ + w₄x₂)}, output {@code [w₅h₁ + w₆h₂ ≥ 0]}, with {@code w₁ = w₃ = 10},
 * {@code w₂ = w₄ = 1}, {@code w₅ = 5}. With {@code w₆ = 6} as printed, the output sum is 5.5, 9.39, 9.39,
 * 10.28 on 00, 01, 10, 11: increasing, so no threshold gives XOR. With {@code w₆ = −6} (the sheet's
 * own reasoning: h₁ acts as OR, and h₂ keeps growing when both inputs are on, so it must count
 * against) the sums are −0.5, 0.61, 0.61, −0.29 and the threshold at 0 computes XOR.
 *
 * <p>Then a 2-2-1 sigmoid network with biases trained from random weights with Adam on the binary
 * cross-entropy, from several seeds (two hidden units can stall in a local minimum).
 */
public final class Xor {
    private Xor() {}

    static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    static final int[] XOR = {0, 1, 1, 0};

    /**
     * The output sums {@code w₅h₁ + w₆h₂} on 00, 01, 10, 11 for the hand-set weights and the given w₆.
     *
     * @param w6 the weight w₆
     * @return a new array of the four sums
     */
    public static double[] sheetSums(double w6) {
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            double x1 = INPUTS[i][0];
            double x2 = INPUTS[i][1];
            Tensor x = Tensor.vector(x1, x2);
            Tensor w = Tensor.matrix(new double[][] {{10, 1}, {10, 1}}); // [input, hidden]: w1, w2 / w3, w4
            Tensor h = Ops.sigmoid(Ops.matmul(x, w));
            out[i] = Ops.sum(Ops.mul(h, Tensor.vector(5, w6))).item();
        }
        return out;
    }

    /**
     * Whether thresholding the sums at 0 gives XOR.
     *
     * @param sums the output sums on 00, 01, 10, 11
     * @return true when exactly 01 and 10 give sums ≥ 0
     */
    public static boolean computesXor(double[] sums) {
        for (int i = 0; i < 4; i++) if ((sums[i] >= 0 ? 1 : 0) != XOR[i]) return false;
        return true;
    }

    /**
     * Trains a 2-2-1 sigmoid network on XOR from {@code seed}; returns the number of the 4 inputs it gets
     * right.
     *
     * @param seed the seed of the initialisation and the shuffling
     * @return 0 to 4
     */
    public static int train(long seed) {
        Random rng = new Random(seed);
        Sequential net = Mlp.builder(2).hidden(2, Activation.sigmoid()).output(1).init(Init.glorot()).build(rng);
        Dataset data = Dataset.of(Tensor.matrix(INPUTS), Tensor.matrix(new double[][] {{0}, {1}, {1}, {0}}));
        Trainer.of(net, new Adam(net.parameters(), 0.05), (out, b) -> Loss.binaryCrossEntropyWithLogits(out, b.targets()))
                .epochs(2000).batchSize(4).seed(seed).fit(data);
        net.eval();
        double[] z = net.forward(Tensor.matrix(INPUTS)).data();
        int right = 0;
        for (int i = 0; i < 4; i++) if ((z[i] > 0 ? 1 : 0) == XOR[i]) right++;
        return right;
    }

    /**
     * Prints the hand-set weights' sums and how many of {@code seeds} trained networks compute XOR.
     *
     * @param out   where to print
     * @param seeds the number of training runs, seeds 1 to seeds
     */
    public static void print(PrintStream out, int seeds) {
        out.println("XOR with two sigmoid hidden units (sheet 001, 3.2.4)");
        for (double w6 : new double[] {6, -6}) {
            double[] s = sheetSums(w6);
            out.printf("  sheet weights w1=w3=10, w2=w4=1, w5=5, w6=%+.0f: sums on 00,01,10,11 = %.3f, %.3f, %.3f, %.3f"
                    + " -> %s%n", w6, s[0], s[1], s[2], s[3], computesXor(s) ? "XOR" : "not XOR");
        }
        int solved = 0;
        StringBuilder per = new StringBuilder();
        for (int seed = 1; seed <= seeds; seed++) {
            int r = train(seed);
            if (r == 4) solved++;
            per.append(r).append(seed < seeds ? "," : "");
        }
        out.printf("  trained 2-2-1 sigmoid net (Adam 0.05, 2000 full-batch steps, BCE): %d of %d seeds solve XOR "
                + "(inputs right per seed: %s)%n", solved, seeds, per);
    }

    /**
     * Runs the checks and prints them on standard output.
     *
     * @param args the number of training runs (default 10)
     */
    public static void main(String[] args) {
        print(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 10);
    }
}
