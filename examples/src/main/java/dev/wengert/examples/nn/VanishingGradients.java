package dev.wengert.examples.nn;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Init;
import dev.wengert.nn.Linear;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.plot.Plot;
import dev.wengert.nn.Sequential;
import dev.wengert.ops.Ops;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Lecture 002, 3.1.2: vanishing gradients. The gradient of a deep network's loss with respect to an early
 * layer is a product of one factor {@code W^{l+1} σ'(z^l)} per later layer; with σ' ≤ 1/4 for the sigmoid
 * the product shrinks geometrically with depth, while ReLU units (derivative 1 where active) keep it
 * roughly level.
 *
 * <p>The measurement: networks of {@code depth} hidden layers of 64 units on 64 standard normal inputs,
 * 10 outputs, softmax cross-entropy on random labels, a batch of 256, at initialisation (sigmoid and tanh
 * with the notes' N(0, 1/fan_in), ReLU with He's N(0, 2/fan_in)); the Frobenius norm of
 * {@code ∂L/∂W^l} for every layer l. Plots go to {@code vanishing-gradients-per-layer.png} (the deepest
 * network, norm against the layer) and {@code vanishing-gradients-depth.png} (the first layer's norm
 * against depth).
 */
public final class VanishingGradients {
    private VanishingGradients() {}

    /** Units per hidden layer and inputs. */
    public static final int WIDTH = 64;
    /** Examples per gradient. */
    public static final int BATCH = 256;
    /** The activations compared. */
    public static final String[] ACTIVATIONS = {"sigmoid", "tanh", "relu"};

    /**
     * The gradient norm of each weight matrix (input side first) of a net with {@code depth} hidden layers.
     *
     * @param activation {@code sigmoid}, {@code tanh} or {@code relu}
     * @param depth      the number of hidden layers, ≥ 1
     * @param seed       the seed of the inputs, labels and weights
     * @return a new array of {@code depth + 1} Frobenius norms, the first layer's first
     */
    public static double[] layerGradientNorms(String activation, int depth, long seed) {
        Random rng = new Random(seed);
        Init init = activation.equals("relu") ? Init.he() : Init.normalFanIn();
        Mlp b = Mlp.builder(WIDTH).init(init);
        for (int l = 0; l < depth; l++) b.hidden(WIDTH, Activation.named(activation));
        Sequential net = b.output(10).build(rng);
        Tensor x = Tensor.randn(new Random(seed + 1), BATCH, WIDTH);
        int[] y = new int[BATCH];
        Random ry = new Random(seed + 2);
        for (int i = 0; i < BATCH; i++) y[i] = ry.nextInt(10);
        List<Tensor> weights = new ArrayList<>();
        for (var layer : net.layers()) if (layer instanceof Linear) weights.add(((Linear) layer).weight());
        try (Tape tape = Tape.open()) {
            Tensor[] g = tape.gradient(Loss.crossEntropy(net.forward(x), y), weights.toArray(new Tensor[0]));
            double[] norms = new double[g.length];
            for (int i = 0; i < g.length; i++) norms[i] = Math.sqrt(Ops.sum(Ops.square(g[i])).item());
            return norms;
        }
    }

    /**
     * Prints the tables and writes the two plots into {@code dir}; returns the files.
     *
     * @param out      where to print the tables
     * @param dir      the folder for the plots
     * @param maxDepth the deepest network measured
     * @param seed     the seed of every network
     * @return the plot files written
     */
    public static List<Path> run(PrintStream out, Path dir, int maxDepth, long seed) {
        out.println("Vanishing gradients (lecture 002, 3.1.2): ||dL/dW^l|| at initialisation, hidden layers of "
                + WIDTH + " units, batch " + BATCH);
        Plot perLayer = Plot.lines("Gradient norm per layer, " + maxDepth + " hidden layers", "layer (1 = input side)",
                "||dL/dW||").logY().markers();
        Plot byDepth = Plot.lines("First layer's gradient norm against depth", "hidden layers", "||dL/dW^1||").logY().markers();
        for (String act : ACTIVATIONS) {
            double[] n = layerGradientNorms(act, maxDepth, seed);
            perLayer.series(act, n);
            StringBuilder row = new StringBuilder();
            for (double v : n) row.append(String.format(" %.1e", v));
            out.printf("  %-7s %d hidden layers, per layer (input side first):%s%n", act, maxDepth, row);
            out.printf("  %-7s first / last layer: %.2e%n", act, n[0] / n[n.length - 1]);
            double[] depths = new double[maxDepth];
            double[] first = new double[maxDepth];
            for (int d = 1; d <= maxDepth; d++) {
                depths[d - 1] = d;
                first[d - 1] = layerGradientNorms(act, d, seed)[0];
            }
            byDepth.series(act, depths, first);
            StringBuilder r2 = new StringBuilder();
            for (double v : first) r2.append(String.format(" %.1e", v));
            out.printf("  %-7s first layer's norm for 1..%d hidden layers:%s%n", act, maxDepth, r2);
        }
        List<Path> files = List.of(perLayer.save(dir.resolve("vanishing-gradients-per-layer.png")),
                byDepth.save(dir.resolve("vanishing-gradients-depth.png")));
        out.println("  plots: " + files);
        return files;
    }

    /**
     * Prints the tables for depths up to 10 and writes the plots into the reports folder.
     *
     * @param args none
     */
    public static void main(String[] args) {
        run(System.out, Reports.dir(), 10, 1);
    }
}
