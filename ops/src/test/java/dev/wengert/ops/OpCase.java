package dev.wengert.ops;

import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/** One generated instance of an op: its inputs and the function applying it (with its parameters). */
final class OpCase {
    final OpSpec spec;
    final String params;
    final Tensor[] inputs;
    final Function<Tensor[], Tensor> f;
    /** The forward value computed independently (plain loops), for the same parameters. */
    final Function<Tensor[], Tensor> reference;

    OpCase(OpSpec spec, String params, Tensor[] inputs, Function<Tensor[], Tensor> f,
            Function<Tensor[], Tensor> reference) {
        this.spec = spec;
        this.params = params;
        this.inputs = inputs;
        this.f = f;
        this.reference = java.util.Objects.requireNonNull(reference, "every case needs a reference forward");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(spec.name).append(params.isEmpty() ? "" : "(" + params + ")").append(" on ");
        for (int i = 0; i < inputs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Shapes.str(inputs[i].shape()));
        }
        sb.append(" values ");
        for (Tensor t : inputs) sb.append(Arrays.toString(t.data())).append(' ');
        return sb.toString();
    }
}
