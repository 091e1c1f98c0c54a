package dev.wengert.rnn.internal;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Shapes;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.StepLoss;

/** Checks and small helpers that every gradient algorithm shares. Internal, not API. */
public final class Sequences {
    private Sequences() {}

    /**
     * {@return detached copies of the state's tensors} A new array.
     *
     * @param s a state, one tensor per part
     */
    public static Tensor[] detach(Tensor[] s) {
        Tensor[] out = new Tensor[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[i].detach();
        return out;
    }

    /**
     * {@link #checkInputs(String, RecurrentNet, Tensor[])} and a loss that is not null.
     *
     * @param what the algorithm, as messages name it
     * @param net  the network
     * @param xs   the inputs
     * @param loss the loss
     */
    public static void checkInputs(String what, RecurrentNet net, Tensor[] xs, StepLoss loss) {
        checkInputs(what, net, xs);
        if (loss == null) throw new NullPointerException(what + ": the loss is null");
    }

    /**
     * Checks a network and a sequence of inputs for it: at least one step, each {@code [batch, m]} with the
     * batch of {@code xs[0]}.
     *
     * @param what the algorithm, as messages name it
     * @param net  the network
     * @param xs   the inputs
     */
    public static void checkInputs(String what, RecurrentNet net, Tensor[] xs) {
        if (net == null) throw new NullPointerException(what + ": the network is null");
        if (xs == null || xs.length == 0) throw new IllegalArgumentException(what + ": empty sequence");
        int m = net.cell().inputSize();
        int batch = xs[0].rank() == 2 ? xs[0].dim(0) : -1;
        for (int t = 0; t < xs.length; t++) {
            if (xs[t] == null || !xs[t].hasShape(batch, m)) {
                throw new ShapeException(what + ": input x_" + t + " has shape "
                        + (xs[t] == null ? "null" : Shapes.str(xs[t].shape())) + ", expected [" + batch + "," + m
                        + "] (batch of x_0, inputs of " + net.cell().name() + ")");
            }
        }
    }
}
