package dev.wengert.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import org.junit.jupiter.api.Test;

/**
 * Anomaly mode names the op whose derivative rule went non-finite, and its inputs there, not an op the
 * rule happens to be built from.
 */
class AnomalyInRulesTest {

    /** {@code 1/x}, the op the rules below are built from. */
    static final Primitive INV = new TestOps.Unary() {
        @Override
        public String name() {
            return "inv";
        }

        @Override
        protected double f(double a) {
            return 1 / a;
        }

        @Override
        public Tensor[] vjp(Tensor g, Node n) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            throw new UnsupportedOperationException();
        }
    };

    /** {@code √|x|}: finite at 0, with rules {@code t / (2y)} and {@code g / (2y)} built from {@link #INV}. */
    static final Primitive ROOT = new TestOps.Unary() {
        @Override
        public String name() {
            return "root";
        }

        @Override
        protected double f(double a) {
            return Math.sqrt(Math.abs(a));
        }

        private Tensor slope(Tensor y) {
            return INV.apply(TestOps.add(y, y));
        }

        @Override
        public Tensor[] vjp(Tensor g, Node n) {
            return new Tensor[] {TestOps.mul(g, slope(n.output()))};
        }

        @Override
        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            return TestOps.scaleBatch(t[0], slope(y));
        }
    };

    @Test
    void aNonFiniteJvpNamesTheOpAndItsInputNotTheOpsOfItsRule() {
        Tensor x = Tensor.vector(4.0, 0.0);
        try (Anomaly.Scope a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> ForwardMode.jvp(ROOT::apply, x, Tensor.vector(1, 1)));
            String m = e.getMessage();
            assertTrue(m.startsWith("anomaly: the JVP of op 'root' produced Infinity at index [0,1] of the output "
                    + "tangent (shape [1,2]): direction 0, output element [1], where input 0 is 0.0"), m);
        }
    }

    @Test
    void aNonFiniteVjpNamesTheOpAndItsInputInBothBackwardPasses() {
        for (boolean recorded : new boolean[] {false, true}) {
            Tensor x = Tensor.vector(4.0, 0.0).requiresGrad();
            try (Anomaly.Scope a = Anomaly.enable(); Tape tape = Tape.openRetained()) {
                Tensor y = ROOT.apply(x);
                Tensor[] ys = {y};
                Tensor[] seeds = {Tensor.ones(2)};
                AnomalyException e = assertThrows(AnomalyException.class,
                        () -> {
                            if (recorded) tape.recordedGradient(ys, seeds, x);
                            else tape.gradient(ys, seeds, x);
                        });
                String m = e.getMessage();
                assertTrue(m.startsWith("anomaly: the VJP of op 'root' produced Infinity at index [1] of the cotangent "
                        + "of input 0 (shape [2]), where input 0 is 0.0"), (recorded ? "recorded: " : "") + m);
            }
        }
    }

    @Test
    void finiteRulesPassAndAnomalyModeIsRestored() {
        Tensor x = Tensor.vector(4.0, 1.0);
        try (Anomaly.Scope a = Anomaly.enable()) {
            Tensor t = ForwardMode.jvp(ROOT::apply, x, Tensor.vector(1, 1)).tangent();
            assertEquals(0.25, t.data()[0], 0.0);
            assertTrue(Anomaly.isEnabled());
        }
    }
}
