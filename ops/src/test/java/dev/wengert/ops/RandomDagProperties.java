package dev.wengert.ops;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random computation graphs with shared sub-expressions (a node used by several later nodes, inputs
 * used many times, broadcasting between a matrix and a row), checked in both modes and to second
 * order against finite differences.
 */
class RandomDagProperties {

    /** One instruction of a graph: an op and the indices of its operands in the value pool. */
    private static final class Step {
        final int op;
        final int a;
        final int b;

        Step(int op, int a, int b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }
    }

    private static final int OPS = 12;

    private static Tensor apply(Step s, List<Tensor> pool) {
        Tensor a = pool.get(s.a);
        Tensor b = pool.get(s.b);
        switch (s.op) {
            case 0: return Ops.add(a, b);
            case 1: return Ops.sub(a, b);
            case 2: return Ops.mul(a, b);
            case 3: return Ops.div(a, Ops.add(2.0, Ops.tanh(b)));
            case 4: return Ops.tanh(a);
            case 5: return Ops.sigmoid(Ops.mul(a, b));
            case 6: return Ops.exp(Ops.tanh(a));
            case 7: return Ops.square(a);
            case 8: return Ops.add(a, Ops.sumKeepDims(b, 0)); // a row broadcast down the matrix
            case 9: return Ops.matmul(a, Ops.matmul(Ops.transpose(b), b)); // [2,3] x [3,3]
            case 10: return Ops.mul(a, Ops.meanKeepDims(b, 1));
            default: return Ops.log(Ops.add(1.0, Ops.square(Ops.sub(a, b))));
        }
    }

    @Property(tries = 150)
    void randomDagsPassEveryGradientCheck(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int size) {
        Random rng = new Random(seed);
        int inputs = 2 + rng.nextInt(2);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int available = inputs + 1 + i; // the inputs, the broadcast row, and earlier steps
            // Prefer recent values but reuse old ones too: shared sub-expressions.
            int a = rng.nextInt(3) == 0 ? rng.nextInt(available) : available - 1 - rng.nextInt(Math.min(3, available));
            int b = rng.nextInt(available);
            steps.add(new Step(rng.nextInt(OPS), a, b));
        }
        int outputs = 1 + rng.nextInt(Math.min(3, size));
        Function<Tensor[], Tensor> f = in -> {
            List<Tensor> pool = new ArrayList<>();
            for (int i = 0; i < inputs; i++) pool.add(in[i]);
            pool.add(Ops.reshape(in[inputs], 1, 3)); // a row that broadcasts against [2,3]
            for (Step s : steps) {
                Tensor t = apply(s, pool);
                pool.add(t.rank() == 2 ? t : Ops.broadcastTo(t, 2, 3));
            }
            Tensor out = pool.get(pool.size() - 1);
            for (int k = 2; k <= outputs; k++) out = Ops.add(out, pool.get(pool.size() - k));
            return Ops.broadcastTo(out, 2, 3);
        };
        Tensor[] x = new Tensor[inputs + 1];
        for (int i = 0; i < inputs; i++) x[i] = Gen.tensor(rng, 2, 3);
        x[inputs] = Gen.tensor(rng, 3);
        GradCheck.of(f, x).seed(seed).checkAll().assertPassed();
    }
}
