package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.elementwise.Nets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Zucchet et al.'s rule equals its definition on the tape ({@link LayerwiseOracle}) to 1e-12 over generated
 * stacks: 1 to 3 layers of random kinds and widths, T, batch, with and without a readout.
 */
class DeepRuleProperties {
    static final double EXACT = 1e-12;

    @Property(tries = 40, seed = "1305")
    void ruleEqualsItsDefinition(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
            @ForAll @IntRange(min = 1, max = 3) int m, @ForAll @IntRange(min = 1, max = 15) int T,
            @ForAll @IntRange(min = 1, max = 2) int batch, @ForAll boolean readout) {
        Random rng = new Random(seed);
        Cell[] layers = new Cell[depth];
        int in = m;
        for (int l = 0; l < depth; l++) {
            Nets.Kind kind = Nets.Kind.values()[rng.nextInt(3)];
            int n = 1 + rng.nextInt(4);
            int h = 1 + rng.nextInt(4);
            layers[l] = Nets.cell(kind, in, n, h, 0.3, 0.99, rng);
            in = layers[l].hiddenSize();
        }
        StackedCell stack = new StackedCell(layers);
        RecurrentNet net = readout ? RecurrentNet.withReadout(stack, 2, rng) : new RecurrentNet(stack);
        Tensor[] xs = Nets.inputs(T, batch, m, rng);
        StepLoss loss = Nets.squaredError(T, batch, readout ? 2 : in, rng);
        double[] rule = ForwardLearner.run(ElementwiseOnline.zucchet(net, batch), xs, loss).flat();
        double[] oracle = LayerwiseOracle.cellGradient(net, xs, loss);
        double err = SequenceGradient.relativeError(Arrays.copyOf(rule, oracle.length), oracle);
        assertTrue(err <= EXACT, stack.name() + ", T " + T + ": the rule vs its definition, relative error " + err);
    }
}
