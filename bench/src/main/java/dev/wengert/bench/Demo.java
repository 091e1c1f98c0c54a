package dev.wengert.bench;

import static dev.wengert.ops.Ops.*;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.GradCheck;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.ops.kernel.Gemm;
import java.util.Random;

/**
 * The main demo: gradients by reverse mode on the micrograd README expression, a small MLP's
 * gradients checked against finite differences, forward mode (JVPs) agreeing with them, and a network
 * trained on MNIST (or on generated data when MNIST is not cached), and BPTT against exact RTRL on a
 * recurrent network.
 *
 * <p>Run from the project root: {@code mvn -q -Pdemo -DskipTests verify}.
 */
public final class Demo {
    private Demo() {}

    /**
     * Runs the four parts of the demo, printing to standard output.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println("Wengert demo (matmul kernel: " + Gemm.implementation() + ")");
        System.out.println();
        micrograd();
        mlp();
        mnist();
        recurrent();
    }

    /** BPTT against exact RTRL: the same gradient two ways, and what each costs. */
    static void recurrent() {
        System.out.println("4. Recurrent learning: BPTT and exact RTRL");
        dev.wengert.examples.rnn.RtrlDemo.run(System.out);
        System.out.println();
    }

    /** MNIST when the data is cached (or fetched on request), generated data otherwise. */
    static void mnist() {
        System.out.println("3. Training a network");
        dev.wengert.examples.nn.MnistDemo.run(System.out, Boolean.getBoolean("wengert.fetch"));
        System.out.println();
    }

    /** The expression from micrograd's README, in a few lines. */
    static void micrograd() {
        System.out.println("1. The micrograd README expression");
        Tensor a = Tensor.scalar(-4.0).requiresGrad();
        Tensor b = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor c = add(a, b);
            Tensor d = add(mul(a, b), pow(b, 3));
            c = add(c, add(c, 1));
            c = add(c, add(add(1, c), neg(a)));
            d = add(d, add(mul(d, 2), relu(add(b, a))));
            d = add(d, add(mul(3, d), relu(sub(b, a))));
            Tensor e = sub(c, d);
            Tensor f = pow(e, 2);
            Tensor g = add(div(f, 2.0), div(10.0, f));
            int ops = tape.size();
            Tensor[] grad = tape.gradient(g, a, b);
            System.out.printf("   g      = %-20s (micrograd: 24.70408163265306)%n", g.item());
            System.out.printf("   dg/da  = %-20s (micrograd: 138.83381924198252)%n", grad[0].item());
            System.out.printf("   dg/db  = %-20s (micrograd: 645.5772594752186)%n", grad[1].item());
            System.out.printf("   (%d ops recorded on the tape, replayed backwards once)%n%n", ops);
        }
    }

    /** A 4-16-3 tanh MLP with softmax cross-entropy: gradients, a finite-difference check, and JVPs. */
    static void mlp() {
        System.out.println("2. A small MLP (4-16-3, tanh, softmax cross-entropy, batch of 8)");
        Random rng = new Random(7);
        Tensor x = Tensor.randn(rng, 8, 4);
        int[] labels = new int[8];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(3);
        Tensor w1 = mul(Tensor.randn(rng, 4, 16), 0.5).requiresGrad();
        Tensor b1 = Tensor.zeros(16).requiresGrad();
        Tensor w2 = mul(Tensor.randn(rng, 16, 3), 0.25).requiresGrad();
        Tensor b2 = Tensor.zeros(3).requiresGrad();

        java.util.function.Function<Tensor[], Tensor> loss = p ->
                mean(softmaxCrossEntropy(add(matmul(tanh(add(matmul(x, p[0]), p[1])), p[2]), p[3]), labels));

        Tensor[] grads;
        double value;
        try (Tape tape = Tape.open()) {
            Tensor l = loss.apply(new Tensor[] {w1, b1, w2, b2});
            value = l.item();
            grads = tape.gradient(l, w1, b1, w2, b2);
        }
        System.out.printf("   loss = %.6f; gradient norms: W1 %.4f, b1 %.4f, W2 %.4f, b2 %.4f%n", value,
                norm(grads[0]), norm(grads[1]), norm(grads[2]), norm(grads[3]));

        GradCheck.Report r = GradCheck.of(loss, w1, b1, w2, b2).checkVjp();
        System.out.printf("   reverse mode vs central finite differences: %s, %d elements, max relative error %.2e%n",
                r.passed() ? "agree" : "DISAGREE", r.checked(), r.maxRelativeError());

        // Forward mode: the directional derivative along v equals <gradient, v>.
        Tensor[] v = {Tensor.randn(rng, 4, 16), Tensor.randn(rng, 16), Tensor.randn(rng, 16, 3), Tensor.randn(rng, 3)};
        double jvp = ForwardMode.jvp(p -> new Tensor[] {loss.apply(p)}, new Tensor[] {w1, b1, w2, b2}, v)
                .tangent().item();
        double dot = 0;
        for (int i = 0; i < 4; i++) dot += sum(mul(grads[i], v[i])).item();
        System.out.printf("   forward mode J·v = %.12f, reverse mode <∇L, v> = %.12f%n", jvp, dot);

        // Several directions at once: a batch of 3 tangents for W2 only.
        Tensor batch = Tensor.randn(rng, 3, 16, 3);
        Tensor tangents = ForwardMode.jvpBatch(3, p -> new Tensor[] {loss.apply(p)}, new Tensor[] {w1, b1, w2, b2},
                new Tensor[] {null, null, batch, null}).tangent();
        System.out.printf("   a batch of 3 directions in one forward pass: %s%n", tangents);
        GradCheck.Report all = GradCheck.of(loss, w1, b1, w2, b2).checkAll();
        System.out.printf("   all checks (VJP, JVP, VJP·JVP, Hessian-vector product): %s%n", all.passed() ? "pass" : all);
    }

    private static double norm(Tensor t) {
        return Math.sqrt(sum(square(t)).item());
    }
}
