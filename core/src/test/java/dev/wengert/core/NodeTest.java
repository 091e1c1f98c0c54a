package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static dev.wengert.core.testing.TestOps.sin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a VJP sees of its recorded application, and what a backward pass leaves of it. */
class NodeTest {

    /** y = sum of all inputs (scalars); its VJP reports what the node says about each input. */
    private static final class SumAll extends Primitive {
        final List<boolean[]> needs = new ArrayList<>();
        final List<Boolean> creating = new ArrayList<>();

        public String name() {
            return "sumall";
        }

        public int arity() {
            return -1;
        }

        public int[] shape(Tensor... x) {
            return Shapes.SCALAR;
        }

        public Tensor forward(Tensor[] x, int[] shape, Saved saved) {
            double s = 0;
            for (Tensor t : x) s += t.item();
            saved.put(x.length);
            return Tensor.scalar(s);
        }

        public Tensor[] vjp(Tensor g, Node node) {
            boolean[] n = new boolean[node.arity()];
            for (int i = 0; i < n.length; i++) n[i] = node.needsGrad(i);
            needs.add(n);
            creating.add(node.creatingGraph());
            Tensor[] out = new Tensor[node.arity()];
            for (int i = 0; i < out.length; i++) out[i] = node.needsGrad(i) ? g : null;
            return out;
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved saved) {
            return null;
        }
    }

    private static Tensor[] scalars(int n) {
        Tensor[] x = new Tensor[n];
        for (int i = 0; i < n; i++) x[i] = Tensor.scalar(i);
        return x;
    }

    @Test
    void aNodeShowsItsOpInputsAndOutput() {
        Tensor a = Tensor.vector(1, 2).requiresGrad();
        Tensor b = Tensor.vector(3, 4);
        try (Tape tape = Tape.open()) {
            Tensor y = mul(a, b);
            Node n = y.node();
            assertSame(TestOps.MUL, n.op());
            assertEquals(2, n.arity());
            assertSame(a, n.input(0));
            assertSame(b, n.inputs()[1]);
            assertSame(y, n.output());
            assertFalse(n.isReleased());
            assertNull(n.site(), "sites are kept only in anomaly mode");
            assertTrue(n.needsGrad(0));
            assertFalse(n.needsGrad(1), "a constant needs no cotangent");
        }
    }

    @Test
    void inAnomalyModeTheNodeKeepsTheUsersLine() {
        Tensor a = Tensor.vector(1).requiresGrad();
        try (Anomaly.Scope s = Anomaly.enable(); Tape tape = Tape.open()) {
            Node n = sin(a).node();
            assertEquals(NodeTest.class.getName(), n.site().getClassName());
            assertEquals("inAnomalyModeTheNodeKeepsTheUsersLine", n.site().getMethodName());
        }
    }

    @Test
    void releaseDropsTheInputsAndWhatForwardSaved() {
        SumAll op = new SumAll();
        Tensor a = Tensor.scalar(1).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = op.apply(a, Tensor.scalar(2));
            Node n = y.node();
            assertEquals(Integer.valueOf(2), n.get());
            tape.gradient(y, a);
            assertTrue(n.isReleased());
            assertNull(n.get(), "saved values are freed");
            assertEquals(0, n.arity(), "inputs are freed");
            assertSame(y, n.output());
        }
    }

    @Test
    void creatingGraphIsTrueOnlyWhileABackwardPassIsRecorded() {
        SumAll op = new SumAll();
        Tensor a = Tensor.scalar(1).requiresGrad();
        try (Tape tape = Tape.openRetained()) {
            Tensor y = op.apply(a, a);
            tape.gradient(y, a);
            tape.recordedGradient(y, a);
            tape.gradient(y, a);
        }
        assertEquals(List.of(false, true, false), op.creating);
    }

    @Test
    void withManyInputsEveryInputPastTheMaskCountsAsNeedingAGradient() {
        SumAll op = new SumAll();
        // 65 inputs, only input 3 tracked: inputs 0..63 are told apart, input 64 cannot be.
        Tensor[] x = scalars(65);
        x[3] = Tensor.scalar(3).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = op.apply(x);
            assertEquals(1.0, tape.gradient(y, x[3])[0].item());
        }
        boolean[] needs = op.needs.get(0);
        assertTrue(needs[3]);
        assertFalse(needs[0]);
        assertFalse(needs[63]);
        assertTrue(needs[64], "past 63 inputs the answer is conservative");

        // Only input 64 tracked: the mask cannot say which, so every input counts as needing one.
        SumAll op2 = new SumAll();
        Tensor[] z = scalars(65);
        z[64] = Tensor.scalar(64).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = op2.apply(z);
            assertEquals(1.0, tape.gradient(y, z[64])[0].item());
        }
        boolean[] all = op2.needs.get(0);
        for (int i = 0; i < 65; i++) assertTrue(all[i], "input " + i);
    }

    @Test
    void theInPlaceCheckNamesTheLeafInputs() {
        Tensor w = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(w, w);
            w.mutableData()[0] = 5.0;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, w));
            assertTrue(e.getMessage().startsWith("backward: op 'mul' was recorded before an in-place update of its "
                    + "input 0 or input 1 (through"), e.getMessage());
        }
        Tensor v = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(sin(v), v);
            v.assign(Tensor.scalar(7));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, v));
            assertTrue(e.getMessage().contains("update of its input 1 (through"), e.getMessage());
        }
    }

    @Test
    void anInPlaceUpdateOfAnUnrelatedLeafDoesNotStopBackward() {
        Tensor w = Tensor.vector(2.0, 3.0).requiresGrad();
        Tensor unrelated = Tensor.zeros(2).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor y = mul(w, w);
            unrelated.mutableData()[0] = 1;
            assertArrayEquals(new double[] {4, 6},
                    tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, w)[0].data(), 0.0);
        }
    }
}
