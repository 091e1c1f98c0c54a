package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wengert.core.AllocationException;
import dev.wengert.core.ForwardMode;
import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The fuzz test: every op of the spec table fed random bad inputs. From a valid instance of each row, one
 * input is replaced by null, by a tensor of a random shape (non-broadcastable, another rank, mismatched
 * matmul sizes), by one with an empty axis, or by a 0-d tensor; values are replaced by NaN and ±∞; and the
 * row's own bad parameters are drawn from {@link BadInputs} (axes, indices, steps and permutations out of
 * range or at the int limits, outputs past 2^31 − 1 elements or past the heap, null parameters).
 *
 * <p>Each call must either throw one of the {@link #NAMED named exception types}, whose message starts
 * with the op's name and names the argument or value at fault (an input's shape or rank for the generic
 * mutations), or return the row's reference result: exactly, NaN for NaN, when the input is valid but
 * extreme; with non-finite inputs a NaN may stand where the reference has any value, since NaN is never
 * a silent answer, but a finite value where the reference has none is a failure. A valid result must
 * also survive a backward pass and a forward-mode pass with gradients and tangents of the inputs' and
 * the output's shapes. No raw JDK exception and no Error may escape.
 */
class BadInputProperties {
    /**
     * What an op may throw for bad input, by exact class: a raw JDK exception (ArrayIndexOutOfBounds,
     * NegativeArraySize, Arithmetic, a helpful NullPointerException, an OutOfMemoryError) is none of these.
     * A NullPointerException is allowed only for a null argument, and only with the op's message.
     */
    static final Set<Class<? extends Throwable>> NAMED = Set.of(ShapeException.class, IllegalArgumentException.class,
            IllegalStateException.class, AllocationException.class, IndexOutOfBoundsException.class);

    /** How a valid instance is spoiled. */
    enum Kind {
        NULL_INPUT, WRONG_SHAPE, EMPTY_AXIS, ZERO_D, NON_FINITE, PARAMETER
    }

    @Property(tries = 40)
    void everyOpNamesBadInputOrGivesItsReference(@ForAll long seed) {
        Random rng = new Random(seed);
        for (OpSpec spec : SpecTable.ALL) {
            for (Kind kind : Kind.values()) {
                Fuzzed f = fuzz(spec, kind, rng);
                if (f != null) check(spec, kind, f);
            }
        }
    }

    @Test
    void everyRowHasBadParametersOfItsOwn() {
        for (OpSpec spec : SpecTable.ALL) {
            assertFalse(BadInputs.of(spec).isEmpty(), () -> "no bad parameters for " + spec.name);
        }
    }

    @Test
    void everyRowsBadParametersAreCheckedOnce() {
        // Deterministic sweep over every maker, so none depends on the draws of the property.
        Random rng = new Random(7);
        for (OpSpec spec : SpecTable.ALL) {
            for (BadInputs.Maker m : BadInputs.of(spec)) {
                Fuzzed f = m.apply(spec, rng);
                if (f != null) check(spec, Kind.PARAMETER, f);
            }
        }
    }

    /** The primitive's name, as messages print it: the row's name without a parenthesised variant. */
    static String opName(OpSpec spec) {
        int p = spec.name.indexOf('(');
        return p < 0 ? spec.name : spec.name.substring(0, p);
    }

    static Fuzzed fuzz(OpSpec spec, Kind kind, Random rng) {
        if (kind == Kind.PARAMETER) {
            List<BadInputs.Maker> makers = BadInputs.of(spec);
            return makers.isEmpty() ? null : makers.get(rng.nextInt(makers.size())).apply(spec, rng);
        }
        OpCase c = spec.make(rng);
        Tensor[] x = c.inputs.clone();
        int i = rng.nextInt(x.length);
        switch (kind) {
            case NULL_INPUT:
                x[i] = null;
                return new Fuzzed("input " + i + " null", x, c.f, null, Fuzzed.Expect.THROW, true,
                        List.of("input " + i));
            case WRONG_SHAPE:
                x[i] = Gen.tensor(rng, randomShape(rng));
                return generic("input " + i + " of a random shape", x, c);
            case EMPTY_AXIS: {
                List<Integer> ranked = new ArrayList<>();
                for (int j = 0; j < x.length; j++) if (x[j].rank() > 0) ranked.add(j);
                if (ranked.isEmpty()) return null;
                int j = ranked.get(rng.nextInt(ranked.size()));
                int[] s = x[j].shape();
                s[rng.nextInt(s.length)] = 0;
                x[j] = Tensor.zeros(s);
                return generic("input " + j + " with an empty axis", x, c);
            }
            case ZERO_D:
                x[i] = Tensor.scalar(Gen.value(rng, Gen.Domain.REAL));
                return generic("input " + i + " 0-d", x, c);
            case NON_FINITE: {
                double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                for (int j = 0; j < x.length; j++) {
                    double[] d = x[j].toArray();
                    for (int q = 0; q < d.length; q++) if (rng.nextInt(3) == 0) d[q] = specials[rng.nextInt(3)];
                    x[j] = Tensor.wrap(d, x[j].shape());
                }
                Fuzzed f = new Fuzzed("NaN and ±∞ values", x, c.f, c.reference, Fuzzed.Expect.RESULT, false, List.of());
                f.nonFinite = true;
                return f;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** A mutation that may or may not leave the instance valid: the shapes name the fault if it throws. */
    private static Fuzzed generic(String label, Tensor[] x, OpCase c) {
        return new Fuzzed(label + " (" + c.params + ")", x, c.f, c.reference, Fuzzed.Expect.EITHER, false,
                Fuzzed.shapesOf(x));
    }

    /** Rank 0 to 4, sizes 0 to 5: wrong ranks, non-broadcastable and empty shapes all come up. */
    static int[] randomShape(Random rng) {
        int[] s = new int[rng.nextInt(5)];
        for (int d = 0; d < s.length; d++) s[d] = rng.nextInt(8) == 0 ? 0 : 1 + rng.nextInt(5);
        return s;
    }

    static void check(OpSpec spec, Kind kind, Fuzzed f) {
        String op = opName(spec);
        String where = spec.name + ", " + kind + ": " + f;
        Tensor y;
        try {
            y = f.call.apply(f.inputs);
        } catch (Throwable e) {
            assertNamed(op, f, e, where);
            return;
        }
        if (f.expect == Fuzzed.Expect.THROW) {
            fail(where + ": accepted, returning shape " + Shapes.str(y.shape()));
        }
        Tensor expected;
        try {
            expected = f.reference.apply(f.inputs);
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": returned shape " + Shapes.str(y.shape()) + " where the reference fails: "
                    + e, e);
        }
        compare(expected, y, spec.tolerance, f.nonFinite, where);
        if (!f.nonFinite) derivativesRun(f, y, where);
    }

    private static void assertNamed(String op, Fuzzed f, Throwable e, String where) {
        boolean allowed = NAMED.contains(e.getClass()) || (f.nullArgument && e.getClass() == NullPointerException.class);
        if (!allowed) throw new AssertionError(where + ": a raw " + e, e);
        if (f.expect == Fuzzed.Expect.RESULT) throw new AssertionError(where + ": a valid input refused: " + e, e);
        String m = e.getMessage();
        if (m == null || !m.startsWith(op + ":")) throw new AssertionError(where + ": message does not name '" + op + "': " + m, e);
        if (f.culprits.isEmpty()) return;
        for (String c : f.culprits) if (m.contains(c)) return;
        throw new AssertionError(where + ": message names none of " + f.culprits + ": " + m, e);
    }

    /**
     * Element by element: equal shapes; NaN for NaN and the same infinities; finite values within the row's
     * tolerance. With non-finite inputs, a NaN result may stand for anything.
     */
    static void compare(Tensor expected, Tensor actual, double tol, boolean nonFinite, String where) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> where + ": shape");
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            boolean ok;
            if (Double.isNaN(a)) ok = Double.isNaN(e) || nonFinite;
            else if (!Double.isFinite(e) || !Double.isFinite(a)) ok = e == a;
            else ok = Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
            if (!ok) {
                fail(where + ": element " + i + " is " + a + ", the reference says " + e + " (result "
                        + actual + ", reference " + expected + ")");
            }
        }
    }

    /** A valid result's gradients and tangents exist and have the inputs' and the output's shapes. */
    private static void derivativesRun(Fuzzed f, Tensor y, String where) {
        Tensor[] vars = new Tensor[f.inputs.length];
        for (int i = 0; i < vars.length; i++) vars[i] = f.inputs[i].copy().requiresGrad();
        try (Tape tape = Tape.open()) {
            Tensor[] g = tape.gradient(Ops.sum(f.call.apply(vars)), vars);
            for (int i = 0; i < g.length; i++) {
                int k = i;
                assertArrayEquals(vars[i].shape(), g[i].shape(), () -> where + ": gradient " + k);
            }
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": backward failed on a valid input: " + e, e);
        }
        Tensor[] tangents = new Tensor[f.inputs.length];
        for (int i = 0; i < tangents.length; i++) tangents[i] = Tensor.ones(f.inputs[i].shape());
        try {
            Tensor t = ForwardMode.jvp(in -> new Tensor[] {f.call.apply(in)}, f.inputs, tangents).tangent();
            assertArrayEquals(y.shape(), t.shape(), () -> where + ": tangent");
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": forward mode failed on a valid input: " + e, e);
        }
    }
}
