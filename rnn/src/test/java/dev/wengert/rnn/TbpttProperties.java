package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.bptt.Tbptt;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Both TBPTT forms against the brute-force references on generated cells, lengths and truncations. */
class TbpttProperties {
    static final double TOLERANCE = 1e-12;

    @Property(tries = 60, seed = "4242")
    void bothFormsMatchTheirReferences(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int kindIndex,
            @ForAll @IntRange(min = 1, max = 16) int T, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 8) int k1, @ForAll @IntRange(min = 0, max = 8) int extra) {
        Random rng = new Random(seed);
        Fixtures.Kind kind = Fixtures.Kind.values()[kindIndex];
        RecurrentNet net = RecurrentNet.withReadout(Fixtures.cell(kind, 2, 3, rng), 2, rng);
        Fixtures.perturb(net, 1.5, rng);
        Tensor[] xs = Fixtures.inputs(T, batch, 2, rng);
        StepLoss loss = Fixtures.squaredError(T, batch, 2, rng);
        double[] chunkedRef = Reference.chunked(net, xs, loss, k1);
        double err = SequenceGradient.relativeError(Tbptt.chunked(net, null, xs, loss, k1, null).flat(), chunkedRef);
        assertTrue(err <= TOLERANCE, kind + " chunked(" + k1 + "), T = " + T + ": " + err);
        int k2 = k1 + extra;
        double[] wpRef = Reference.williamsPeng(net, xs, loss, k1, k2);
        err = SequenceGradient.relativeError(Tbptt.williamsPeng(net, null, xs, loss, k1, k2, null).flat(), wpRef);
        assertTrue(err <= TOLERANCE, kind + " TBPTT(" + k1 + ", " + k2 + "), T = " + T + ": " + err);
    }
}
