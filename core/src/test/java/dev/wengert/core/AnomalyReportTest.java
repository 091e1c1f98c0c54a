package dev.wengert.core;

import static dev.wengert.core.testing.TestOps.mul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.testing.TestOps;
import org.junit.jupiter.api.Test;

/** Anomaly mode's reports: the first bad element wherever it is, scalars, and the recorded site. */
class AnomalyReportTest {

    /** y = x / 0 elementwise from the VJP's point of view: the cotangent is g / 0 where x is 0. */
    private static final Primitive BAD_AT_ZERO = new TestOps.Unary() {
        public String name() {
            return "badatzero";
        }

        protected double f(double a) {
            return a;
        }

        public Tensor[] vjp(Tensor g, Node n) {
            double[] x = n.input(0).data();
            double[] d = new double[x.length];
            for (int i = 0; i < d.length; i++) d[i] = g.data()[i] / x[i];
            return new Tensor[] {Tensor.wrap(d, n.input(0).shape())};
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, Saved s) {
            double[] d = t[0].data().clone();
            for (int i = 0; i < d.length; i++) d[i] /= x[0].data()[i % x[0].size()];
            return Tensor.wrap(d, t[0].shape());
        }
    };

    @Test
    void aBadFirstElementOfACotangentIsCaught() {
        Tensor x = Tensor.vector(0.0, 2.0).requiresGrad();
        try (Anomaly.Scope a = Anomaly.enable(); Tape tape = Tape.open()) {
            Tensor y = BAD_AT_ZERO.apply(x);
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(2)}, x));
            assertTrue(e.getMessage().startsWith("anomaly: the VJP of op 'badatzero' produced Infinity at index [0] of "
                    + "the cotangent of input 0 (shape [2]), where input 0 is 0.0; the op was created at "), e.getMessage());
        }
    }

    @Test
    void aBadFirstElementOfATangentIsCaught() {
        try (Anomaly.Scope a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class,
                    () -> ForwardMode.jvp(BAD_AT_ZERO::apply, Tensor.vector(0.0, 1.0), Tensor.vector(1, 1)));
            assertTrue(e.getMessage().startsWith("anomaly: the JVP of op 'badatzero' produced Infinity at index [0,0]"),
                    e.getMessage());
        }
    }

    @Test
    void aScalarIsIndexedAsEmpty() {
        try (Anomaly.Scope a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> TestOps.log(Tensor.scalar(-1)));
            assertTrue(e.getMessage().startsWith("anomaly: op 'log' produced NaN at index [] of its output (shape [])"),
                    e.getMessage());
        }
    }

    @Test
    void aRecordedOpReportsTheSiteSavedWhenItWasCreated() {
        Tensor x = Tensor.vector(-1.0).requiresGrad();
        try (Anomaly.Scope a = Anomaly.enable(); Tape tape = Tape.open()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> TestOps.log(x));
            assertTrue(e.getMessage().contains("; created at " + AnomalyReportTest.class.getName()
                    + ".lambda$aRecordedOpReportsTheSiteSavedWhenItWasCreated"), e.getMessage());
        }
    }

    @Test
    void theReportNamesTheFirstInputThatWasAlreadyBad() {
        try (Anomaly.Scope a = Anomaly.enable()) {
            Tensor[] in = {Tensor.vector(1.0, 2.0), Tensor.vector(3.0, Double.NaN)};
            AnomalyException e = assertThrows(AnomalyException.class, () -> mul(in[0], in[1]));
            assertTrue(e.getMessage().contains("op 'mul' produced NaN at index [1] of its output (shape [2]); input 1 "
                    + "already held NaN at index [1]"), e.getMessage());
        }
    }

    @Test
    void aRecordedBackwardNamesTheEnginesAccumulation() {
        // y = x*k + x*k is finite for a tiny x, but the two cotangents k that x receives overflow when
        // a recorded backward sums them with the engine's own op.
        Tensor x = Tensor.scalar(1e-300).requiresGrad();
        Tensor k = Tensor.scalar(1e308);
        try (Anomaly.Scope a = Anomaly.enable(); Tape tape = Tape.openRetained()) {
            Tensor y = TestOps.add(mul(x, k), mul(x, k));
            AnomalyException e = assertThrows(AnomalyException.class, () -> tape.recordedGradient(y, x));
            assertTrue(e.getMessage().startsWith("anomaly: op 'accumulate' produced Infinity at index []"),
                    e.getMessage());
        }
        assertFalse(Anomaly.isEnabled());
    }

    @Test
    void scopesRestoreThePreviousSetting() {
        try (Anomaly.Scope outer = Anomaly.enable()) {
            try (Anomaly.Scope inner = Anomaly.enable()) {
                assertTrue(Anomaly.isEnabled());
            }
            assertTrue(Anomaly.isEnabled(), "the outer scope is still open");
        }
        assertFalse(Anomaly.isEnabled());
        assertEquals(false, Anomaly.isEnabled());
    }

    @Test
    void finiteTangentsPassTheCheck() {
        try (Anomaly.Scope a = Anomaly.enable()) {
            ForwardMode.Result r = ForwardMode.jvp(t -> mul(t, t), Tensor.vector(1, 2), Tensor.vector(1, 1));
            assertEquals(4.0, r.tangent().data()[1]);
        }
    }
}
