package dev.wengert.ops;

import dev.wengert.core.Primitive;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.function.DoublePredicate;

/**
 * Every operation on tensors, as static functions: {@code import static dev.wengert.ops.Ops.*;} and
 * write {@code tanh(add(matmul(x, w), b))}. Each is differentiable in both modes (see the conventions
 * in {@link dev.wengert.ops the package documentation}); each checks its arguments and throws a
 * {@link ShapeException} naming the op, the argument and the shapes.
 *
 * <p>Binary elementwise ops broadcast as NumPy does. Overloads taking a {@code double} treat it as a
 * 0-d constant.
 */
public final class Ops {
    private Ops() {}

    /**
     * Applies any primitive, built-in or {@link CustomOp user-defined}.
     *
     * @param op     the primitive
     * @param inputs its inputs, as many as its arity, none null
     * @return the op's output (recorded when a tape records and an input is tracked)
     */
    public static Tensor apply(Primitive op, Tensor... inputs) {
        if (op == null) throw new NullPointerException("apply: the op is null");
        if (inputs == null) throw new NullPointerException(op.name() + ": the inputs array is null");
        return op.apply(inputs);
    }

    /** x itself, or the message the engine gives a null input, for facades that look at x before applying. */
    private static Tensor input(String op, int i, Tensor x) {
        if (x == null) throw new NullPointerException(op + ": input " + i + " is null");
        return x;
    }

    // ---------------------------------------------------------------- elementwise, binary

    /**
     * {@code a + b}.
     *
     * @param a the left operand
     * @param b the right operand; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor add(Tensor a, Tensor b) {
        return Add.INSTANCE.apply(a, b);
    }

    /**
     * {@code a + b} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor add(Tensor a, double b) {
        return Add.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code a + b} with a constant a.
     *
     * @param a a constant
     * @param b the tensor operand
     * @return a new tensor of b's shape
     */
    public static Tensor add(double a, Tensor b) {
        return Add.INSTANCE.apply(Tensor.scalar(a), b);
    }

    /**
     * {@code a - b}.
     *
     * @param a the left operand
     * @param b the right operand; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor sub(Tensor a, Tensor b) {
        return Sub.INSTANCE.apply(a, b);
    }

    /**
     * {@code a - b} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor sub(Tensor a, double b) {
        return Sub.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code a - b} with a constant a.
     *
     * @param a a constant
     * @param b the tensor operand
     * @return a new tensor of b's shape
     */
    public static Tensor sub(double a, Tensor b) {
        return Sub.INSTANCE.apply(Tensor.scalar(a), b);
    }

    /**
     * {@code a * b} elementwise.
     *
     * @param a the left operand
     * @param b the right operand; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor mul(Tensor a, Tensor b) {
        return Mul.INSTANCE.apply(a, b);
    }

    /**
     * {@code a * b} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor mul(Tensor a, double b) {
        return Mul.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code a * b} with a constant a.
     *
     * @param a a constant
     * @param b the tensor operand
     * @return a new tensor of b's shape
     */
    public static Tensor mul(double a, Tensor b) {
        return Mul.INSTANCE.apply(Tensor.scalar(a), b);
    }

    /**
     * {@code a / b} elementwise.
     *
     * @param a the left operand
     * @param b the right operand; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor div(Tensor a, Tensor b) {
        return Div.INSTANCE.apply(a, b);
    }

    /**
     * {@code a / b} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor div(Tensor a, double b) {
        return Div.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code a / b} with a constant a.
     *
     * @param a a constant
     * @param b the tensor operand
     * @return a new tensor of b's shape
     */
    public static Tensor div(double a, Tensor b) {
        return Div.INSTANCE.apply(Tensor.scalar(a), b);
    }

    /**
     * {@code a^b} elementwise. {@code ∂/∂a = b a^(b-1)} (exactly 0 at a = b = 0, so every derivative of
     * {@code x^n} in x is exact at 0); {@code ∂/∂b = a^b ln a}, at a = 0 the limit from above: 0 for
     * b &gt; 0, -∞ for b ≤ 0.
     *
     * @param a the base
     * @param b the exponent; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor pow(Tensor a, Tensor b) {
        return Pow.INSTANCE.apply(a, b);
    }

    /**
     * {@code a^b} with a constant exponent; see {@link #pow(Tensor, Tensor)}.
     *
     * @param a the base
     * @param b the exponent, a constant
     * @return a new tensor of a's shape
     */
    public static Tensor pow(Tensor a, double b) {
        return Pow.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code max(a, b)} elementwise; ties split the gradient equally.
     *
     * @param a one operand
     * @param b the other; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        return Maximum.INSTANCE.apply(a, b);
    }

    /**
     * {@code max(a, b)} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor maximum(Tensor a, double b) {
        return Maximum.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code min(a, b)} elementwise; ties split the gradient equally.
     *
     * @param a one operand
     * @param b the other; broadcasts with a
     * @return a new tensor of the broadcast shape of a and b
     */
    public static Tensor minimum(Tensor a, Tensor b) {
        return Minimum.INSTANCE.apply(a, b);
    }

    /**
     * {@code min(a, b)} with a constant b.
     *
     * @param a the tensor operand
     * @param b a constant
     * @return a new tensor of a's shape
     */
    public static Tensor minimum(Tensor a, double b) {
        return Minimum.INSTANCE.apply(a, Tensor.scalar(b));
    }

    /**
     * {@code cond ? a : b} elementwise (cond nonzero is true; it is a constant, no gradient flows into it).
     *
     * @param cond the condition, read as a constant; broadcasts with a and b
     * @param a    the values where cond is nonzero
     * @param b    the values where cond is 0
     * @return a new tensor of the broadcast shape of cond, a and b
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return new Where(cond).apply(a, b);
    }

    // ---------------------------------------------------------------- elementwise, unary

    /**
     * {@code -x}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor neg(Tensor x) {
        return Neg.INSTANCE.apply(x);
    }

    /**
     * {@code e^x}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor exp(Tensor x) {
        return Exp.INSTANCE.apply(x);
    }

    /**
     * {@code ln x}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor log(Tensor x) {
        return Log.INSTANCE.apply(x);
    }

    /**
     * {@code √x}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor sqrt(Tensor x) {
        return Sqrt.INSTANCE.apply(x);
    }

    /**
     * {@code x²} (as {@code x * x}).
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor square(Tensor x) {
        return Mul.INSTANCE.apply(x, x);
    }

    /**
     * {@code |x|}; the subgradient at 0 is 0.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor abs(Tensor x) {
        return Abs.INSTANCE.apply(x);
    }

    /**
     * {@code tanh x}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor tanh(Tensor x) {
        return Tanh.INSTANCE.apply(x);
    }

    /**
     * {@code 1 / (1 + e^{-x})}.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor sigmoid(Tensor x) {
        return Sigmoid.INSTANCE.apply(x);
    }

    /**
     * {@code max(x, 0)}; the subgradient at 0 is 0.
     *
     * @param x the input
     * @return a new tensor of x's shape
     */
    public static Tensor relu(Tensor x) {
        return Relu.INSTANCE.apply(x);
    }

    /**
     * {@code min(max(x, lo), hi)}; the gradient is 1 on the closed interval [lo, hi], else 0. With
     * {@code lo > hi} every element is hi and the gradient is 0, as the formula says (and torch.clamp
     * does).
     *
     * @param x  the input
     * @param lo the lower bound
     * @param hi the upper bound
     * @return a new tensor of x's shape
     * @throws IllegalArgumentException when a bound is NaN
     */
    public static Tensor clamp(Tensor x, double lo, double hi) {
        return new Clamp(lo, hi).apply(x);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Every state of a vanilla tanh RNN over a whole sequence, as one op:
     * {@code h_t = tanh(h_{t−1} Wᵀ + x_t Uᵀ + b)} for {@code t = 0 … T−1}, with {@code h_{−1} = h0}.
     * The same values and gradients as T steps written with {@code matmul}, {@code add} and {@code tanh}
     * (to rounding), computed faster: the input projections of all steps are one product, and the backward
     * pass sums the weight gradients of all steps in one product each.
     *
     * @param w  the recurrent weights {@code [n,n]}
     * @param u  the input weights {@code [n,m]}
     * @param b  the bias {@code [n]}
     * @param h0 the state before the first step {@code [B,n]}
     * @param xs the inputs of all steps {@code [T,B,m]}, T ≥ 1
     * @return the states {@code [T,B,n]}, row t being {@code h_t}
     */
    public static Tensor tanhRnnSequence(Tensor w, Tensor u, Tensor b, Tensor h0, Tensor xs) {
        return TanhRnnSequence.INSTANCE.apply(w, u, b, h0, xs);
    }

    /**
     * Every state of an LSTM over a whole sequence, as one op: for gates g = f, i, o, c (in that order)
     * {@code a^g_t = h_{t−1} W_gᵀ + x_t U_gᵀ + b_g}, {@code c_t = σ(a^f_t) ⊙ c_{t−1} + σ(a^i_t) ⊙ tanh(a^c_t)},
     * {@code h_t = σ(a^o_t) ⊙ tanh(c_t)}. The same states as T steps written with separate ops (the same bits),
     * and the same gradients to rounding, computed faster.
     *
     * @param w  the recurrent weights of the four gates, each {@code [n,n]}
     * @param u  the input weights of the four gates, each {@code [n,m]}
     * @param b  the biases of the four gates, each {@code [n]}
     * @param h0 the hidden state before the first step {@code [B,n]}
     * @param c0 the cell state before the first step {@code [B,n]}
     * @param xs the inputs of all steps {@code [T,B,m]}, T ≥ 1
     * @return {@code [2,T,B,n]}: index 0 holds every h_t, index 1 every c_t
     */
    public static Tensor lstmSequence(Tensor[] w, Tensor[] u, Tensor[] b, Tensor h0, Tensor c0, Tensor xs) {
        String[] names = {"W", "U", "b"};
        Tensor[][] groups = {w, u, b};
        for (int k = 0; k < 3; k++) {
            if (groups[k] == null) throw new NullPointerException("lstmSequence: the array " + names[k] + " is null");
            if (groups[k].length != 4) {
                throw new IllegalArgumentException("lstmSequence: " + names[k] + " must hold the 4 gates f, i, o, c; got "
                        + groups[k].length);
            }
        }
        return LstmSequence.INSTANCE.apply(w[0], w[1], w[2], w[3], u[0], u[1], u[2], u[3], b[0], b[1], b[2], b[3], h0, c0,
                xs);
    }

    /**
     * Every state of a GRU over a whole sequence, as one op: for gates z, r, n (in that order)
     * {@code z_t = σ(h_{t−1} W_zᵀ + x_t U_zᵀ + b_z)}, {@code r_t} likewise,
     * {@code ñ_t = tanh((r_t ⊙ h_{t−1}) W_nᵀ + x_t U_nᵀ + b_n)}, {@code h_t = ñ_t + z_t ⊙ (h_{t−1} − ñ_t)}. The same
     * states as T steps written with separate ops (the same bits), the same gradients to rounding, faster.
     *
     * @param w  the recurrent weights of the three gates, each {@code [n,n]}
     * @param u  the input weights of the three gates, each {@code [n,m]}
     * @param b  the biases of the three gates, each {@code [n]}
     * @param h0 the state before the first step {@code [B,n]}
     * @param xs the inputs of all steps {@code [T,B,m]}, T ≥ 1
     * @return the states {@code [T,B,n]}
     */
    public static Tensor gruSequence(Tensor[] w, Tensor[] u, Tensor[] b, Tensor h0, Tensor xs) {
        String[] names = {"W", "U", "b"};
        Tensor[][] groups = {w, u, b};
        for (int k = 0; k < 3; k++) {
            if (groups[k] == null) throw new NullPointerException("gruSequence: the array " + names[k] + " is null");
            if (groups[k].length != 3) {
                throw new IllegalArgumentException("gruSequence: " + names[k] + " must hold the 3 gates z, r, n; got "
                        + groups[k].length);
            }
        }
        return GruSequence.INSTANCE.apply(w[0], w[1], w[2], u[0], u[1], u[2], b[0], b[1], b[2], h0, xs);
    }

    /**
     * A fully connected layer, {@code y = x Wᵀ + b}, in one op: x {@code [batch, in]}, weight W
     * {@code [out, in]} (PyTorch's {@code F.linear} layout), bias b {@code [out]}. The same values and
     * gradients, bit for bit, as {@code add(matmul(x, w, false, true), b)}, with one output array instead
     * of two.
     *
     * @param x the inputs, {@code [batch, in]}
     * @param w the weight, {@code [out, in]}
     * @param b the bias, {@code [out]}
     * @return a new tensor {@code [batch, out]}
     * @throws dev.wengert.core.ShapeException naming the three shapes when they do not fit together
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(x, w, b, Nonlinearity.IDENTITY);
    }

    /**
     * A fully connected layer and its activation, {@code y = φ(x Wᵀ + b)}, in one op: one output array
     * where the unfused ops make three, and a backward pass that writes the weight gradient into the
     * weight's recycled buffer ({@link Tensor#recycleGrad()}). The same values and gradients, bit for bit,
     * as φ applied to {@code add(matmul(x, w, false, true), b)} with {@link #tanh}, {@link #relu} or
     * {@link #sigmoid}.
     *
     * @param x   the inputs, {@code [batch, in]}
     * @param w   the weight, {@code [out, in]}
     * @param b   the bias, {@code [out]}
     * @param phi the activation φ
     * @return a new tensor {@code [batch, out]}
     * @throws dev.wengert.core.ShapeException naming the three shapes when they do not fit together
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, Nonlinearity phi) {
        if (phi == null) throw new NullPointerException("linear: the activation is null");
        return LinearActivation.of(phi).apply(input("linear", 0, x), input("linear", 1, w), input("linear", 2, b));
    }

    /**
     * The matrix product. Rank ≥ 2 inputs multiply over their last two axes and broadcast over the
     * others; a 1-d input is promoted as NumPy does (a vector on the left is a row, on the right a
     * column, and that axis is removed from the result).
     *
     * @param a the left factor {@code [..., m, k]}, or a vector {@code [k]}
     * @param b the right factor {@code [..., k, n]}, or a vector {@code [k]}
     * @return a new tensor {@code [..., m, n]}, the batch axes broadcast, without the axis of a vector
     *     operand
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * {@code op(a) op(b)}, op transposing the last two axes when its flag is set, without copying.
     *
     * @param a      the left factor {@code [..., m, k]} ({@code [..., k, m]} when transA), or a vector
     * @param b      the right factor {@code [..., k, n]} ({@code [..., n, k]} when transB), or a vector
     * @param transA whether to use aᵀ (ignored for a vector a)
     * @param transB whether to use bᵀ (ignored for a vector b)
     * @return a new tensor {@code [..., m, n]}, the batch axes broadcast, without the axis of a vector
     *     operand
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        input("matmul", 0, a);
        input("matmul", 1, b);
        boolean rowVector = a.rank() == 1;
        boolean colVector = b.rank() == 1;
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException("matmul: scalar operand (" + Shapes.str(a.shape()) + " x " + Shapes.str(b.shape())
                    + "); use mul");
        }
        Tensor a2 = rowVector ? reshape(a, 1, a.dim(0)) : a;
        Tensor b2 = colVector ? reshape(b, b.dim(0), 1) : b;
        if (!rowVector && !colVector) return MatMul.of(transA, transB).apply(a2, b2);
        Tensor c;
        try {
            c = MatMul.of(transA && !rowVector, transB && !colVector).apply(a2, b2);
        } catch (ShapeException e) {
            // The message shows the promoted shapes; say which shapes the caller gave.
            ShapeException named = new ShapeException(e.getMessage() + " (promoted from the vector"
                    + (rowVector && colVector ? "s " : " operand of ") + Shapes.str(a.shape()) + " x "
                    + Shapes.str(b.shape()) + ")");
            named.initCause(e);
            throw named;
        }
        int[] s = c.shape();
        int drop = (rowVector ? 1 : 0) + (colVector ? 1 : 0);
        int[] out = new int[s.length - drop];
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (rowVector && i == s.length - 2) continue;
            if (colVector && i == s.length - 1) continue;
            out[k++] = s[i];
        }
        return reshape(c, out);
    }

    // ---------------------------------------------------------------- shapes

    /**
     * The same elements in a new shape (one size may be -1).
     *
     * @param x     the input
     * @param shape the new sizes, with x's number of elements; at most one -1, inferred
     * @return a view of x's data in the new shape; x itself when the shape is x's
     */
    public static Tensor reshape(Tensor x, int... shape) {
        if (shape == null) throw new NullPointerException("reshape: the target shape is null");
        if (input("reshape", 0, x).hasShape(shape)) return x;
        return new Reshape(shape).apply(x);
    }

    /**
     * Swaps the last two axes.
     *
     * @param x the input, rank ≥ 2
     * @return a new tensor {@code [..., n, m]} for x {@code [..., m, n]}
     */
    public static Tensor transpose(Tensor x) {
        int r = input("transpose", 0, x).rank();
        if (r < 2) throw new ShapeException("transpose: needs rank >= 2, got " + Shapes.str(x.shape()));
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return new Transpose(perm).apply(x);
    }

    /**
     * Permutes the axes: axis j of the result is axis {@code perm[j]} of x.
     *
     * @param x    the input
     * @param perm a permutation of {@code 0 … rank − 1}
     * @return a new tensor of shape {@code shape(x)[perm[j]]} along axis j
     */
    public static Tensor permute(Tensor x, int... perm) {
        return new Transpose(perm).apply(x);
    }

    /**
     * x repeated along broadcast axes to {@code shape}.
     *
     * @param x     the input
     * @param shape the target shape; x's shape must broadcast to it
     * @return a new tensor of shape {@code shape}; x itself when x already has it
     */
    public static Tensor broadcastTo(Tensor x, int... shape) {
        if (shape == null) throw new NullPointerException("broadcastTo: the target shape is null");
        if (input("broadcastTo", 0, x).hasShape(shape)) return x;
        return new BroadcastTo(shape).apply(x);
    }

    /**
     * The unbroadcast: x summed down to {@code shape}, which must broadcast to x's shape.
     *
     * @param x     the input
     * @param shape the target shape, which broadcasts to x's shape
     * @return a new tensor of shape {@code shape}, x's elements summed over the broadcast axes; x itself when
     *     x already has it
     */
    public static Tensor sumTo(Tensor x, int... shape) {
        if (shape == null) throw new NullPointerException("sumTo: the target shape is null");
        if (input("sumTo", 0, x).hasShape(shape)) return x;
        return new SumTo(shape).apply(x);
    }

    /**
     * A new axis of size 1 at {@code axis}.
     *
     * @param x    the input
     * @param axis where the new axis goes, from {@code -(rank+1)} to rank
     * @return a view of x's data with rank one higher
     */
    public static Tensor expandDims(Tensor x, int axis) {
        int[] s = input("expandDims", 0, x).shape();
        int a = Shapes.axis("expandDims", axis, s.length + 1);
        int[] out = new int[s.length + 1];
        System.arraycopy(s, 0, out, 0, a);
        out[a] = 1;
        System.arraycopy(s, a, out, a + 1, s.length - a);
        return reshape(x, out);
    }

    /**
     * Removes the size-1 axis {@code axis}.
     *
     * @param x    the input
     * @param axis the axis to remove, of size 1; negative counts from the end
     * @return a view of x's data with rank one lower
     */
    public static Tensor squeeze(Tensor x, int axis) {
        int[] s = input("squeeze", 0, x).shape();
        int a = Shapes.axis("squeeze", axis, s.length);
        if (s[a] != 1) throw new ShapeException("squeeze: axis " + axis + " of " + Shapes.str(s) + " has size " + s[a]);
        int[] out = new int[s.length - 1];
        System.arraycopy(s, 0, out, 0, a);
        System.arraycopy(s, a + 1, out, a, s.length - a - 1);
        return reshape(x, out);
    }

    /**
     * Elements {@code start, start+1, ..., end-1} along {@code axis} (negative indices count from the end).
     *
     * @param x     the input
     * @param axis  the axis to slice; negative counts from the end
     * @param start the first index, included
     * @param end   the last index, excluded
     * @return a new tensor with {@code end − start} elements along axis
     */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        return new Slice(axis, start, end, 1).apply(x);
    }

    /**
     * Elements {@code start, start+step, ...} before {@code end} along {@code axis}; step ≥ 1.
     *
     * @param x     the input
     * @param axis  the axis to slice; negative counts from the end
     * @param start the first index, included
     * @param end   the index to stop before
     * @param step  the stride, at least 1
     * @return a new tensor with {@code ceil((end − start) / step)} elements along axis
     */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        return new Slice(axis, start, end, step).apply(x);
    }

    /**
     * The tensors joined along {@code axis}; all other sizes must agree.
     *
     * @param axis the axis to join along; negative counts from the end
     * @param xs   the tensors, at least one, of one rank
     * @return a new tensor whose size along axis is the sum of theirs
     */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs == null) throw new NullPointerException("concat: the tensors array is null");
        return new Concat(axis).apply(xs);
    }

    /**
     * The tensors (of one shape) stacked along a new axis {@code axis}.
     *
     * @param axis where the new axis goes, from {@code -(rank+1)} to rank
     * @param xs   the tensors, at least one, all of one shape
     * @return a new tensor with a new axis of size {@code xs.length}
     */
    public static Tensor stack(int axis, Tensor... xs) {
        if (xs == null) throw new NullPointerException("stack: the tensors array is null");
        if (xs.length == 0) throw new IllegalArgumentException("stack: no tensors");
        for (int i = 0; i < xs.length; i++) input("stack", i, xs[i]);
        Tensor[] expanded = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            if (!xs[i].sameShape(xs[0])) {
                throw new ShapeException("stack: tensor " + i + " has shape " + Shapes.str(xs[i].shape())
                        + ", tensor 0 has " + Shapes.str(xs[0].shape()));
            }
            expanded[i] = expandDims(xs[i], axis);
        }
        return concat(axis, expanded);
    }

    /**
     * NumPy's {@code take}: the slices of x at {@code indices} along {@code axis} (indices may repeat).
     *
     * @param x       the input
     * @param axis    the axis to index; negative counts from the end
     * @param indices positions along axis, each in {@code [0, size)}
     * @return a new tensor with {@code indices.length} elements along axis
     */
    public static Tensor gather(Tensor x, int axis, int... indices) {
        if (indices == null) throw new NullPointerException("gather: indices is null");
        return new Gather(axis, indices, new int[] {indices.length}).apply(x);
    }

    /**
     * NumPy's {@code take} with an index array of shape {@code indexShape}: the result's shape is x's
     * with {@code axis} replaced by indexShape (an embedding lookup of a [batch, time] array of ids).
     *
     * @param x          the input
     * @param axis       the axis to index; negative counts from the end
     * @param indices    positions along axis, each in {@code [0, size)}, row-major in indexShape
     * @param indexShape the shape of the index array, with {@code size(indexShape) = indices.length}
     * @return a new tensor of shape {@code [shape(x) before axis..., indexShape..., shape(x) after axis...]}
     */
    public static Tensor gather(Tensor x, int axis, int[] indices, int[] indexShape) {
        return new Gather(axis, indices, indexShape).apply(x);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * The sum of all elements, a scalar.
     *
     * @param x the input
     * @return a new 0-d tensor
     */
    public static Tensor sum(Tensor x) {
        return new Sum(null, false).apply(x);
    }

    /**
     * The sum over {@code axes}, which are removed.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's shape without the reduced axes
     */
    public static Tensor sum(Tensor x, int... axes) {
        return new Sum(Axes.orAll(axes), false).apply(x);
    }

    /**
     * The sum over {@code axes}, kept as size 1.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's rank, the reduced axes of size 1
     */
    public static Tensor sumKeepDims(Tensor x, int... axes) {
        return new Sum(Axes.orAll(axes), true).apply(x);
    }

    /**
     * The mean of all elements, a scalar.
     *
     * @param x the input
     * @return a new 0-d tensor
     */
    public static Tensor mean(Tensor x) {
        return new Mean(null, false).apply(x);
    }

    /**
     * The mean over {@code axes}, which are removed.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's shape without the reduced axes
     */
    public static Tensor mean(Tensor x, int... axes) {
        return new Mean(Axes.orAll(axes), false).apply(x);
    }

    /**
     * The mean over {@code axes}, kept as size 1.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's rank, the reduced axes of size 1
     */
    public static Tensor meanKeepDims(Tensor x, int... axes) {
        return new Mean(Axes.orAll(axes), true).apply(x);
    }

    /**
     * The largest element, a scalar; ties share the gradient equally.
     *
     * @param x the input, not empty
     * @return a new 0-d tensor
     */
    public static Tensor max(Tensor x) {
        return new Max(null, false).apply(x);
    }

    /**
     * The maximum over {@code axes}, which are removed.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's shape without the reduced axes
     */
    public static Tensor max(Tensor x, int... axes) {
        return new Max(Axes.orAll(axes), false).apply(x);
    }

    /**
     * The maximum over {@code axes}, kept as size 1.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's rank, the reduced axes of size 1
     */
    public static Tensor maxKeepDims(Tensor x, int... axes) {
        return new Max(Axes.orAll(axes), true).apply(x);
    }

    /**
     * The smallest element, as {@code -max(-x)}.
     *
     * @param x the input, not empty
     * @return a new 0-d tensor
     */
    public static Tensor min(Tensor x) {
        return neg(max(neg(input("min", 0, x))));
    }

    /**
     * The minimum over {@code axes}, as {@code -max(-x, axes)}.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's shape without the reduced axes
     */
    public static Tensor min(Tensor x, int... axes) {
        return neg(max(neg(input("min", 0, x)), axes));
    }

    /**
     * {@code log Σ exp x} over {@code axes} (all when none), as {@code m + log1p(Σ_{j≠k} exp(x_j - m))}
     * with m the maximum (at k): no overflow, an ulp or two from exact at any magnitude. Its gradient is
     * the softmax of each reduced slice. Infinite entries follow the softmax family's limits (see the
     * package documentation): +∞ gives +∞, a slice of -∞ gives -∞ with the uniform gradient; NaN gives
     * NaN.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's shape without the reduced axes
     */
    public static Tensor logSumExp(Tensor x, int... axes) {
        return new LogSumExp(Axes.orAll(axes), false).apply(x);
    }

    /**
     * {@link #logSumExp} keeping the reduced axes as size 1.
     *
     * @param x    the input
     * @param axes the axes to reduce, negative counting from the end; none for all
     * @return a new tensor of x's rank, the reduced axes of size 1
     */
    public static Tensor logSumExpKeepDims(Tensor x, int... axes) {
        return new LogSumExp(Axes.orAll(axes), true).apply(x);
    }

    // ---------------------------------------------------------------- softmax and losses

    /**
     * {@code exp(x_i) / Σ_j exp(x_j)} along {@code axis}, as {@code e_i / Σ e} with
     * {@code e = exp(x - max)}: a few ulps from exact at any magnitude, also in its derivatives; infinite
     * entries take the limits in the package documentation ({@code softmax([∞, 1]) = [1, 0]},
     * {@code softmax([-∞, -∞]) = [½, ½]}).
     *
     * @param x    the input
     * @param axis the axis to normalise over; negative counts from the end
     * @return a new tensor of x's shape whose slices along axis sum to 1
     */
    public static Tensor softmax(Tensor x, int axis) {
        return new Softmax(axis).apply(x);
    }

    /**
     * Softmax along the last axis.
     *
     * @param x the input, rank ≥ 1
     * @return a new tensor of x's shape whose rows sum to 1
     */
    public static Tensor softmax(Tensor x) {
        return softmax(x, -1);
    }

    /**
     * {@code x_i - log Σ_j exp(x_j)} along {@code axis}, as {@code (x_i - m) - log1p(Σ_{j≠k} exp(x_j - m))}
     * with m the maximum (at k): a few ulps from exact at any magnitude.
     *
     * @param x    the input
     * @param axis the axis to normalise over; negative counts from the end
     * @return a new tensor of x's shape
     */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return new LogSoftmax(axis).apply(x);
    }

    /**
     * Log-softmax along the last axis.
     *
     * @param x the input, rank ≥ 1
     * @return a new tensor of x's shape
     */
    public static Tensor logSoftmax(Tensor x) {
        return logSoftmax(x, -1);
    }

    /**
     * The cross-entropy of softmax(logits) against class indices, fused and stable:
     * {@code -log softmax(z)[label]} per row, over the last axis. One label per row (the product of the
     * other axes); the result has the logits' shape without the last axis. Computed as
     * {@code log s - (z[label] - m)} with m the row's maximum and {@code s = Σ exp(z - m)}, never as a
     * difference of huge numbers: {@code [1e16, 1e16]} costs ln 2.
     *
     * @param logits the logits {@code [..., C]}
     * @param labels one class index in {@code [0, C)} per row, row-major
     * @return a new tensor of the logits' shape without the last axis: the loss per row
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int... labels) {
        return new SoftmaxCrossEntropy(labels).apply(logits);
    }

    /**
     * The cross-entropy of softmax(logits) against target distributions (one-hot or soft), over the last
     * axis: {@code -Σ_c t_c log softmax(z)_c} per row. Differentiable in both. A zero target adds
     * nothing even where {@code softmax(z)_c = 0} ({@code 0 log 0 = 0}).
     *
     * @param logits  the logits {@code [..., C]}
     * @param targets a distribution per row, of the logits' shape
     * @return a new tensor of the logits' shape without the last axis: the loss per row
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
        return new SoftmaxCrossEntropy().apply(logits, targets);
    }

    // ---------------------------------------------------------------- constants

    /**
     * A constant 0/1 tensor: 1 where {@code test} holds for x's element. Not differentiable.
     *
     * @param x    the input, read as a constant
     * @param test the condition on an element's value
     * @return a new untracked tensor of x's shape
     */
    public static Tensor mask(Tensor x, DoublePredicate test) {
        if (test == null) throw new NullPointerException("mask: the test is null");
        double[] d = input("mask", 0, x).data();
        double[] m = new double[d.length];
        for (int i = 0; i < d.length; i++) m[i] = test.test(d[i]) ? 1.0 : 0.0;
        return Tensor.wrap(m, x.shape());
    }
}
