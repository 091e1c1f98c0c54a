package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Sgd;
import dev.wengert.rnn.approx.Snap1;
import dev.wengert.rnn.approx.Uoro;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.bptt.CheckpointedBptt;
import dev.wengert.rnn.bptt.Tbptt;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.RnnRtrl;
import dev.wengert.rnn.rtrl.Rtrl;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The public constructors of the cells and the learners, and the algorithms' entry points, with bad
 * sizes, hyperparameters, ranges and nulls: a named exception (the class and the value at fault in its
 * message), never a shape clash of a later step or a raw JDK exception.
 */
class BadInputTest {
    private static final Random RNG = new Random(3);

    static <T extends Throwable> T named(Class<T> type, Executable call, String... fragments) {
        Throwable e = assertThrows(Throwable.class, call);
        assertEquals(type, e.getClass(), () -> "expected " + type.getSimpleName() + ", got " + e);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return type.cast(e);
    }

    @Test
    void cellSizesMustBePositive() {
        String[] names = {"RnnCell", "LstmCell", "GruCell"};
        List<BiFunction<Integer, Integer, Cell>> makers = List.of((m, n) -> new RnnCell(m, n, RNG),
                (m, n) -> new LstmCell(m, n, RNG), (m, n) -> new GruCell(m, n, RNG));
        for (int c = 0; c < names.length; c++) {
            var make = makers.get(c);
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                named(IllegalArgumentException.class, () -> make.apply(3, bad), names[c], "hidden size must be positive",
                        String.valueOf(bad));
                named(IllegalArgumentException.class, () -> make.apply(bad, 3), names[c], "input size must be positive",
                        String.valueOf(bad));
            }
        }
    }

    @Test
    void cellHyperparametersAndNullsAreNamed() {
        for (double bias : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            named(IllegalArgumentException.class, () -> new LstmCell(2, 3, bias, RNG), "LstmCell", "forget bias",
                    String.valueOf(bias));
        }
        named(NullPointerException.class, () -> new RnnCell(2, 3, null), "RnnCell", "rng");
        named(NullPointerException.class, () -> new LstmCell(2, 3, null), "LstmCell", "rng");
        named(NullPointerException.class, () -> new GruCell(2, 3, null), "GruCell", "rng");
        named(NullPointerException.class, () -> new RnnCell(null, Tensor.zeros(3, 2), Tensor.zeros(3)), "RnnCell", "W_hh");
        named(NullPointerException.class, () -> new RnnCell(Tensor.zeros(3, 3), Tensor.zeros(3, 2), null), "RnnCell", "b");
        named(NullPointerException.class, () -> new LstmCell(null, new Tensor[4], new Tensor[4]), "LstmCell", "W_gh");
        Tensor[] wh = {Tensor.zeros(1, 1), Tensor.zeros(1, 1), null, Tensor.zeros(1, 1)};
        Tensor[] wx = {Tensor.zeros(1, 1), Tensor.zeros(1, 1), Tensor.zeros(1, 1), Tensor.zeros(1, 1)};
        Tensor[] b = {Tensor.zeros(1), Tensor.zeros(1), Tensor.zeros(1), Tensor.zeros(1)};
        named(NullPointerException.class, () -> new LstmCell(wh, wx, b), "LstmCell", "W_oh");
        named(NullPointerException.class, () -> LstmCell.scalar((double[]) null), "LstmCell.scalar");
        named(NullPointerException.class, () -> new StackedCell(new RnnCell(2, 3, RNG), null), "StackedCell", "layer 1");
    }

    private static RecurrentNet net() {
        return RecurrentNet.withReadout(new RnnCell(2, 3, new Random(1)), 2, new Random(2));
    }

    @Test
    void learnersNameBadArguments() {
        RecurrentNet net = net();
        named(NullPointerException.class, () -> Rtrl.exact(null, 2), "rtrl", "network");
        named(NullPointerException.class, () -> new Snap1(null, 2), "Snap1", "network");
        named(IllegalArgumentException.class, () -> new Uoro(net, 0, 1), "Uoro", "batch", "0");
        named(IllegalArgumentException.class, () -> new RnnRtrl(net, 2, 0), "RnnRtrl", "threads", "0");
        ForwardLearner l = Rtrl.exact(net, 2);
        StepLoss loss = StepLoss.sumOfSquares();
        named(NullPointerException.class, () -> l.step(0, null, loss), "RnnRtrl.step", "x_0");
        named(NullPointerException.class, () -> l.step(0, Tensor.zeros(2, 2), null), "RnnRtrl.step", "loss");
        named(NullPointerException.class, () -> l.reset(new Tensor[] {null}), "RnnRtrl.reset", "state part 0");
    }

    @Test
    void algorithmsNameNullsAndRanges() {
        RecurrentNet net = net();
        Tensor[] xs = {Tensor.zeros(2, 2), Tensor.zeros(2, 2), Tensor.zeros(2, 2)};
        StepLoss loss = StepLoss.sumOfSquares();
        named(NullPointerException.class, () -> Bptt.gradient(null, null, xs, loss), "bptt", "network");
        named(NullPointerException.class, () -> Bptt.gradient(net, null, xs, null), "bptt", "loss");
        named(NullPointerException.class, () -> Tbptt.chunked(net, null, xs, null, 2, null), "tbptt", "loss");
        named(NullPointerException.class, () -> Tbptt.williamsPeng(net, null, xs, null, 1, 2, null), "tbptt", "loss");
        named(NullPointerException.class, () -> CheckpointedBptt.gradient(net, null, xs, null, 2), "checkpointed bptt",
                "loss");
        named(NullPointerException.class, () -> Rtrl.gradient(net, xs, null), "rtrl", "loss");
        ForwardLearner l = Rtrl.exact(net, 2);
        Sgd opt = new Sgd(net.parameters(), 0.1);
        IntFunction<Executable> online = to -> () -> OnlineLearning.run(l, opt, xs, 2, to, loss);
        named(IllegalArgumentException.class, online.apply(1), "online", "[2, 1)", "3 inputs");
        named(IllegalArgumentException.class, online.apply(4), "online", "[2, 4)", "3 inputs");
        named(IllegalArgumentException.class, () -> OnlineLearning.run(l, opt, xs, -1, 2, loss), "online", "[-1, 2)");
        named(NullPointerException.class, () -> OnlineLearning.run(null, opt, xs, 0, 1, loss), "online", "learner");
        named(NullPointerException.class, () -> OnlineLearning.run(l, null, xs, 0, 1, loss), "online", "optimizer");
        named(NullPointerException.class, () -> OnlineLearning.run(l, opt, null, 0, 1, loss), "online", "inputs");
        named(NullPointerException.class, () -> OnlineLearning.run(l, opt, xs, 0, 1, null), "online", "loss");
    }
}
