package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the engine guarantees every primitive, whatever the op: input checks, where forward saves,
 * the checks on what forward and jvp return, and that tangent arithmetic is never recorded.
 */
class EngineContractTest {

    /** y = x; forward hands back its input object itself, which the engine must not adopt. */
    private static final Primitive RETURNS_INPUT = new TestOps.Unary() {
        public String name() {
            return "passthrough";
        }

        protected double f(double a) {
            return a;
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            return x[0];
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {g};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return t[0];
        }
    };

    /** y = a (the first of two inputs, returned as is); b only makes the application recorded. */
    private static final Primitive FIRST = new TestOps.Binary() {
        public String name() {
            return "first";
        }

        protected double f(double a, double b) {
            return a;
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            return x[0];
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {g, null};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return t[0];
        }
    };

    /** An op of one input that returns a given tensor from forward and from jvp. */
    private static Primitive returning(String name, Function<Tensor, Tensor> forward, Function<Tensor, Tensor> jvp) {
        return new TestOps.Unary() {
            public String name() {
                return name;
            }

            protected double f(double a) {
                return a;
            }

            public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
                return forward.apply(x[0]);
            }

            public Tensor[] vjp(Tensor g, Node n) {
                return new Tensor[] {g};
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
                return jvp.apply(t[0]);
            }
        };
    }

    /** Records the holder forward saved into, and the value jvp found in it. */
    private static final class Saving extends TestOps.Unary {
        final List<Saved> holders = new ArrayList<>();
        final List<Object> seenByJvp = new ArrayList<>();

        public String name() {
            return "saving";
        }

        protected double f(double a) {
            return 2 * a;
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            holders.add(saved);
            saved.put("scale 2");
            return super.forward(x, shape, saved);
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, Tensor.full(2.0, g.shape()))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            seenByJvp.add(s.get());
            return TestOps.scaleBatch(t[0], Tensor.full(2.0, x[0].shape()));
        }
    }

    @Test
    void theArityIsCheckedAndTheMessageCountsInputs() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> TestOps.SIN.apply(Tensor.scalar(1), Tensor.scalar(2)));
        assertEquals("sin: expects 1 input, got 2", one.getMessage());
        Primitive nullary = new Primitive() {
            public String name() {
                return "constant";
            }

            public int arity() {
                return 0;
            }

            public int[] shape(Tensor... x) {
                return Shapes.SCALAR;
            }

            public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
                return Tensor.scalar(4);
            }

            public Tensor[] vjp(Tensor g, Node node) {
                return new Tensor[0];
            }

            public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
                return null;
            }
        };
        assertEquals(4.0, nullary.apply().item());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> nullary.apply(Tensor.scalar(1)));
        assertEquals("constant: expects 0 inputs, got 1", zero.getMessage());
    }

    @Test
    void aNullInputIsNamedByPosition() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TestOps.MUL.apply(Tensor.scalar(1), null));
        assertEquals("mul: input 1 is null", e.getMessage());
    }

    @Test
    void plainEvaluationSavesIntoTheDiscardingSink() {
        Saving op = new Saving();
        op.apply(Tensor.vector(1, 2));
        assertSame(Saved.DISCARD, op.holders.get(0));
        assertNull(Saved.DISCARD.get(), "the sink keeps nothing");
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = op.apply(x);
            assertSame(y.node(), op.holders.get(1), "a recorded application saves into its node");
            assertEquals("scale 2", y.node().get());
        }
    }

    @Test
    void forwardModeGivesEachApplicationAFreshHolderThatItsJvpReads() {
        Saving op = new Saving();
        ForwardMode.Result r = ForwardMode.jvp(in -> op.apply(op.apply(in)), Tensor.vector(1, 2), Tensor.vector(1, -1));
        assertArrayEquals(new double[] {4, -4}, r.tangent().data(), 0.0);
        assertEquals(2, op.holders.size());
        assertNotSame(op.holders.get(0), op.holders.get(1));
        assertNotSame(Saved.DISCARD, op.holders.get(0));
        assertEquals(List.of("scale 2", "scale 2"), op.seenByJvp);
    }

    @Test
    void forwardMustReturnATensorOfTheRuleShape() {
        Primitive none = returning("broken", x -> null, t -> t);
        IllegalStateException n = assertThrows(IllegalStateException.class, () -> none.apply(Tensor.vector(1, 2)));
        assertEquals("broken: forward returned null but the shape rule says [2]", n.getMessage());
        Primitive wrong = returning("broken", x -> Tensor.zeros(3), t -> t);
        IllegalStateException w = assertThrows(IllegalStateException.class, () -> wrong.apply(Tensor.vector(1, 2)));
        assertEquals("broken: forward returned shape [3] but the shape rule says [2]", w.getMessage());
    }

    @Test
    void anOpThatReturnsItsInputGetsAFreshOutputAndLeavesTheInputAlone() {
        Tensor w = Tensor.vector(1, 2).requiresGrad();
        Tensor c = Tensor.vector(5, 6);
        try (Tape tape = Tape.open()) {
            Tensor y = RETURNS_INPUT.apply(w);
            assertNotSame(w, y);
            assertTrue(w.isLeaf() && w.isVariable());
            assertEquals("passthrough", y.node().op().name());
            // An untracked constant returned through a recorded application stays a constant leaf.
            Tensor z = FIRST.apply(c, w);
            assertNotSame(c, z);
            assertTrue(c.isLeaf(), "the constant was not turned into the op's output");
            assertEquals("first", z.node().op().name());
            Tensor s = sin(y);
            Tensor sz = sin(z);
            assertArrayEquals(new double[] {Math.cos(1), Math.cos(2)}, tape.gradient(new Tensor[] {s, sz},
                    new Tensor[] {Tensor.ones(2), Tensor.ones(2)}, w)[0].data(), 1e-15);
        }
        // Returning an input that a tape recorded: the recorded tensor keeps its own node.
        Tensor v = Tensor.vector(0.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor h = sin(v);
            Node before = h.node();
            Tensor y = RETURNS_INPUT.apply(h);
            assertSame(before, h.node());
            assertNotSame(h.node(), y.node());
            assertEquals(Math.cos(0.5), tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(1)}, v)[0].item(), 1e-15);
        }
    }

    @Test
    void anOpReturningAVariableDoesNotRecordOntoIt() {
        Tensor constantVariable = Tensor.vector(3).requiresGrad();
        Primitive op = returning("leak", x -> constantVariable, t -> t);
        Tensor x = Tensor.vector(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = op.apply(x);
            assertNotSame(constantVariable, y);
            assertTrue(constantVariable.isLeaf());
            assertEquals(3.0, y.item());
        }
    }

    @Test
    void jvpMustReturnABatchOfTheOutputShape() {
        Primitive wrong = returning("badtangent", x -> Tensor.wrap(x.toArray(), x.shape()), t -> Tensor.zeros(2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ForwardMode.jvp(wrong::apply, Tensor.vector(1, 2), Tensor.vector(1, 1)));
        assertEquals("badtangent: jvp returned a tangent of shape [2], expected [1,2] (1 directions x output shape)",
                e.getMessage());
        Primitive zero = returning("zerotangent", x -> Tensor.wrap(x.toArray(), x.shape()), t -> null);
        ForwardMode.Result r = ForwardMode.jvp(zero::apply, Tensor.vector(1, 2), Tensor.vector(1, 1));
        assertArrayEquals(new double[] {0, 0}, r.tangent().data(), 0.0);
    }

    @Test
    void jvpIsNotCalledWhenNoInputCarriesATangent() {
        int[] calls = {0};
        Primitive counting = returning("counting", x -> Tensor.wrap(x.toArray(), x.shape()), t -> {
            calls[0]++;
            return t;
        });
        Tensor constant = Tensor.vector(4);
        ForwardMode.Result r = ForwardMode.jvp(in -> TestOps.add(counting.apply(constant), counting.apply(in)),
                Tensor.vector(1), Tensor.vector(1));
        assertEquals(1, calls[0], "the constant's application has no tangent to push");
        assertArrayEquals(new double[] {1}, r.tangent().data(), 0.0);
    }

    @Test
    void tangentArithmeticIsNotRecordedOnAnOpenTape() {
        Tensor w = Tensor.vector(3, 4).requiresGrad();
        try (Tape tape = Tape.open()) {
            ForwardMode.Result r = ForwardMode.jvp(in -> mul(in, w), Tensor.vector(1, 2), Tensor.vector(1, 1));
            assertArrayEquals(new double[] {3, 4}, r.tangent().data(), 0.0);
            assertEquals(0, tape.size(), "neither the primal nor the tangent ops were recorded");
            assertTrue(Tape.isRecording(), "the tape records again after the run");
            mul(w, w);
            assertEquals(1, tape.size());
        }
    }

    @Test
    void anomalyModeChecksTangents() {
        Primitive nanTangent = returning("nantangent", x -> Tensor.wrap(x.toArray(), x.shape()),
                t -> Tensor.wrap(new double[] {0, Double.NaN}, t.shape()));
        ForwardMode.Result quiet = ForwardMode.jvp(nanTangent::apply, Tensor.vector(1, 2), Tensor.vector(1, 1));
        assertTrue(Double.isNaN(quiet.tangent().data()[1]), "off by default");
        try (var a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> ForwardMode.jvp(nanTangent::apply, Tensor.vector(1, 2), Tensor.vector(1, 1)));
            assertTrue(e.getMessage().startsWith("anomaly: the JVP of op 'nantangent' produced NaN at index [0,1] of "
                    + "the output tangent (shape [1,2])"), e.getMessage());
            // The op is defined in this test class, so the first frame outside its package and class folder
            // (the user's line) is the test framework's.
            assertTrue(e.getMessage().contains("; created at org.junit"), e.getMessage());
        }
    }

    @Test
    void kinksAreLoggedOnlyForOpsThatHaveThem() {
        // relu's kink at 0 is seen through the gradient check: a stencil across it is skipped.
        GradCheck.Report r = GradCheck.of(in -> TestOps.relu(sin(in[0])), Tensor.vector(0.0, 1.0)).checkVjp();
        assertEquals(1, r.skipped(), r.toString());
        assertFalse(new Saving().hasKinks());
        assertEquals(0L, new Saving().branch(new Tensor[0], null, null));
    }

    @Test
    void anOpReturningATensorRecordedElsewhereLeavesItsNodeAlone() {
        Tensor v = Tensor.vector(0.5).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor recorded = sin(v);
            Node sinNode = recorded.node();
            Primitive op = returning("leakrecorded", x -> recorded, t -> t);
            Tensor y = op.apply(v);
            assertNotSame(recorded, y);
            assertSame(sinNode, recorded.node(), "the captured tensor still belongs to 'sin'");
            assertEquals("leakrecorded", y.node().op().name());
        }
    }

    /** A kinked op whose branch fingerprint is what forward saved (as an argmax would be). */
    private static final Primitive HINGE_FROM_SAVED = new TestOps.Unary() {
        public String name() {
            return "savedhinge";
        }

        protected double f(double a) {
            return Math.max(a, 0);
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            long signs = 0;
            for (double v : x[0].data()) signs = 3 * signs + (v > 0 ? 2 : v < 0 ? 0 : 1);
            saved.put(signs);
            return super.forward(x, shape, saved);
        }

        private Tensor slope(Tensor x) {
            double[] d = x.data();
            double[] m = new double[d.length];
            for (int i = 0; i < d.length; i++) m[i] = d[i] > 0 ? 1 : 0;
            return Tensor.wrap(m, x.shape());
        }

        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {mul(g, slope(n.input(0)))};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return TestOps.scaleBatch(t[0], slope(x[0]));
        }

        public boolean hasKinks() {
            return true;
        }

        public long branch(Tensor[] x, Tensor y, Saved s) {
            Long signs = s.get();
            return signs;
        }
    };

    @Test
    void whileKinksAreLoggedForwardSavesForTheBranchFingerprint() {
        GradCheck.Report r = GradCheck.of(in -> HINGE_FROM_SAVED.apply(in[0]), Tensor.vector(0.0, 1.0)).checkVjp();
        assertTrue(r.passed(), r.toString());
        assertEquals(1, r.skipped(), r.toString());
    }
}
