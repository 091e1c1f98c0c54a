package dev.wengert.rnn.online;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.Cell;
import dev.wengert.rnn.ForwardLearner;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.RnnCell;
import dev.wengert.rnn.SequenceGradient;
import dev.wengert.rnn.StackedCell;
import dev.wengert.rnn.StepLoss;
import dev.wengert.rnn.approx.GenericSnap1;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.elementwise.Nets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The layer-wise rules on stacks, against BPTT and against the rule's own definition on the tape
 * ({@link LayerwiseOracle}): what they compute exactly, and where they are approximations.
 */
class DeepRuleTest {
    static final long SEED = 1303;
    static final double EXACT = 1e-12;

    private static StackedCell mixed(Random rng) {
        return new StackedCell(Nets.cell(Nets.Kind.LRU, 2, 3, 3, 0.6, 0.95, rng),
                Nets.cell(Nets.Kind.ELSTM, 3, 3, 3, 0, 1, rng), Nets.cell(Nets.Kind.DIAGONAL, 3, 3, 3, 0.6, 0.95, rng),
                Nets.cell(Nets.Kind.LRU, 3, 2, 2, 0.6, 0.95, rng));
    }

    private static SequenceGradient run(RecurrentNet net, TraceRule rule, Tensor[] xs, StepLoss loss) {
        return ForwardLearner.run(new ElementwiseOnline(net, xs[0].dim(0), rule), xs, loss);
    }

    /** The relative error of the entries {@code [from, to)} of two flat gradients. */
    private static double error(double[] a, double[] b, int from, int to) {
        return SequenceGradient.relativeError(Arrays.copyOfRange(a, from, to), Arrays.copyOfRange(b, from, to));
    }

    /** Sets every unit of the layer memoryless: ν = 7 makes exp(−e^ν) = 0 in floating point. */
    private static void forget(Cell layer) {
        Arrays.fill(layer.parameters().get(0).mutableData(), 7.0);
    }

    /**
     * run() adds every step straight into the sum (no step buffer): the same gradient as summing the step
     * gradients one by one, and no stale step gradient is left behind.
     */
    @Test
    void runSumsTheSameGradientAsStepByStepAndKeepsNoStepGradient() {
        Random rng = new Random(SEED + 7);
        RecurrentNet net = RecurrentNet.withReadout(mixed(rng), 2, rng);
        Tensor[] xs = Nets.inputs(12, 3, 2, rng);
        StepLoss loss = Nets.squaredError(12, 3, 2, rng);
        ElementwiseOnline learner = new ElementwiseOnline(net, 3, TraceRule.EXACT);
        double[] summed = ForwardLearner.run(learner, xs, loss).flat();
        assertTrue(learner.stepGradient() == null, "run() keeps no step gradient");
        learner.reset(null);
        learner.zeroGradient();
        double[] byHand = null;
        for (int t = 0; t < xs.length; t++) {
            learner.step(t, xs[t], loss);
            if (learner.stepGradient() == null) continue; // a step without a loss
            double[] step = new SequenceGradient(0, learner.stepGradient(), null).flat();
            if (byHand == null) byHand = new double[step.length];
            for (int i = 0; i < step.length; i++) byHand[i] += step[i];
        }
        double err = SequenceGradient.relativeError(summed, byHand);
        assertTrue(err <= 1e-14, "run() vs the step gradients summed by hand: relative error " + err);
        double[] afterSteps = learner.gradient().flat();
        assertTrue(SequenceGradient.relativeError(afterSteps, summed) <= 1e-14, "step() sums the same");
        assertTrue(Arrays.stream(summed).anyMatch(v -> v != 0), "a gradient that is not all zero");
    }

    @Test
    void theRuleEqualsItsDefinitionOnTheTape() {
        Random rng = new Random(SEED);
        for (int trial = 0; trial < 4; trial++) {
            RecurrentNet net = RecurrentNet.withReadout(mixed(rng), 2, rng);
            Tensor[] xs = Nets.inputs(15, 2, 2, rng);
            StepLoss loss = Nets.squaredError(15, 2, 2, rng);
            double[] rule = run(net, TraceRule.EXACT, xs, loss).flat();
            double[] oracle = LayerwiseOracle.cellGradient(net, xs, loss);
            double err = error(rule, oracle, 0, oracle.length);
            assertTrue(err <= EXACT, "trial " + trial + ": the rule vs its definition, relative error " + err);
            double[] bptt = Bptt.gradient(net, null, xs, loss).flat();
            double readout = error(rule, bptt, oracle.length, bptt.length);
            assertTrue(readout <= EXACT, "the readout's gradient is exact, error " + readout);
        }
    }

    @Test
    void oneLayerStackIsExact() {
        Random rng = new Random(SEED + 1);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(new StackedCell(Nets.cell(kind, 2, 3, 3, 0.5, 0.99, rng)), 2, rng);
            Tensor[] xs = Nets.inputs(20, 2, 2, rng);
            StepLoss loss = Nets.squaredError(20, 2, 2, rng);
            double err = run(net, TraceRule.EXACT, xs, loss).relativeError(Bptt.gradient(net, null, xs, loss));
            assertTrue(err <= EXACT, kind + ": one-layer stack, relative error " + err);
        }
    }

    @Test
    void topLayerIsExactAndLowerLayersAreNot() {
        Random rng = new Random(SEED + 2);
        StackedCell stack = mixed(rng);
        RecurrentNet net = RecurrentNet.withReadout(stack, 2, rng);
        Tensor[] xs = Nets.inputs(20, 1, 2, rng);
        StepLoss loss = Nets.squaredError(20, 1, 2, rng);
        double[] rule = run(net, TraceRule.EXACT, xs, loss).flat();
        double[] bptt = Bptt.gradient(net, null, xs, loss).flat();
        int top = 0;
        for (int l = 0; l < 3; l++) top += (int) stack.layers().get(l).parameterCount();
        int cell = top + (int) stack.layers().get(3).parameterCount();
        double topErr = error(rule, bptt, top, cell);
        assertTrue(topErr <= EXACT, "top layer, relative error " + topErr);
        double lowErr = error(rule, bptt, 0, top);
        assertTrue(lowErr > 1e-3, "the layers below miss the temporal credit from above, error " + lowErr);
    }

    @Test
    void exactWhenTheLayersAboveAreMemoryless() {
        Random rng = new Random(SEED + 3);
        StackedCell stack = Nets.stack(Nets.Kind.LRU, 3, 2, 3, 0.6, 0.95, rng);
        forget(stack.layers().get(1));
        forget(stack.layers().get(2));
        RecurrentNet net = RecurrentNet.withReadout(stack, 2, rng);
        Tensor[] xs = Nets.inputs(20, 2, 2, rng);
        StepLoss loss = Nets.squaredError(20, 2, 2, rng);
        SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
        double err = run(net, TraceRule.EXACT, xs, loss).relativeError(bptt);
        assertTrue(err <= EXACT, "λ = 0 above layer 0: the rule is exact, relative error " + err);
        double spatial = run(net, TraceRule.NONE, xs, loss).relativeError(bptt);
        assertTrue(spatial > 1e-3, "spatial-only still misses layer 0's own memory, error " + spatial);
    }

    @Test
    void spatialOnlyIsExactWhenNoLayerHasMemory() {
        Random rng = new Random(SEED + 4);
        for (Nets.Kind kind : new Nets.Kind[] {Nets.Kind.LRU, Nets.Kind.DIAGONAL}) {
            StackedCell stack = Nets.stack(kind, 3, 2, 3, 0.6, 0.95, rng);
            for (Cell layer : stack.layers()) forget(layer);
            RecurrentNet net = RecurrentNet.withReadout(stack, 2, rng);
            Tensor[] xs = Nets.inputs(12, 2, 2, rng);
            StepLoss loss = Nets.squaredError(12, 2, 2, rng);
            SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
            for (TraceRule rule : TraceRule.values()) {
                double err = run(net, rule, xs, loss).relativeError(bptt);
                assertTrue(err <= EXACT, kind + " λ = 0 everywhere, " + rule + ": relative error " + err);
            }
        }
    }

    @Test
    void truncationsAreExactOnSequencesAsShortAsTheirHorizon() {
        Random rng = new Random(SEED + 5);
        for (Nets.Kind kind : Nets.Kind.values()) {
            RecurrentNet net = RecurrentNet.withReadout(Nets.cell(kind, 2, 3, 3, 0.6, 0.95, rng), 2, rng);
            for (int T = 1; T <= 3; T++) {
                Tensor[] xs = Nets.inputs(T, 2, 2, rng);
                StepLoss loss = Nets.squaredError(T, 2, 2, rng);
                SequenceGradient bptt = Bptt.gradient(net, null, xs, loss);
                double none = run(net, TraceRule.NONE, xs, loss).relativeError(bptt);
                double one = run(net, TraceRule.ONE_STEP, xs, loss).relativeError(bptt);
                assertTrue(T > 1 ? none > 1e-6 : none <= EXACT, kind + " T = " + T + ": spatial-only, error " + none);
                assertTrue(T > 2 ? one > 1e-6 : one <= EXACT, kind + " T = " + T + ": one-step, error " + one);
            }
        }
    }

    @Test
    void snap1OfARealElementwiseStackIsExactButNotOfTheRealPairLru() {
        Random rng = new Random(SEED + 6);
        RecurrentNet real = RecurrentNet.withReadout(new StackedCell(Nets.cell(Nets.Kind.DIAGONAL, 2, 3, 3, 0.6, 0.95,
                rng), Nets.cell(Nets.Kind.ELSTM, 3, 3, 3, 0, 1, rng), Nets.cell(Nets.Kind.DIAGONAL, 3, 2, 2, 0.6, 0.95,
                rng)), 2, rng);
        Tensor[] xs = Nets.inputs(10, 2, 2, rng);
        StepLoss loss = Nets.squaredError(10, 2, 2, rng);
        double err = ForwardLearner.run(new GenericSnap1(real, 2), xs, loss).relativeError(
                Bptt.gradient(real, null, xs, loss));
        assertTrue(err <= EXACT, "SnAp-1 of a real element-wise stack, relative error " + err);
        RecurrentNet lru = RecurrentNet.withReadout(Nets.cell(Nets.Kind.LRU, 2, 3, 3, 0.6, 0.95, rng), 2, rng);
        double lruErr = ForwardLearner.run(new GenericSnap1(lru, 2), xs, loss).relativeError(
                Bptt.gradient(lru, null, xs, loss));
        assertTrue(lruErr > 1e-3, "SnAp-1 drops the rotation into the other half of a complex unit, error " + lruErr);
    }

    @Test
    void genericSnap1EqualsTheFastSnap1OfTheVanillaRnn() {
        Random rng = new Random(SEED + 7);
        RecurrentNet net = RecurrentNet.withReadout(new RnnCell(2, 4, rng), 2, rng);
        Tensor[] xs = Nets.inputs(12, 2, 2, rng);
        StepLoss loss = Nets.squaredError(12, 2, 2, rng);
        SequenceGradient generic = ForwardLearner.run(new GenericSnap1(net, 2), xs, loss);
        SequenceGradient fast = ForwardLearner.run(new Snap1(net, 2), xs, loss);
        double err = generic.relativeError(fast);
        assertTrue(err <= EXACT, "generic vs fast SnAp-1, relative error " + err);
        double bias = generic.relativeError(Bptt.gradient(net, null, xs, loss));
        assertTrue(bias > 1e-6, "SnAp-1 of a dense cell is an approximation, error " + bias);
    }
}
