package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input to the core factories, Shapes, ForwardMode, GradCheck and Tape: a named exception (the
 * operation and the argument or value at fault in its message), never a raw JDK exception, an
 * OutOfMemoryError or a silently wrong result.
 */
class BadInputTest {

    /** Asserts that {@code call} throws exactly {@code type} with a message containing every fragment. */
    static <T extends Throwable> T named(Class<T> type, Executable call, String... fragments) {
        Throwable e = assertThrows(Throwable.class, call);
        assertEquals(type, e.getClass(), () -> "expected " + type.getSimpleName() + ", got " + e);
        String m = e.getMessage();
        for (String f : fragments) {
            assertTrue(m != null && m.contains(f), () -> "message '" + m + "' lacks '" + f + "'");
        }
        return type.cast(e);
    }

    // ---------------------------------------------------------------- factories

    @Test
    void eyeOfANegativeSizeIsRefused() {
        named(IllegalArgumentException.class, () -> Tensor.eye(-1), "eye", "-1");
        named(IllegalArgumentException.class, () -> Tensor.eye(-2), "eye", "-2");
        assertArrayEquals(new int[] {0, 0}, Tensor.eye(0).shape());
    }

    @Test
    void eyeBeyondTheLargestArrayIsNamedNotAnOverflow() {
        // 50,000² and 65,536² overflow an int: NegativeArraySize and ArrayIndexOutOfBounds before.
        named(ShapeException.class, () -> Tensor.eye(50000), "eye", "[50000,50000]", "2500000000");
        named(ShapeException.class, () -> Tensor.eye(65536), "eye", "[65536,65536]", "4294967296");
    }

    @Test
    void zerosThatFitAnIntButNotTheHeapAreRefusedUpFront() {
        long max = Runtime.getRuntime().maxMemory();
        org.junit.jupiter.api.Assumptions.assumeTrue(max < 16L << 30, "needs a heap below 16 GiB");
        // 46,340² = 2,147,395,600 elements fit an int; 16 GiB of doubles do not fit the heap.
        AllocationException e = named(AllocationException.class, () -> Tensor.zeros(46340, 46340), "zeros",
                "[46340,46340]", "2147395600", "16.00 GiB");
        assertEquals(2147395600L * 8, e.bytes());
        named(AllocationException.class, () -> Tensor.ones(46340, 46340), "ones", "[46340,46340]");
        named(AllocationException.class, () -> Tensor.full(2.0, 46340, 46340), "full", "[46340,46340]");
        named(AllocationException.class, () -> Tensor.randn(new Random(1), 46340, 46340), "randn", "[46340,46340]");
        named(AllocationException.class, () -> Tensor.uniform(new Random(1), 0, 1, 46340, 46340), "uniform",
                "[46340,46340]");
        named(AllocationException.class, () -> Tensor.eye(46340), "eye", "[46340,46340]");
    }

    @Test
    void shapesBeyondAnIntAreNamed() {
        named(ShapeException.class, () -> Tensor.zeros(65536, 65536), "zeros", "[65536,65536]", "4294967296");
        named(ShapeException.class, () -> Tensor.zeros(2, -3), "zeros", "[2,-3]", "negative");
        // An empty shape whose other sizes multiply past 2^31: its strides would overflow.
        named(ShapeException.class, () -> Tensor.zeros(0, 65536, 65536), "zeros", "[0,65536,65536]");
        named(ShapeException.class, () -> Tensor.wrap(new double[0], 0, 65536, 65536), "wrap", "[0,65536,65536]");
    }

    @Test
    void nullArgumentsOfTheFactoriesAreNamed() {
        named(NullPointerException.class, () -> Tensor.wrap(null, 2), "wrap", "data");
        named(NullPointerException.class, () -> Tensor.wrap(new double[2], (int[]) null), "wrap", "shape");
        named(NullPointerException.class, () -> Tensor.of(null, 2), "of", "values");
        named(NullPointerException.class, () -> Tensor.of(new double[2], (int[]) null), "of", "shape");
        named(NullPointerException.class, () -> Tensor.vector((double[]) null), "vector", "values");
        named(NullPointerException.class, () -> Tensor.matrix(null), "matrix", "rows");
        named(NullPointerException.class, () -> Tensor.matrix(new double[][] {{1}, null}), "matrix", "row 1");
        named(NullPointerException.class, () -> Tensor.zeros((int[]) null), "zeros", "shape");
        named(NullPointerException.class, () -> Tensor.ones((int[]) null), "ones", "shape");
        named(NullPointerException.class, () -> Tensor.full(1, (int[]) null), "full", "shape");
        named(NullPointerException.class, () -> Tensor.randn(null, 2), "randn", "rng");
        named(NullPointerException.class, () -> Tensor.uniform(null, 0, 1, 2), "uniform", "rng");
        named(NullPointerException.class, () -> Tensor.zeros(2).get((int[]) null), "get", "index");
        named(NullPointerException.class, () -> Tensor.zeros(2).flatIndex((int[]) null), "flatIndex", "index");
    }

    @Test
    void uniformBoundsAreChecked() {
        named(IllegalArgumentException.class, () -> Tensor.uniform(new Random(1), 1, 0, 2), "uniform", "1.0", "0.0");
        named(IllegalArgumentException.class, () -> Tensor.uniform(new Random(1), Double.NaN, 1, 2), "uniform", "NaN");
        named(IllegalArgumentException.class, () -> Tensor.uniform(new Random(1), 0, Double.POSITIVE_INFINITY, 2),
                "uniform", "Infinity");
    }

    @Test
    void flatIndexOfARankMismatchAndOutOfRangeNamesTheIndex() {
        named(ShapeException.class, () -> Tensor.zeros(2, 3).flatIndex(1), "flatIndex", "rank 2");
        named(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).flatIndex(0, -1), "flatIndex", "[0, -1]",
                "[2,3]");
    }

    // ---------------------------------------------------------------- Shapes

    @Test
    void shapesHelpersNameTheirArguments() {
        named(NullPointerException.class, () -> Shapes.size(null), "shape");
        named(NullPointerException.class, () -> Shapes.size("reshape", null), "reshape", "shape");
        named(NullPointerException.class, () -> Shapes.broadcast("add", null, new int[] {2}), "add", "null");
        named(NullPointerException.class, () -> Shapes.broadcast(null, new int[] {2}, new int[] {3}), "op");
        named(ShapeException.class, () -> Shapes.broadcast("add", new int[] {-1}, new int[] {1}), "add", "[-1]",
                "negative");
        named(NullPointerException.class, () -> Shapes.broadcastsTo(null, new int[] {2}), "broadcastsTo", "from");
        named(NullPointerException.class, () -> Shapes.strides(null), "strides", "shape");
        named(IllegalArgumentException.class, () -> Shapes.prepend(-1, new int[] {2}), "prepend", "-1");
        named(ShapeException.class, () -> Shapes.dropFirst(new int[0]), "dropFirst", "[]");
        named(ShapeException.class, () -> Shapes.size("sum", new int[] {46341, 46341}), "sum", "[46341,46341]");
    }

    // ---------------------------------------------------------------- ForwardMode

    /** The identity's first element, y = x[0], whose JVP reads only column 0 of the tangents: O(k) per run. */
    static final Primitive FIRST = new Primitive() {
        @Override
        public String name() {
            return "first";
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public int[] shape(Tensor... x) {
            return Shapes.SCALAR;
        }

        @Override
        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            return Tensor.scalar(x[0].data()[0]);
        }

        @Override
        public Tensor[] vjp(Tensor g, Node node) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            int k = t[0].dim(0);
            int n = x[0].size();
            double[] out = new double[k];
            for (int d = 0; d < k; d++) out[d] = t[0].data()[d * n];
            return Tensor.wrap(out, k);
        }
    };

    @Test
    void jacobianOfAnEmptyInputIsEmpty() {
        Tensor j = ForwardMode.jacobian(x -> x, Tensor.zeros(0));
        assertArrayEquals(new int[] {0, 0}, j.shape());
        Tensor k = ForwardMode.jacobian(x -> FIRST.apply(Tensor.ones(3)), Tensor.zeros(2, 0));
        assertArrayEquals(new int[] {2, 0}, k.shape());
    }

    @Test
    void jacobianOfAFiftyThousandElementInputDoesNotOverflow() {
        // n² = 2.5e9 basis elements overflowed an int; the directions now go in batches.
        int n = 50_000;
        double[] v = new double[n];
        v[0] = 3;
        Tensor j = ForwardMode.jacobian(FIRST::apply, Tensor.wrap(v, n));
        assertArrayEquals(new int[] {n}, j.shape());
        assertEquals(1.0, j.data()[0]);
        double rest = 0;
        for (int i = 1; i < n; i++) rest += Math.abs(j.data()[i]);
        assertEquals(0.0, rest);
    }

    @Test
    void jacobianInBatchesEqualsTheWholeJacobian() {
        // y = sin(x) * x on a [3, 20] input: 60 directions in batches of 16 (the last one of 12).
        Tensor x = Tensor.uniform(new Random(3), -1, 1, 3, 20);
        UnaryOperator<Tensor> f = t -> dev.wengert.core.testing.TestOps.mul(dev.wengert.core.testing.TestOps.sin(t), t);
        Tensor whole = ForwardMode.jacobian(f, x);
        Tensor batched = ForwardMode.jacobian(f, x, 16 * 60);
        assertArrayEquals(new int[] {3, 20, 3, 20}, batched.shape());
        assertArrayEquals(whole.data(), batched.data());
        int n = x.size();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                double v = x.data()[i];
                // Hand-derived: d(x sin x)/dx = sin x + x cos x on the diagonal, 0 elsewhere.
                double expected = i == c ? Math.sin(v) + v * Math.cos(v) : 0.0;
                assertEquals(expected, batched.data()[i * n + c], 1e-15, "entry " + i + ", " + c);
            }
        }
    }

    @Test
    void forwardModeNullsAreNamed() {
        Tensor x = Tensor.vector(1, 2);
        named(NullPointerException.class, () -> ForwardMode.jacobian(null, x), "jacobian", "f");
        named(NullPointerException.class, () -> ForwardMode.jacobian(t -> t, null), "jacobian", "x");
        named(NullPointerException.class, () -> ForwardMode.jvp((UnaryOperator<Tensor>) null, x, x), "jvp", "f");
        named(NullPointerException.class, () -> ForwardMode.jvp(t -> t, null, x), "jvp", "primal");
        named(NullPointerException.class, () -> ForwardMode.jvp(in -> in, null, new Tensor[0]), "jvp", "primals");
        named(NullPointerException.class, () -> ForwardMode.jvp(in -> in, new Tensor[] {null}, new Tensor[] {null}),
                "jvp", "primal 0");
        named(NullPointerException.class, () -> ForwardMode.jvpBatch(1, in -> in, new Tensor[] {x}, null), "jvpBatch",
                "tangents");
        named(IllegalStateException.class, () -> ForwardMode.jvp(t -> null, x, x), "jvp", "null");
        named(IllegalStateException.class, () -> ForwardMode.jvp(in -> new Tensor[] {null}, new Tensor[] {x},
                new Tensor[] {x}), "jvp", "output 0", "null");
        ForwardMode.Result r = ForwardMode.jvp(t -> t, x, x);
        named(IndexOutOfBoundsException.class, () -> r.value(1), "value", "1", "1 output");
        named(IndexOutOfBoundsException.class, () -> r.tangent(-1), "tangent", "-1");
    }

    // ---------------------------------------------------------------- GradCheck and Tape

    @Test
    void gradCheckSettingsAndNullsAreChecked() {
        Tensor x = Tensor.vector(1, 2);
        named(NullPointerException.class, () -> GradCheck.of(null, x), "gradCheck", "f");
        named(NullPointerException.class, () -> GradCheck.of(in -> in[0], (Tensor[]) null), "gradCheck", "inputs");
        named(NullPointerException.class, () -> GradCheck.of(in -> in[0], x, null), "gradCheck", "input 1");
        GradCheck c = GradCheck.of(in -> in[0], x);
        named(IllegalArgumentException.class, () -> c.step(0), "gradCheck", "step", "0.0");
        named(IllegalArgumentException.class, () -> c.step(Double.NaN), "gradCheck", "step", "NaN");
        named(IllegalArgumentException.class, () -> c.step(Double.POSITIVE_INFINITY), "gradCheck", "step");
        named(IllegalArgumentException.class, () -> c.tolerance(-1e-6), "gradCheck", "tolerance", "-1.0E-6");
        named(IllegalArgumentException.class, () -> c.tolerance(Double.NaN), "gradCheck", "tolerance", "NaN");
        named(IllegalArgumentException.class, () -> c.floor(-1), "gradCheck", "floor", "-1.0");
        named(IllegalArgumentException.class, () -> c.directions(0), "gradCheck", "directions", "0");
    }

    @Test
    void tapeNullArraysAreNamed() {
        Tensor x = Tensor.scalar(2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = dev.wengert.core.testing.TestOps.mul(x, x);
            named(NullPointerException.class, () -> tape.gradient(y, (Tensor[]) null), "gradient", "inputs");
            named(NullPointerException.class, () -> tape.gradient(null, new Tensor[] {null}, x), "gradient", "outputs");
            named(NullPointerException.class, () -> tape.recordedGradient(y, (Tensor[]) null), "gradient", "inputs");
        }
    }

    @Test
    void tensorMethodsNameNullsAndOutOfRangePositions() {
        Tensor t = Tensor.zeros(2, 3);
        named(NullPointerException.class, () -> t.sameShape(null), "sameShape", "null");
        named(NullPointerException.class, () -> t.hasShape((int[]) null), "hasShape", "null");
        named(NullPointerException.class, () -> t.assign(null), "assign", "null");
        named(NullPointerException.class, () -> t.allClose(null, 0, 0), "allClose", "null");
        named(IndexOutOfBoundsException.class, () -> t.unflatIndex(6), "unflatIndex", "6", "[2,3]");
        named(IndexOutOfBoundsException.class, () -> t.unflatIndex(-1), "unflatIndex", "-1", "[2,3]");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 2}, t.unflatIndex(5));
        named(NullPointerException.class, () -> dev.wengert.core.testing.TestOps.SIN.apply((Tensor[]) null), "sin",
                "inputs array");
    }
}
