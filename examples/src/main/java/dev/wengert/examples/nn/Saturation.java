package dev.wengert.examples.nn;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.nn.Loss;
import dev.wengert.ops.Ops;
import java.io.PrintStream;

/**
 * Lecture 002, 3.1.1: saturation. One sigmoid unit {@code a = σ(w x + b)} with {@code w = −5},
 * {@code b = 0}, at an input where the target is 1 but {@code z = −5}, so {@code a = σ(−5) ≈ 0.0067}:
 * the prediction is off by almost 1. Under the squared loss {@code ℓ = (a − y)²} the gradient
 * {@code ∂ℓ/∂z = 2 (a − y) σ'(z)} is tiny because σ is flat at −5; under the cross-entropy
 * {@code ∂ℓ/∂z = a − y} is large. Both gradients come from the tape; the closed forms are printed beside
 * them. Then 50 gradient steps of size 1 with each loss show what that means for learning.
 *
 * <p>(The notes pair w = −5 with the input x = −1 of a NOT gate whose target is 1; but there
 * {@code z = w x = +5} and the unit is already right. The situation they describe, z = −5 with target 1,
 * is the input x = 1 with target 1, used here.)
 *
 * <p>Run: {@code mvn -q -pl core,ops,nn -am compile exec:java -Dexec.mainClass=dev.wengert.examples.nn.Saturation}
 * (see the README for the exact command).
 */
public final class Saturation {
    private Saturation() {}

    /** The figures: loss and ∂ℓ/∂z, ∂ℓ/∂w under both losses, and the outputs after training. */
    public record Result(double z, double a, double squaredLoss, double squaredGradZ, double squaredGradW,
            double crossEntropyLoss, double crossEntropyGradZ, double crossEntropyGradW, double aAfterSquared,
            double aAfterCrossEntropy) {}

    /** The weight, as in the notes. */
    public static final double W = -5;
    /** The input: z = w x = −5. */
    public static final double X = 1;
    /** The target. */
    public static final double Y = 1;

    /**
     * Computes the figures.
     *
     * @return the figures, from the tape and after 50 steps with each loss
     */
    public static Result run() {
        double[] sq = gradients(true);
        double[] ce = gradients(false);
        double z = W * X;
        double a = 1 / (1 + StrictMath.exp(-z));
        return new Result(z, a, sq[0], sq[1], sq[2], ce[0], ce[1], ce[2], train(true, 50), train(false, 50));
    }

    /** {loss, ∂ℓ/∂z, ∂ℓ/∂w} at w = −5, b = 0. */
    private static double[] gradients(boolean squared) {
        Tensor w = Tensor.scalar(W).requiresGrad();
        Tensor b = Tensor.scalar(0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor z = Ops.add(Ops.mul(w, X), b);
            Tensor loss = loss(z, squared);
            Tensor[] g = tape.gradient(loss, z, w);
            return new double[] {loss.item(), g[0].item(), g[1].item()};
        }
    }

    private static Tensor loss(Tensor z, boolean squared) {
        Tensor y = Tensor.scalar(Y);
        return squared ? Loss.squared(Ops.sigmoid(z), y) : Loss.binaryCrossEntropyWithLogits(z, y);
    }

    /** The output σ(w x + b) after {@code steps} gradient steps of size 1 from w = −5, b = 0. */
    private static double train(boolean squared, int steps) {
        double w = W;
        double b = 0;
        for (int s = 0; s < steps; s++) {
            Tensor wt = Tensor.scalar(w).requiresGrad();
            Tensor bt = Tensor.scalar(b).requiresGrad();
            try (Tape tape = Tape.open()) {
                Tensor[] g = tape.gradient(loss(Ops.add(Ops.mul(wt, X), bt), squared), wt, bt);
                w -= g[0].item();
                b -= g[1].item();
            }
        }
        return 1 / (1 + StrictMath.exp(-(w * X + b)));
    }

    /**
     * Prints the figures.
     *
     * @param r   the figures
     * @param out where to print
     */
    public static void print(Result r, PrintStream out) {
        double s = r.a() * (1 - r.a());
        out.println("Saturation (lecture 002, 3.1.1): one sigmoid unit, w = -5, b = 0, input x = 1, target y = 1");
        out.printf("  z = %.1f, a = sigma(z) = %.6f, sigma'(z) = %.6f%n", r.z(), r.a(), s);
        out.printf("  squared loss (a-y)^2 = %.6f: dl/dz = %.6f (2(a-y)sigma'(z) = %.6f), dl/dw = %.6f%n",
                r.squaredLoss(), r.squaredGradZ(), 2 * (r.a() - Y) * s, r.squaredGradW());
        out.printf("  cross-entropy        = %.6f: dl/dz = %.6f (a-y = %.6f), dl/dw = %.6f%n", r.crossEntropyLoss(),
                r.crossEntropyGradZ(), r.a() - Y, r.crossEntropyGradW());
        out.printf("  the cross-entropy gradient is %.0f times larger%n", r.crossEntropyGradZ() / r.squaredGradZ());
        out.printf("  after 50 gradient steps of size 1: a = %.4f with the squared loss, %.4f with cross-entropy%n",
                r.aAfterSquared(), r.aAfterCrossEntropy());
    }

    /**
     * Computes and prints the figures on standard output.
     *
     * @param args none
     */
    public static void main(String[] args) {
        print(run(), System.out);
    }
}
