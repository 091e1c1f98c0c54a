package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.function.DoublePredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every hyperparameter of every optimiser, schedule, initialiser and layer constructor of nn, fed NaN,
 * ±∞, zero, negatives and values at the edges of its range: a value in the documented range builds, any
 * other is refused with an IllegalArgumentException naming the class and the value. Then the trainer on
 * empty data and the null arguments of the public constructors.
 */
class BadInputProperties {
    private static final List<Tensor> PARAMS = List.of(Tensor.vector(1, 2).requiresGrad());
    private static final Random RNG = new Random(1);

    /** One hyperparameter: its constructor, its valid range, and the name its messages start with. */
    record Hyper(String what, String name, DoubleFunction<Object> make, DoublePredicate valid) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static boolean positive(double v) {
        return v > 0 && v < Double.POSITIVE_INFINITY;
    }

    private static boolean nonNegative(double v) {
        return v >= 0 && v < Double.POSITIVE_INFINITY;
    }

    private static boolean unitOpen(double v) {
        return v >= 0 && v < 1;
    }

    private static boolean finite(double v) {
        return Double.isFinite(v);
    }

    static final List<Hyper> HYPERS = List.of(
            new Hyper("Sgd learning rate", "sgd", v -> new Sgd(PARAMS, v), BadInputProperties::positive),
            new Hyper("Sgd momentum", "sgd", v -> Sgd.momentum(PARAMS, 0.1, v), BadInputProperties::unitOpen),
            new Hyper("Sgd Nesterov momentum", "sgd", v -> Sgd.nesterov(PARAMS, 0.1, v), v -> v > 0 && v < 1),
            new Hyper("Sgd weight decay", "sgd", v -> new Sgd(PARAMS, 0.1, 0.5, false, v), BadInputProperties::nonNegative),
            new Hyper("Sgd.weightDecay", "sgd", v -> new Sgd(PARAMS, 0.1).weightDecay(v), BadInputProperties::nonNegative),
            new Hyper("Adam learning rate", "adam", v -> new Adam(PARAMS, v), BadInputProperties::positive),
            new Hyper("Adam β₁", "adam", v -> new Adam(PARAMS, 0.1, v, 0.999, 1e-8), BadInputProperties::unitOpen),
            new Hyper("Adam β₂", "adam", v -> new Adam(PARAMS, 0.1, 0.9, v, 1e-8), BadInputProperties::unitOpen),
            new Hyper("Adam ε", "adam", v -> new Adam(PARAMS, 0.1, 0.9, 0.999, v), BadInputProperties::positive),
            new Hyper("Adam weight decay", "adam", v -> new Adam(PARAMS, 0.1).weightDecay(v), BadInputProperties::nonNegative),
            new Hyper("AdamW weight decay", "adam", v -> Adam.adamW(PARAMS, 0.1, v), BadInputProperties::nonNegative),
            new Hyper("Optimizer.setLearningRate", "sgd", v -> {
                new Sgd(PARAMS, 0.1).setLearningRate(v);
                return v;
            }, BadInputProperties::nonNegative),
            new Hyper("Optimizer.clipByValue", "sgd", v -> new Sgd(PARAMS, 0.1).clipByValue(v), v -> v > 0),
            new Hyper("Optimizer.clipByGlobalNorm", "sgd", v -> new Sgd(PARAMS, 0.1).clipByGlobalNorm(v), v -> v > 0),
            new Hyper("Clip.byValue", "clip", v -> Clip.byValue(List.of(Tensor.vector(1)), v), v -> v > 0),
            new Hyper("Clip.byGlobalNorm", "clip", v -> Clip.byGlobalNorm(List.of(Tensor.vector(1)), v), v -> v > 0),
            new Hyper("Schedule.constant", "schedule constant", Schedule::constant, BadInputProperties::positive),
            new Hyper("Schedule.step rate", "schedule step", v -> Schedule.step(v, 0.5, 2), BadInputProperties::positive),
            new Hyper("Schedule.step γ", "schedule step", v -> Schedule.step(0.1, v, 2), v -> v > 0 && v <= 1),
            new Hyper("Schedule.cosine rate", "schedule cosine", v -> Schedule.cosine(v, 0.0, 5), BadInputProperties::positive),
            new Hyper("Schedule.cosine minimum", "schedule cosine", v -> Schedule.cosine(0.1, v, 5), v -> v >= 0 && v <= 0.1),
            new Hyper("Dropout p", "dropout", v -> new Dropout(v, 1L), BadInputProperties::unitOpen),
            new Hyper("Mlp.dropout", "mlp", v -> Mlp.builder(2).dropout(v), BadInputProperties::unitOpen),
            new Hyper("BatchNorm ε", "batchNorm", v -> new BatchNorm(3, v, 0.1), BadInputProperties::positive),
            new Hyper("BatchNorm momentum", "batchNorm", v -> new BatchNorm(3, 1e-5, v), v -> v >= 0 && v <= 1),
            new Hyper("Activation.softmax β", "softmax", Activation::softmax, BadInputProperties::positive),
            new Hyper("Init.normalFanIn bias", "init", Init::normalFanIn, BadInputProperties::finite),
            new Hyper("Init.he bias", "init", Init::he, BadInputProperties::finite),
            new Hyper("Init.constant weight", "init", v -> Init.constant(v, 0), BadInputProperties::finite),
            new Hyper("Init.constant bias", "init", v -> Init.constant(0.5, v), BadInputProperties::finite));

    @Provide
    Arbitrary<Double> values() {
        Arbitrary<Double> specials = Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
                -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-8, 0.1,
                0.999, 1 - 1e-16, 1.5);
        return Arbitraries.oneOf(specials, Arbitraries.doubles().between(-2, 2), Arbitraries.doubles());
    }

    @Provide
    Arbitrary<Hyper> hypers() {
        return Arbitraries.of(HYPERS);
    }

    @Property(tries = 400)
    void aHyperparameterInItsRangeBuildsAndAnyOtherIsNamed(@ForAll("hypers") Hyper h, @ForAll("values") double v) {
        if (h.valid().test(v)) {
            h.make().apply(v);
            return;
        }
        Throwable e = assertThrows(Throwable.class, () -> h.make().apply(v), () -> h + " accepted " + v);
        assertEquals(IllegalArgumentException.class, e.getClass(), () -> h + " at " + v + ": " + e);
        String m = e.getMessage();
        assertTrue(m.startsWith(h.name()), () -> h + " at " + v + ": message does not start with '" + h.name() + "': " + m);
        assertTrue(m.contains(String.valueOf(v)), () -> h + " at " + v + ": message lacks the value: " + m);
    }

    @Test
    void everyHyperparameterRefusesNaNAndInfinity() {
        // The deterministic core of the property: the values the fuzzing report found accepted.
        for (Hyper h : HYPERS) {
            for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                if (h.valid().test(v)) continue;
                Throwable e = assertThrows(Throwable.class, () -> h.make().apply(v), () -> h + " accepted " + v);
                assertEquals(IllegalArgumentException.class, e.getClass(), () -> h + " at " + v + ": " + e);
                assertTrue(e.getMessage().startsWith(h.name()) && e.getMessage().contains(String.valueOf(v)),
                        () -> h + " at " + v + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- trainer, sizes, nulls

    static <T extends Throwable> T named(Class<T> type, Executable call, String... fragments) {
        Throwable e = assertThrows(Throwable.class, call);
        assertEquals(type, e.getClass(), () -> "expected " + type.getSimpleName() + ", got " + e);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return type.cast(e);
    }

    private static Sequential net() {
        return Mlp.builder(2).hidden(3, Activation.tanh()).output(2).build(new Random(3));
    }

    private static final Trainer.LossFunction CE = (out, b) -> Loss.crossEntropy(out, b.labels());

    @Test
    void trainingOnNoExamplesIsRefused() {
        Sequential net = net();
        Dataset empty = Dataset.of(Tensor.zeros(0, 2), new int[0]);
        Dataset some = Dataset.of(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), new int[] {0, 1});
        named(IllegalArgumentException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), CE).fit(empty),
                "trainer", "training set", "empty");
        named(IllegalArgumentException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), CE).validation(empty)
                .fit(some), "trainer", "validation set", "empty");
        named(IllegalArgumentException.class, () -> Trainer.evaluate(net, empty, CE, Metrics::argmax), "evaluate",
                "empty");
    }

    @Test
    void subsetsAndBatchesPastTheLargestArrayAreNamed() {
        // 3,000,000 rows of 784 features: 2.35e9 elements overflowed an int (NegativeArraySizeException).
        int[] rows = new int[3_000_000];
        Dataset doubles = Dataset.of(Tensor.zeros(1, 784), new int[] {0});
        named(dev.wengert.core.AllocationException.class, () -> doubles.subset(rows), "dataset", "3000000 rows");
        named(dev.wengert.core.AllocationException.class, () -> doubles.batch(rows), "dataset", "3000000 rows");
        Dataset bytes = Dataset.ofBytes(new byte[784], 784, 1.0 / 255, new int[] {0});
        named(dev.wengert.core.AllocationException.class, () -> bytes.subset(rows), "dataset", "3000000 rows");
    }

    @Test
    void layersNameANullInput() {
        named(NullPointerException.class, () -> new Linear(2, 3, RNG).forward(null), "linear", "null");
        named(NullPointerException.class, () -> new BatchNorm(2).forward(null), "batchNorm", "null");
        named(NullPointerException.class, () -> new Dropout(0.5, RNG).forward(null), "dropout", "null");
        named(NullPointerException.class, () -> new Dropout(0.5, RNG).forward(Tensor.zeros(2), null), "dropout", "mask");
        named(NullPointerException.class, () -> Activation.tanh().forward(null), "tanh", "null");
        named(NullPointerException.class, () -> net().forward(null), "linear", "null");
    }

    @Test
    void layerSizesMustBePositive() {
        named(IllegalArgumentException.class, () -> new Linear(0, 3, RNG), "linear", "0");
        named(IllegalArgumentException.class, () -> new BatchNorm(0), "batchNorm", "0");
        named(IllegalArgumentException.class, () -> Mlp.builder(2).hidden(-1, Activation.relu()), "mlp", "-1");
        named(IllegalArgumentException.class, () -> Schedule.step(0.1, 0.5, 0), "schedule step", "0");
        named(IllegalArgumentException.class, () -> Schedule.cosine(0.1, 0.0, -3), "schedule cosine", "-3");
        named(IllegalArgumentException.class, () -> Schedule.constant(0.1).rate(-1), "schedule", "-1");
        named(IllegalArgumentException.class, () -> Schedule.step(0.1, 0.5, 2).rate(-1), "schedule", "-1");
        named(IllegalArgumentException.class, () -> Schedule.cosine(0.1, 0.0, 2).rate(-1), "schedule", "-1");
    }

    @Test
    void nullArgumentsAreNamed() {
        Sequential net = net();
        named(NullPointerException.class, () -> new Sgd(null, 0.1), "sgd", "parameters");
        named(NullPointerException.class, () -> new Adam(java.util.Arrays.asList(Tensor.vector(1), null), 0.1), "adam",
                "parameter 1");
        named(NullPointerException.class, () -> new Sgd(PARAMS, 0.1).step(null), "sgd", "gradients");
        named(NullPointerException.class, () -> new Linear(2, 3, null, RNG), "linear", "init");
        named(NullPointerException.class, () -> new Linear(2, 3, null), "linear", "rng");
        named(NullPointerException.class, () -> Mlp.builder(2).hidden(3, null), "mlp", "activation");
        named(NullPointerException.class, () -> Mlp.builder(2).init(null), "mlp", "init");
        named(NullPointerException.class, () -> Mlp.builder(2).output(2).build(null), "mlp", "rng");
        named(NullPointerException.class, () -> new Sequential((Layer) null), "sequential", "layer 0");
        named(NullPointerException.class, () -> new Sequential().add(null), "sequential", "layer");
        named(NullPointerException.class, () -> Activation.named(null), "activation", "name");
        named(NullPointerException.class, () -> Trainer.of(net, null, CE), "trainer", "optimizer");
        named(NullPointerException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), null), "trainer", "loss");
        named(NullPointerException.class, () -> Trainer.of(null, net, new Sgd(net.parameters(), 0.1), CE), "trainer",
                "module");
        named(NullPointerException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), CE).fit(null),
                "trainer", "training set");
        named(NullPointerException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), CE).decoder(null),
                "trainer", "decoder");
        named(NullPointerException.class, () -> Trainer.of(net, new Sgd(net.parameters(), 0.1), CE).monitor(null),
                "trainer", "monitor");
    }
}
