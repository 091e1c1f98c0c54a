package dev.wengert.ops;

import static dev.wengert.ops.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import org.junit.jupiter.api.Test;

/** The expression from micrograd's README, with the values micrograd and PyTorch print. */
class MicrogradReadmeTest {
    private static final double RELATIVE = 1e-12;

    @Test
    void valueAndGradientsMatchMicrograd() {
        Tensor a = Tensor.scalar(-4.0).requiresGrad();
        Tensor b = Tensor.scalar(2.0).requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor c = add(a, b);
            Tensor d = add(mul(a, b), pow(b, 3));
            c = add(c, add(c, 1));
            c = add(c, add(add(1, c), neg(a)));
            d = add(d, add(mul(d, 2), relu(add(b, a))));
            d = add(d, add(mul(3, d), relu(sub(b, a))));
            Tensor e = sub(c, d);
            Tensor f = pow(e, 2);
            Tensor g = div(f, 2.0);
            g = add(g, div(10.0, f));
            Tensor[] grads = tape.gradient(g, a, b);

            assertEquals(24.70408163265306, g.item(), 24.70408163265306 * RELATIVE);
            assertEquals(138.83381924198252, grads[0].item(), 138.83381924198252 * RELATIVE);
            assertEquals(645.5772594752186, grads[1].item(), 645.5772594752186 * RELATIVE);
        }
    }
}
