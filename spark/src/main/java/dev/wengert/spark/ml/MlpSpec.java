package dev.wengert.spark.ml;

import dev.wengert.nn.Activation;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Sequential;
import dev.wengert.spark.ModelFactory;
import java.util.Arrays;
import java.util.Random;

/**
 * The network the estimator trains: an nn MLP with layer sizes {@code layers} (inputs, hidden layers, classes), the
 * given hidden activation and linear outputs (logits), its initial weights drawn from {@code Random(seed)}.
 *
 * @param layers     at least two sizes, all positive
 * @param activation an {@link Activation#named} name: tanh, relu, sigmoid, ...
 * @param seed       the seed of the initial weights
 */
record MlpSpec(int[] layers, String activation, long seed) implements ModelFactory<Sequential> {
    private static final long serialVersionUID = 1L;

    MlpSpec {
        if (layers == null || layers.length < 2) {
            throw new IllegalArgumentException("wengertClassifier: layers needs at least 2 sizes (inputs, classes), got "
                    + Arrays.toString(layers));
        }
        for (int s : layers) {
            if (s <= 0) throw new IllegalArgumentException("wengertClassifier: layer sizes must be positive, got "
                    + Arrays.toString(layers));
        }
        layers = layers.clone();
    }

    @Override
    public Sequential create() {
        Mlp b = Mlp.builder(layers[0]);
        for (int i = 1; i < layers.length - 1; i++) b.hidden(layers[i], Activation.named(activation));
        return b.output(layers[layers.length - 1]).build(new Random(seed));
    }

    int inputs() {
        return layers[0];
    }

    int classes() {
        return layers[layers.length - 1];
    }
}
