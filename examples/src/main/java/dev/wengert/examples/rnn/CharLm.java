package dev.wengert.examples.rnn;

import dev.wengert.examples.Args;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Optimizer;
import dev.wengert.nn.plot.Plot;
import dev.wengert.ops.Ops;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.RnnRtrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

/**
 * Experiment 5: a character-level language model on a short public-domain text shipped with the module
 * (Genesis 1–25 in the King James Version, 87 KB; see {@code genesis-kjv.NOTICE.txt}), trained by four
 * algorithms from the same initial weights on the same stream of characters, batch 1, Adam:
 * <ul>
 *   <li>BPTT: consecutive sequences of {@code seq} characters, each from the zero state, one update per
 *       sequence;</li>
 *   <li>TBPTT: chunked, k = {@code k}, the state carried along the whole text, one update per chunk;</li>
 *   <li>online exact RTRL ({@link RnnRtrl}) and SnAp-1 ({@link Snap1}): an update after every character,
 *       the state carried along.</li>
 * </ul>
 * The model is a tanh RNN (one-hot input of the 60 characters, n hidden units) with a softmax readout.
 * The loss curves (training cross-entropy in bits per character, each character scored before any
 * update that has seen it, averaged over windows) go into one PNG; the held-out loss (the last 10% of the
 * text, exact forward pass) is printed per method. Sizes are chosen so that the whole run takes minutes:
 * exact RTRL costs O(n²p) = O(n³(n + 61)) per character.
 *
 * <p>Options: {@code seed} (1), {@code hidden} (32), {@code epochs} (4), {@code seq} (50), {@code k} (10),
 * {@code lr} (0.002), {@code window} (2000), {@code methods} (bptt,tbptt,rtrl,snap1), {@code plot}
 * (reports/rnn/charlm-loss.png).
 */
public final class CharLm {
    private CharLm() {}

    /** The text, from the classpath. */
    static String text() {
        try (InputStream in = CharLm.class.getResourceAsStream("genesis-kjv.txt")) {
            if (in == null) throw new IllegalStateException("CharLm: resource genesis-kjv.txt is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("CharLm: cannot read genesis-kjv.txt", e);
        }
    }

    /** A training or evaluation stream: inputs x_t = onehot(c_t), labels c_{t+1}. */
    static final class Stream {
        final Tensor[] xs;
        final int[][] labels;

        Stream(int[] ids, Tensor[] oneHot) {
            xs = new Tensor[ids.length - 1];
            labels = new int[ids.length - 1][];
            for (int t = 0; t < xs.length; t++) {
                xs[t] = oneHot[ids[t]];
                labels[t] = new int[] {ids[t + 1]};
            }
        }
    }

    /** Held-out cross-entropy in nats per character, exact forward pass from the zero state. */
    static double evaluate(RecurrentNet net, Stream s) {
        StepLoss loss = StepLoss.crossEntropy(s.labels);
        Tensor[] st = net.initialState(1);
        double total = 0;
        try (var p = Tape.pause()) {
            for (int t = 0; t < s.xs.length; t++) {
                st = net.step(st, s.xs[t]);
                total += loss.at(t, net.output(net.cell().output(st))).item();
            }
        }
        return total / s.xs.length;
    }

    /** Samples {@code length} characters from the model after priming it with {@code prime}. */
    static String sample(RecurrentNet net, String prime, int length, char[] vocab, Tensor[] oneHot, Random rng,
            double temperature) {
        StringBuilder sb = new StringBuilder(prime);
        Tensor[] st = net.initialState(1);
        try (var p = Tape.pause()) {
            int c = -1;
            for (char ch : prime.toCharArray()) {
                c = Arrays.binarySearch(vocab, ch);
                st = net.step(st, oneHot[c]);
            }
            for (int i = 0; i < length; i++) {
                double[] probs = Ops.softmax(Ops.div(net.output(net.cell().output(st)), temperature)).data();
                double u = rng.nextDouble();
                c = probs.length - 1;
                for (int j = 0; j < probs.length; j++) {
                    u -= probs[j];
                    if (u < 0) {
                        c = j;
                        break;
                    }
                }
                sb.append(vocab[c]);
                st = net.step(st, oneHot[c]);
            }
        }
        return sb.toString();
    }

    record Curve(String name, double[] chars, double[] bits, double heldOut, double seconds) {}

    /**
     * Trains the character model with each method, prints the losses and writes the loss plot.
     *
     * @param args {@code key=value} options: {@code seed=1 hidden=32 epochs=4 seq=50 k=10 lr=0.002
     *     window=2000 methods=bptt,tbptt,rtrl,snap1 plot=reports/rnn/charlm-loss.png} (the defaults)
     */
    public static void main(String[] args) {
        Args a = new Args(args);
        long seed = a.integer("seed", 1);
        int hidden = a.integer("hidden", 32);
        int epochs = a.integer("epochs", 4);
        int seq = a.integer("seq", 50);
        int k = a.integer("k", 10);
        double lr = a.real("lr", 0.002);
        int window = a.integer("window", 2000);
        List<String> methods = Arrays.asList(a.string("methods", "bptt,tbptt,rtrl,snap1").split(","));
        Path plotFile = Path.of(a.string("plot", "reports/rnn/charlm-loss.png"));

        String text = text();
        TreeSet<Character> set = new TreeSet<>();
        for (char ch : text.toCharArray()) set.add(ch);
        char[] vocab = new char[set.size()];
        int v = 0;
        for (char ch : set) vocab[v++] = ch;
        Tensor[] oneHot = new Tensor[vocab.length];
        for (int i = 0; i < vocab.length; i++) {
            double[] d = new double[vocab.length];
            d[i] = 1;
            oneHot[i] = Tensor.of(d, 1, vocab.length);
        }
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = Arrays.binarySearch(vocab, text.charAt(i));
        int split = (int) (ids.length * 0.9);
        Stream train = new Stream(Arrays.copyOfRange(ids, 0, split), oneHot);
        Stream held = new Stream(Arrays.copyOfRange(ids, split, ids.length), oneHot);
        int V = vocab.length;
        long p = (long) hidden * (hidden + V + 1);
        System.out.printf(Locale.ROOT, "Character-level LM on Genesis 1-25 (KJV): %d characters, %d distinct; train %d, "
                + "held out %d%n", text.length(), V, train.xs.length, held.xs.length);
        System.out.printf(Locale.ROOT, "tanh RNN(%d→%d) + softmax readout, recurrent parameters p = %d, Adam(lr=%s), "
                + "batch 1, %d epoch(s); BPTT on sequences of %d, TBPTT k = %d%n", V, hidden, p, lr, epochs, seq, k);
        System.out.printf(Locale.ROOT, "uniform guess: %.3f bits per character%n", StrictMath.log(V) / StrictMath.log(2));

        List<Curve> curves = new ArrayList<>();
        StepLoss loss = StepLoss.crossEntropy(train.labels);
        int N = train.xs.length;
        for (String method : methods) {
            RecurrentNet net = RecurrentNet.withReadout(new RnnCell(V, hidden, new Random(seed)), V, new Random(seed + 1));
            Optimizer opt = new Adam(net.parameters(), lr);
            double[] perChar = new double[epochs * N];
            long start = System.nanoTime();
            ForwardLearner learner = method.equals("rtrl") ? new RnnRtrl(net, 1)
                    : method.equals("snap1") ? new Snap1(net, 1) : null;
            for (int e = 0; e < epochs; e++) {
                int base = e * N;
                switch (method) {
                    case "bptt":
                        for (int from = 0; from < N; from += seq) {
                            int to = Math.min(N, from + seq);
                            int off = from;
                            SequenceGradient g = Bptt.gradient(net, null, Arrays.copyOfRange(train.xs, from, to),
                                    (t, y) -> loss.at(t + off, y));
                            opt.step(g.gradients());
                            Arrays.fill(perChar, base + from, base + to, g.loss() / (to - from));
                        }
                        break;
                    case "tbptt": {
                        Tensor[] s = null;
                        int piece = 10 * k;
                        for (int from = 0; from < N; from += piece) {
                            int to = Math.min(N, from + piece);
                            int off = from;
                            SequenceGradient g = Tbptt.chunked(net, s, Arrays.copyOfRange(train.xs, from, to),
                                    (t, y) -> loss.at(t + off, y), k, opt::step);
                            s = g.finalState();
                            Arrays.fill(perChar, base + from, base + to, g.loss() / (to - from));
                        }
                        break;
                    }
                    case "rtrl":
                    case "snap1": {
                        learner.reset(null);
                        double[] l = OnlineLearning.run(learner, opt, train.xs, 0, N, loss);
                        System.arraycopy(l, 0, perChar, base, N);
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("CharLm: unknown method '" + method
                                + "' (bptt, tbptt, rtrl, snap1)");
                }
                System.out.printf(Locale.ROOT, "  %-6s epoch %d: held-out %.4f bits/char (%.0f s)%n", method, e + 1,
                        evaluate(net, held) / StrictMath.log(2), (System.nanoTime() - start) / 1e9);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int points = perChar.length / window;
            double[] xs = new double[points];
            double[] ys = new double[points];
            for (int i = 0; i < points; i++) {
                double s = 0;
                for (int j = i * window; j < (i + 1) * window; j++) s += perChar[j];
                xs[i] = (i + 1) * (double) window;
                ys[i] = s / window / StrictMath.log(2);
            }
            double heldOut = evaluate(net, held) / StrictMath.log(2);
            String name = method.equals("bptt") ? "BPTT (sequences of " + seq + ")"
                    : method.equals("tbptt") ? "TBPTT (k = " + k + ")"
                    : method.equals("rtrl") ? "online exact RTRL" : "online SnAp-1";
            curves.add(new Curve(name, xs, ys, heldOut, seconds));
            System.out.printf(Locale.ROOT, "%-24s held-out %.4f bits/char, last training window %.4f, %.0f s%n", name,
                    heldOut, ys[points - 1], seconds);
            System.out.println("  sample: " + sample(net, "And God said", 120, vocab, oneHot, new Random(seed), 0.7)
                    .replace("\n", " / "));
        }
        Plot plot = Plot.lines("Character-level LM (Genesis, KJV): training loss", "characters processed",
                "cross-entropy (bits per character)");
        for (Curve c : curves) plot.series(c.name(), c.chars(), c.bits());
        System.out.println("plot: " + plot.save(plotFile));
    }
}
