package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Anomaly;
import dev.wengert.core.AnomalyException;
import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Ops whose forward value is finite where their derivative is not (√x at 0, a^b at a = 0 for 0 < b < 1):
 * anomaly mode names the op and its inputs there, in forward mode and in both backward passes, rather
 * than the div or pow its derivative rule is built from.
 */
class AnomalyNamesTheOpTest {

    private static String anomaly(Executable call) {
        try (Anomaly.Scope a = Anomaly.enable()) {
            return assertThrows(AnomalyException.class, call).getMessage();
        }
    }

    private static void contains(String m, String... fragments) {
        for (String f : fragments) assertTrue(m.contains(f), () -> "message '" + m + "' lacks '" + f + "'");
    }

    @Test
    void sqrtAtZeroInForwardMode() {
        String m = anomaly(() -> ForwardMode.jvp(Ops::sqrt, Tensor.vector(4, 0), Tensor.vector(1, 1)));
        contains(m, "the JVP of op 'sqrt' produced Infinity", "output element [1]", "where input 0 is 0.0",
                "AnomalyNamesTheOpTest");
    }

    @Test
    void sqrtAtZeroInBothBackwardPasses() {
        for (boolean recorded : new boolean[] {false, true}) {
            Tensor x = Tensor.vector(4, 0).requiresGrad();
            String m;
            try (Tape tape = Tape.openRetained()) {
                Tensor y = Ops.sum(Ops.sqrt(x));
                m = anomaly(() -> {
                    if (recorded) tape.recordedGradient(y, x);
                    else tape.gradient(y, x);
                });
            }
            contains(m, "the VJP of op 'sqrt' produced Infinity at index [1]", "where input 0 is 0.0");
        }
    }

    @Test
    void powOfAZeroBaseToAFractionalExponent() {
        Tensor a = Tensor.scalar(0.0);
        Tensor b = Tensor.scalar(0.5);
        String jvp = anomaly(() -> ForwardMode.jvp(in -> new Tensor[] {Ops.pow(in[0], in[1])}, new Tensor[] {a, b},
                new Tensor[] {Tensor.scalar(1), null}));
        contains(jvp, "the JVP of op 'pow' produced Infinity", "where input 0 is 0.0, input 1 is 0.5");
        Tensor av = Tensor.scalar(0.0).requiresGrad();
        String vjp;
        try (Tape tape = Tape.open()) {
            Tensor y = Ops.pow(av, b);
            vjp = anomaly(() -> tape.gradient(y, av));
        }
        contains(vjp, "the VJP of op 'pow' produced Infinity", "cotangent of input 0", "where input 0 is 0.0, input 1 is 0.5");
    }
}
