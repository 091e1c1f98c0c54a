package dev.wengert.rnn;

import static dev.wengert.ops.Ops.add;
import static dev.wengert.ops.Ops.exp;
import static dev.wengert.ops.Ops.matmul;
import static dev.wengert.ops.Ops.meanKeepDims;
import static dev.wengert.ops.Ops.mul;
import static dev.wengert.ops.Ops.sigmoid;
import static dev.wengert.ops.Ops.sub;
import static dev.wengert.ops.Ops.tanh;

import dev.wengert.core.Tensor;
import java.util.Random;

/**
 * Cells written by hand, as a user would, for generic RTRL's tests: one that uses every structured form of
 * a parameter, one whose parameters have no structure, and one that mixes the sequences of a batch.
 */
public final class CustomCells {
    private CustomCells() {}

    /**
     * Every recognised use: {@code v W} (W stored [in, out]), {@code x Uᵀ}, a bias subtracted, a gain, a
     * {@code [1, n]} bias, a bias used twice, a bias on the left of a subtraction; two state parts.
     * <pre>
     *   a  = h W + x Uᵀ − b
     *   y  = a ⊙ g
     *   h' = tanh(y) + c + b               (c of shape [1, n])
     *   m' = d − m ⊙ σ(h')
     * </pre>
     */
    public static final class Kronecker extends Cell {
        public Kronecker(int m, int n, Random rng) {
            super(m, n);
            addParameter("W", normalRows(rng, n, n)); // [in, out]: used as h W
            addParameter("U", normalRows(rng, n, m));
            addParameter("b", Tensor.randn(rng, n));
            addParameter("g", Tensor.randn(rng, n));
            addParameter("c", Tensor.randn(rng, 1, n));
            addParameter("d", Tensor.randn(rng, n));
        }

        @Override
        public int[] stateSizes() {
            return new int[] {hiddenSize(), hiddenSize()};
        }

        @Override
        public Tensor[] step(Tensor[] p, Tensor[] s, Tensor x) {
            checkStep(p, s, x);
            Tensor a = sub(add(matmul(s[0], p[0]), linear(x, p[1])), p[2]);
            Tensor y = mul(a, p[3]);
            Tensor h = add(add(tanh(y), p[4]), p[2]);
            Tensor m = sub(p[5], mul(s[1], sigmoid(h)));
            return new Tensor[] {h, m};
        }
    }

    /**
     * Parameters through nonlinear maps, so that they have no Kronecker structure (dense directions), next to
     * one that has ({@code U}): {@code h' = tanh(h tanh(W)ᵀ + x Uᵀ + exp(b))}.
     */
    public static final class Dense extends Cell {
        public Dense(int m, int n, Random rng) {
            super(m, n);
            addParameter("W", normalRows(rng, n, n));
            addParameter("U", normalRows(rng, n, m));
            addParameter("b", Tensor.randn(rng, n));
        }

        @Override
        public int[] stateSizes() {
            return new int[] {hiddenSize()};
        }

        @Override
        public Tensor[] step(Tensor[] p, Tensor[] s, Tensor x) {
            checkStep(p, s, x);
            return new Tensor[] {tanh(add(add(linear(s[0], tanh(p[0])), linear(x, p[1])), exp(mul(p[2], 0.1))))};
        }
    }

    /**
     * A cell whose sequences see each other: {@code h' = tanh(h Wᵀ + x Uᵀ + b + mean_batch(h))}. Exact RTRL must
     * carry the whole batch's influence; structured directions over the batch would be wrong for it.
     */
    public static final class Mixing extends Cell {
        public Mixing(int m, int n, Random rng) {
            super(m, n);
            addParameter("W", normalRows(rng, n, n));
            addParameter("U", normalRows(rng, n, m));
            addParameter("b", Tensor.randn(rng, n));
        }

        @Override
        public int[] stateSizes() {
            return new int[] {hiddenSize()};
        }

        @Override
        public Tensor[] step(Tensor[] p, Tensor[] s, Tensor x) {
            checkStep(p, s, x);
            Tensor a = add(add(linear(s[0], p[0]), linear(x, p[1])), p[2]);
            return new Tensor[] {tanh(add(a, meanKeepDims(s[0], 0)))};
        }
    }
}
