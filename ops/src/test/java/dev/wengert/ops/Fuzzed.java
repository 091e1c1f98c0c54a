package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One bad or extreme call of an op, for {@link BadInputProperties}: its inputs, the call (parameters
 * baked in), what it must do, and the fragments of which a message must contain at least one: the
 * argument or value at fault.
 */
final class Fuzzed {
    /** What the call must do. */
    enum Expect {
        /** Throw a named exception: the input is invalid. */
        THROW,
        /** Return the reference's result: the input is valid, if extreme. */
        RESULT,
        /** Either, as the mutation may or may not have left the input valid. */
        EITHER
    }

    final String label;
    final Tensor[] inputs;
    final Function<Tensor[], Tensor> call;
    /** The result the call must give when it returns; null only with {@link Expect#THROW}. */
    final Function<Tensor[], Tensor> reference;
    final Expect expect;
    final List<String> culprits;
    /** Whether an input is null, the one case where a NullPointerException (with a message) is allowed. */
    final boolean nullArgument;
    /** Whether values are non-finite: NaN may then stand for any non-finite reference value. */
    boolean nonFinite;

    Fuzzed(String label, Tensor[] inputs, Function<Tensor[], Tensor> call, Function<Tensor[], Tensor> reference,
            Expect expect, boolean nullArgument, List<String> culprits) {
        this.label = label;
        this.inputs = inputs;
        this.call = call;
        this.reference = reference;
        this.expect = expect;
        this.nullArgument = nullArgument;
        this.culprits = culprits;
    }

    /** A call that must throw, naming one of {@code culprits}. */
    static Fuzzed bad(String label, Tensor[] inputs, Function<Tensor[], Tensor> call, String... culprits) {
        return new Fuzzed(label, inputs, call, null, Expect.THROW, false, List.of(culprits));
    }

    /** A call with a null argument: it must throw a message naming one of {@code culprits}. */
    static Fuzzed nullArgument(String label, Tensor[] inputs, Function<Tensor[], Tensor> call, String... culprits) {
        return new Fuzzed(label, inputs, call, null, Expect.THROW, true, List.of(culprits));
    }

    /** A valid, extreme call: it must return the reference's result. */
    static Fuzzed valid(String label, Tensor[] inputs, Function<Tensor[], Tensor> call,
            Function<Tensor[], Tensor> reference) {
        return new Fuzzed(label, inputs, call, reference, Expect.RESULT, false, List.of());
    }

    /** The shapes and ranks of the inputs, which a shape error names. */
    static List<String> shapesOf(Tensor[] inputs) {
        List<String> c = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t == null) continue;
            c.add(Shapes.str(t.shape()));
            c.add("rank " + t.rank());
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(label).append(" on ");
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            sb.append(i == 0 ? "" : ", ").append(t == null ? "null" : Shapes.str(t.shape()));
            if (t != null && t.size() <= 8) sb.append(Arrays.toString(t.data()));
        }
        return sb.toString();
    }
}
