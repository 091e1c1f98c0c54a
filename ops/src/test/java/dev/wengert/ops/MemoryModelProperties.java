package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ForwardMode;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The memory model, as invariants over random graphs built from every op of the spec table with
 * view paths in between (reshape, expandDims/squeeze, broadcastTo, concat of one tensor and a slice of a
 * whole axis, which share storage with their input):
 * <ul>
 *   <li>nothing the caller passed in (inputs, seeds, tangents) is written by forward, backward, gradient,
 *       recorded gradient or JVP: checked bit for bit against copies taken before;</li>
 *   <li>nothing handed out (accumulated grads, returned gradients, JVP values and tangents) shares storage
 *       with another thing handed out, a seed, a tangent or an input;</li>
 *   <li>k backward passes accumulate exactly the sum, in order, of k copies of one pass;</li>
 *   <li>a variable listed twice gets two equal, independent gradients; a variable reached through
 *       several view paths gets the sum over the paths.</li>
 * </ul>
 * Storage is compared by the identity of the backing array ({@link Tensor#data()}), the only way two
 * tensors can share memory.
 */
class MemoryModelProperties {

    /** A random graph: its variables, the function from variables to outputs, and seeds for the outputs. */
    static final class Graph {
        final List<Tensor> leaves = new ArrayList<>();
        final List<String> description = new ArrayList<>();
        Function<Tensor[], Tensor[]> f;
        Tensor[] seeds;

        @Override
        public String toString() {
            return String.join("; ", description);
        }
    }

    /** A random chain of view ops from x to a tensor of shape {@code target} (x has the same size). */
    static Tensor viewPath(Tensor x, int[] target, long choice) {
        Random rng = new Random(choice);
        Tensor v = x;
        int steps = rng.nextInt(3);
        for (int s = 0; s < steps; s++) {
            int[] sh = v.shape();
            switch (rng.nextInt(6)) {
                case 5:
                    if (sh.length > 0) v = Ops.slice(v, 0, 0, sh[0]); // a whole axis: a view
                    break;
                case 0:
                    v = Ops.expandDims(v, rng.nextInt(sh.length + 1));
                    break;
                case 1:
                    v = Ops.reshape(v, v.size());
                    break;
                case 2:
                    v = Ops.broadcastTo(v, sh); // same shape: the tensor itself
                    break;
                case 3:
                    if (sh.length > 0) v = Ops.concat(0, v); // one tensor: a view
                    break;
                default:
                    v = Ops.reshape(v, sh); // same shape: the tensor itself
            }
        }
        return Ops.reshape(v, target);
    }

    static Graph graph(long seed) {
        Random rng = new Random(seed);
        Graph g = new Graph();
        int cases = 1 + rng.nextInt(3);
        List<OpCase> made = new ArrayList<>();
        List<int[]> feeds = new ArrayList<>(); // per case input: leaf index
        List<long[]> paths = new ArrayList<>();
        for (int c = 0; c < cases; c++) {
            OpSpec spec = SpecTable.ALL.get(rng.nextInt(SpecTable.ALL.size()));
            OpCase oc = spec.make(rng);
            made.add(oc);
            int[] feed = new int[oc.inputs.length];
            long[] path = new long[oc.inputs.length];
            for (int i = 0; i < oc.inputs.length; i++) {
                Tensor in = oc.inputs[i];
                int reuse = -1;
                if (rng.nextInt(3) == 0) {
                    for (int l = 0; l < g.leaves.size(); l++) {
                        if (g.leaves.get(l).size() == in.size()) reuse = l;
                    }
                }
                if (reuse >= 0) {
                    feed[i] = reuse;
                } else {
                    g.leaves.add(in.copy());
                    feed[i] = g.leaves.size() - 1;
                }
                path[i] = rng.nextLong();
            }
            feeds.add(feed);
            paths.add(path);
            g.description.add(oc.toString() + " fed by leaves " + java.util.Arrays.toString(feed));
        }
        // Sometimes an output that is only a view of a variable (its gradient is the seed itself).
        int viewOf = rng.nextInt(3) == 0 ? rng.nextInt(g.leaves.size()) : -1;
        long viewPath = rng.nextLong();
        if (viewOf >= 0) g.description.add("plus a view of leaf " + viewOf);
        g.f = vars -> {
            List<Tensor> out = new ArrayList<>();
            for (int c = 0; c < made.size(); c++) {
                OpCase oc = made.get(c);
                Tensor[] in = new Tensor[oc.inputs.length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = viewPath(vars[feeds.get(c)[i]], oc.inputs[i].shape(), paths.get(c)[i]);
                }
                out.add(oc.f.apply(in));
            }
            if (viewOf >= 0) {
                Tensor v = vars[viewOf];
                out.add(viewPath(v, new int[] {v.size()}, viewPath));
            }
            return out.toArray(new Tensor[0]);
        };
        // Seeds from the shapes of one evaluation.
        Tensor[] ys = g.f.apply(g.leaves.toArray(new Tensor[0]));
        g.seeds = new Tensor[ys.length];
        for (int i = 0; i < ys.length; i++) g.seeds[i] = Gen.tensor(rng, ys[i].shape());
        return g;
    }

    private static Tensor[] variables(Graph g) {
        Tensor[] v = new Tensor[g.leaves.size()];
        for (int i = 0; i < v.length; i++) v[i] = g.leaves.get(i).copy().requiresGrad();
        return v;
    }

    private static double[][] snapshot(Tensor... ts) {
        double[][] s = new double[ts.length][];
        for (int i = 0; i < ts.length; i++) s[i] = ts[i].toArray();
        return s;
    }

    private static void assertUnchanged(String what, double[][] before, Tensor[] now, Graph g) {
        for (int i = 0; i < now.length; i++) {
            double[] a = before[i];
            double[] b = now[i].data();
            for (int j = 0; j < a.length; j++) {
                assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]),
                        () -> what + " " + " was written: " + g);
            }
        }
    }

    /** Fails when two of the tensors share a backing array, or one shares an array with a protected tensor. */
    private static void assertNoAliasing(String what, Tensor[] handedOut, Graph g, Tensor[]... protectedSets) {
        Map<double[], String> owner = new IdentityHashMap<>();
        for (Tensor[] set : protectedSets) {
            for (Tensor t : set) if (t != null) owner.put(t.data(), "a caller's tensor");
        }
        for (int i = 0; i < handedOut.length; i++) {
            Tensor t = handedOut[i];
            if (t == null) continue;
            String prev = owner.put(t.data(), what + " " + i);
            assertTrue(prev == null, what + " " + i + " shares its array with " + prev + ": " + g);
        }
    }

    private static Tensor[] forward(Graph g, Tensor[] vars) {
        return g.f.apply(vars);
    }

    /** Backward into the variables' grads: with the seeds when there is one output, else of a weighted sum. */
    private static void backward(Graph g, Tensor[] vars) {
        try (Tape tape = Tape.open()) {
            Tensor[] ys = forward(g, vars);
            if (ys.length == 1) {
                if (ys[0].node() == null) return; // nothing tracked: no gradient to accumulate
                tape.backward(ys[0], g.seeds[0]);
            } else {
                Tensor loss = null;
                for (int i = 0; i < ys.length; i++) {
                    Tensor term = Ops.sum(Ops.mul(ys[i], g.seeds[i]));
                    loss = loss == null ? term : Ops.add(loss, term);
                }
                tape.backward(loss);
            }
        }
    }

    @Property(tries = 300)
    void backwardWritesNothingOfTheCallersAndHandsOutIndependentGrads(@ForAll long seed) {
        Graph g = graph(seed);
        Tensor[] vars = variables(g);
        double[][] varsBefore = snapshot(vars);
        double[][] seedsBefore = snapshot(g.seeds);

        backward(g, vars);
        assertUnchanged("a variable", varsBefore, vars, g);
        assertUnchanged("a seed", seedsBefore, g.seeds, g);
        Tensor[] grads = new Tensor[vars.length];
        for (int i = 0; i < vars.length; i++) grads[i] = vars[i].grad();
        assertNoAliasing("grad of variable", grads, g, vars, g.seeds);

        // k passes accumulate exactly k copies of one pass, added in order.
        double[][] one = new double[vars.length][];
        for (int i = 0; i < vars.length; i++) one[i] = grads[i] == null ? null : grads[i].toArray();
        double[][] expected = new double[vars.length][];
        for (int i = 0; i < vars.length; i++) expected[i] = one[i] == null ? null : one[i].clone();
        for (int pass = 2; pass <= 3; pass++) {
            backward(g, vars);
            assertUnchanged("a variable", varsBefore, vars, g);
            assertUnchanged("a seed", seedsBefore, g.seeds, g);
            for (int i = 0; i < vars.length; i++) {
                if (one[i] == null) continue;
                for (int j = 0; j < one[i].length; j++) expected[i][j] += one[i][j];
                assertArrayEquals(expected[i], vars[i].grad().data(), 0.0,
                        "grad of variable " + i + " after " + pass + " passes: " + g);
                grads[i] = vars[i].grad();
            }
            assertNoAliasing("grad of variable", grads, g, vars, g.seeds);
        }
    }

    @Property(tries = 300)
    void gradientsAreIndependentOfEachOtherTheSeedsAndTheInputs(@ForAll long seed) {
        Graph g = graph(seed);
        Tensor[] vars = variables(g);
        double[][] varsBefore = snapshot(vars);
        double[][] seedsBefore = snapshot(g.seeds);
        Tensor[] wrt = new Tensor[vars.length + 1];
        System.arraycopy(vars, 0, wrt, 0, vars.length);
        wrt[vars.length] = vars[0]; // a variable listed twice
        for (boolean recorded : new boolean[] {false, true}) {
            Tensor[] grads;
            try (Tape tape = Tape.open()) {
                Tensor[] ys = forward(g, vars);
                grads = recorded ? tape.recordedGradient(ys, g.seeds, wrt) : tape.gradient(ys, g.seeds, wrt);
            }
            String mode = recorded ? "recorded gradient" : "gradient";
            assertUnchanged("a variable", varsBefore, vars, g);
            assertUnchanged("a seed", seedsBefore, g.seeds, g);
            assertNoAliasing(mode, grads, g, vars, g.seeds);
            assertNotSame(grads[0], grads[vars.length]);
            assertArrayEquals(grads[0].data(), grads[vars.length].data(), 0.0, "a variable listed twice: " + g);
            for (Tensor t : grads) assertNotNull(t);
        }
    }

    @Property(tries = 200)
    void forwardModeWritesNothingOfTheCallersAndHandsOutIndependentResults(@ForAll long seed) {
        Graph g = graph(seed);
        Tensor[] primals = new Tensor[g.leaves.size()];
        Tensor[] tangents = new Tensor[primals.length];
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < primals.length; i++) {
            primals[i] = g.leaves.get(i).copy();
            tangents[i] = Gen.tensor(rng, primals[i].shape());
        }
        double[][] pBefore = snapshot(primals);
        double[][] tBefore = snapshot(tangents);
        ForwardMode.Result r = ForwardMode.jvp(g.f, primals, tangents);
        assertUnchanged("a primal", pBefore, primals, g);
        assertUnchanged("a tangent", tBefore, tangents, g);
        Tensor[] out = new Tensor[2 * r.outputs()];
        for (int i = 0; i < r.outputs(); i++) {
            out[2 * i] = r.value(i);
            out[2 * i + 1] = r.tangent(i);
        }
        assertNoAliasing("jvp result", out, g, primals, tangents);
    }

    @Property(tries = 200)
    void aVariableReachedThroughSeveralViewPathsGetsTheSumOverThePaths(@ForAll long seed) {
        Random rng = new Random(seed);
        int[] shape = Gen.shape(rng, 1, 3, 4);
        Tensor x = Gen.tensor(rng, shape).requiresGrad();
        int paths = 2 + rng.nextInt(3);
        double[] weights = new double[paths];
        long[] choices = new long[paths];
        for (int p = 0; p < paths; p++) {
            weights[p] = rng.nextGaussian();
            choices[p] = rng.nextLong();
        }
        Tensor seedT = Gen.tensor(rng, x.size());
        double[] seedBefore = seedT.toArray();
        for (int pass = 1; pass <= 2; pass++) {
            try (Tape tape = Tape.open()) {
                Tensor y = null;
                for (int p = 0; p < paths; p++) {
                    Tensor v = Ops.mul(viewPath(x, new int[] {x.size()}, choices[p]), weights[p]);
                    y = y == null ? v : Ops.add(y, v);
                }
                tape.backward(y, seedT);
            }
            double w = 0;
            for (double wp : weights) w += wp;
            for (int j = 0; j < x.size(); j++) {
                assertEquals(pass * w * seedBefore[j], x.grad().data()[j], 1e-12 * pass * Math.abs(seedBefore[j]) * paths);
            }
            assertArrayEquals(seedBefore, seedT.data(), 0.0, "seed written");
            assertTrue(x.grad().data() != seedT.data(), "grad shares the seed's array");
        }
    }
}
