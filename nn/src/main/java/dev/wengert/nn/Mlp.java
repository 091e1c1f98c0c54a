package dev.wengert.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds multilayer perceptrons as {@link Sequential}s: each hidden layer is
 * {@code Linear → [BatchNorm] → activation → [Dropout]}, the output layer a {@code Linear} followed by
 * an optional output activation (none by default: losses such as {@link Loss#crossEntropy} take
 * logits). Parameters are named by position: {@code 0.weight}, {@code 0.bias}, ...
 *
 * <pre>{@code
 * Sequential net = Mlp.builder(784).hidden(100, Activation.tanh()).output(10).build(new Random(1));
 * Sequential big = Mlp.builder(784).hidden(512, Activation.relu()).hidden(256, Activation.relu())
 *         .dropout(0.2).init(Init.he()).output(10).build(new Random(1));
 * }</pre>
 */
public final class Mlp {
    private final int inputs;
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private Integer outputs;
    private Activation outputActivation;
    private Init init = Init.normalFanIn();
    private boolean batchNorm;
    private double dropout;

    private Mlp(int inputs) {
        if (inputs <= 0) throw new IllegalArgumentException("mlp: the input size must be positive, got " + inputs);
        this.inputs = inputs;
    }

    /**
     * A builder for a network with {@code inputs} input units.
     *
     * @param inputs the number of input features, &gt; 0
     * @return a new builder: no hidden layers yet, N(0, 1/fanIn) initialisation, no batch norm, no dropout
     */
    public static Mlp builder(int inputs) {
        return new Mlp(inputs);
    }

    /**
     * Appends a hidden layer of {@code units} units with the given activation.
     *
     * @param units      the layer's size, &gt; 0
     * @param activation its activation, not null
     * @return this builder
     */
    public Mlp hidden(int units, Activation activation) {
        if (units <= 0) throw new IllegalArgumentException("mlp: a hidden layer needs a positive size, got " + units);
        if (activation == null) throw new NullPointerException("mlp: the activation of hidden layer " + sizes.size() + " is null");
        sizes.add(units);
        activations.add(activation);
        return this;
    }

    /**
     * The output layer's size (linear, no activation unless {@link #outputActivation} is set).
     *
     * @param units the number of outputs, &gt; 0
     * @return this builder
     */
    public Mlp output(int units) {
        if (units <= 0) throw new IllegalArgumentException("mlp: the output size must be positive, got " + units);
        this.outputs = units;
        return this;
    }

    /**
     * An activation after the output layer (a sigmoid for a squared loss on probabilities, say); null for
     * none.
     *
     * @param activation the activation, or null
     * @return this builder
     */
    public Mlp outputActivation(Activation activation) {
        this.outputActivation = activation;
        return this;
    }

    /**
     * The initialiser of every linear layer (default N(0, 1/fanIn), {@link Init#normalFanIn()}).
     *
     * @param init the initialiser, not null
     * @return this builder
     */
    public Mlp init(Init init) {
        if (init == null) throw new NullPointerException("mlp: init is null");
        this.init = init;
        return this;
    }

    /**
     * Batch norm after each hidden linear layer, before its activation.
     *
     * @return this builder
     */
    public Mlp batchNorm() {
        this.batchNorm = true;
        return this;
    }

    /**
     * Inverted dropout with drop probability p after each hidden activation.
     *
     * @param p the drop probability, in [0, 1); 0 for none
     * @return this builder
     */
    public Mlp dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("mlp: dropout p must be in [0, 1), got " + p);
        this.dropout = p;
        return this;
    }

    /**
     * The network, its weights drawn from {@code rng} (dropout masks from a generator seeded by it).
     *
     * @param rng the generator; the layers' weights are drawn from it in order
     * @return a new network, in training mode
     * @throws IllegalStateException when no output size was set
     */
    public Sequential build(Random rng) {
        if (outputs == null) throw new IllegalStateException("mlp: call output(units) before build");
        if (rng == null) throw new NullPointerException("mlp: rng is null");
        Sequential net = new Sequential();
        int in = inputs;
        for (int l = 0; l < sizes.size(); l++) {
            int out = sizes.get(l);
            net.add(new Linear(in, out, init, rng));
            if (batchNorm) net.add(new BatchNorm(out));
            net.add(activations.get(l));
            if (dropout > 0) net.add(new Dropout(dropout, new Random(rng.nextLong())));
            in = out;
        }
        net.add(new Linear(in, outputs, init, rng));
        if (outputActivation != null) net.add(outputActivation);
        return net;
    }
}
