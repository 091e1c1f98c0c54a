package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trainer's progress: no control characters where the output is not a terminal; the bar is empty at 0%. */
class ProgressTest {

    @Test
    void theFrameShowsTheFractionDone() {
        assertEquals("e 1/2   0% [                              ] 0/10, 0.0 s", Progress.frame("e 1/2", 0, 10, "", 0));
        assertEquals("e 1/2  50% [===============>              ] 5/10 x, 1.5 s", Progress.frame("e 1/2", 5, 10, " x", 1.5));
        assertEquals("e 100% [==============================] 10/10, 2.0 s", Progress.frame("e", 10, 10, "", 2));
        assertEquals("e 100% [==============================] 0/0, 0.0 s", Progress.frame("e", 0, 0, "", 0));
    }

    @Test
    void aLogGetsWholeLinesAndNoCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertFalse(Progress.isTerminal(out));
        Dataset data = Dataset.of(dev.wengert.core.Tensor.randn(new Random(1), 64, 3), new int[64]);
        Sequential net = Mlp.builder(3).output(2).build(new Random(1));
        Trainer.of(net, new Sgd(net.parameters(), 0.1), (o, b) -> Loss.crossEntropy(o, b.labels())).epochs(2)
                .batchSize(8).seed(1).progress(out).fit(data);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        assertTrue(text.contains("epoch 2/2"), text);
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress p = new Progress(out, true, "t", 3)) {
            p.step(" a");
            p.step(" b");
            p.step(" c");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\rt   0% ["), text);
        assertTrue(text.endsWith("3/3 c, " + text.substring(text.lastIndexOf(", ") + 2)), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line at the end");
    }
}
