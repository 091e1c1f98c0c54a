package dev.wengert.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.nn.Activation;
import dev.wengert.nn.Adam;
import dev.wengert.nn.Dataset;
import dev.wengert.nn.Loss;
import dev.wengert.nn.Mlp;
import dev.wengert.nn.Schedule;
import dev.wengert.nn.Sequential;
import dev.wengert.nn.Trainer;
import dev.wengert.ops.kernel.Gemm;
import dev.wengert.rnn.bptt.Bptt;
import dev.wengert.rnn.online.OnlineLearning;
import dev.wengert.rnn.rtrl.LstmRtrl;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded training run ends with the same parameter bits in every JVM: interpreted, C1 only or C2, one
 * Gemm thread or two, with or without the Vector API, another vector width, JDK 17 or 25. Each
 * configuration runs {@link #main} in a child JVM (the same java binary and classpath), which trains
 *
 * <ul>
 *   <li>an MLP (tanh, sigmoid and ReLU layers, softmax cross-entropy) with Adam and a cosine schedule,
 *       through {@link Trainer}, on generated data; its 128×128 layer is large enough for Gemm to split
 *       its products over threads;</li>
 *   <li>an LSTM with a readout by BPTT and Adam;</li>
 *   <li>an LSTM online by exact RTRL ({@link LstmRtrl}: the raw-array step kernels, split over threads);</li>
 * </ul>
 *
 * and prints a SHA-256 of all final parameter bits per run. The interpreter is far too slow for the full
 * runs, so every JVM also trains small versions of the three, after the full ones (so that in the other
 * JVMs the small runs execute compiled code); all JVMs are compared on those.
 */
class ReproducibilityTest {
    static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private record Config(String name, String java, List<String> options, boolean full) {}

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** Runs {@link #main} in a child JVM; returns run name → parameter hash. */
    private static Map<String, String> hashes(Config c) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(c.java());
        cmd.addAll(c.options());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ReproducibilityTest.class.getName());
        cmd.add(c.full() ? "full" : "small");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), c.name() + ": " + cmd + "\n" + text);
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals("RUN")) h.put(f[1], f[2]);
        }
        assertTrue(h.containsKey("mlp-small"), c.name() + " printed no hashes:\n" + text);
        return h;
    }

    @Test
    void seededTrainingEndsWithTheSameBitsInEveryJvm() throws Exception {
        String java = currentJava();
        List<Config> configs = new ArrayList<>(List.of(
                new Config("default, with the Vector API", java, List.of(VECTOR), true),
                new Config("-Xint", java, List.of(VECTOR, "-Xint"), false),
                new Config("C1 only", java, List.of(VECTOR, "-XX:TieredStopAtLevel=1"), false),
                new Config("1 thread", java, List.of(VECTOR, "-Dwengert.threads=1"), true),
                new Config("2 threads", java, List.of(VECTOR, "-Dwengert.threads=2"), true),
                new Config("4 lanes (AVX2 width: other Gemm tile and blocking)", java,
                        List.of(VECTOR, "-Dwengert.vector.bits=256"), true),
                new Config("without the Vector API", java, List.of(), true)));
        if (Files.isExecutable(Path.of(TEMURIN_25))) {
            configs.add(new Config("Temurin 25, with the Vector API", TEMURIN_25, List.of(VECTOR), true));
            configs.add(new Config("Temurin 25, without the Vector API", TEMURIN_25, List.of(), true));
        } else {
            System.out.println("ReproducibilityTest: " + TEMURIN_25 + " not present; the JDK 25 runs are skipped");
        }
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (Config c : configs) all.put(c.name(), hashes(c));
        Map<String, String> reference = all.get(configs.get(0).name());
        assertEquals(6, reference.size(), reference.toString());
        for (var e : all.entrySet()) {
            for (var run : e.getValue().entrySet()) {
                assertEquals(reference.get(run.getKey()), run.getValue(),
                        "run " + run.getKey() + " in the JVM '" + e.getKey() + "' differs from '" + configs.get(0).name()
                                + "': " + all);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The child JVM.

    /** Child entry point: {@code full} (all runs) or {@code small} (the small runs only). */
    public static void main(String[] args) throws NoSuchAlgorithmException {
        if (args[0].equals("full")) {
            print("mlp", mlp(16, 128, 640, 64, 30));
            print("lstm-bptt", lstmBptt(3, 16, 12, 8, 40));
            print("lstm-rtrl", lstmRtrl(3, 8, 2, 100));
        }
        print("mlp-small", mlp(8, 16, 64, 16, 2));
        print("lstm-bptt-small", lstmBptt(2, 4, 4, 2, 3));
        print("lstm-rtrl-small", lstmRtrl(2, 4, 1, 6));
    }

    private static void print(String run, List<Tensor> params) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Tensor t : params) {
            for (double v : t.data()) {
                long bits = Double.doubleToRawLongBits(v);
                for (int b = 0; b < 8; b++) sha.update((byte) (bits >>> (8 * b)));
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) hex.append(String.format("%02x", b));
        System.out.println("RUN " + run + " " + hex);
    }

    /** Four Gaussian classes in {@code inputs} dimensions. */
    private static Dataset data(int inputs, int n, Random rng) {
        double[][] x = new double[n][inputs];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(4);
            for (int j = 0; j < inputs; j++) x[i][j] = rng.nextGaussian() + (j % 4 == y[i] ? 1.5 : 0);
        }
        return Dataset.of(Tensor.matrix(x), y);
    }

    /** inputs → width tanh → width sigmoid → 32 ReLU → 4, Adam with a cosine schedule: n / batch steps per epoch. */
    static List<Tensor> mlp(int inputs, int width, int n, int batch, int epochs) {
        Random rng = new Random(3);
        Dataset d = data(inputs, n, rng);
        Sequential net = Mlp.builder(inputs).hidden(width, Activation.tanh()).hidden(width, Activation.sigmoid())
                .hidden(32, Activation.relu()).output(4).build(rng);
        Trainer.of(net, new Adam(net.parameters(), 2e-3), (out, b) -> Loss.crossEntropy(out, b.labels()))
                .epochs(epochs).batchSize(batch).seed(5).schedule(Schedule.cosine(2e-3, 1e-4, epochs)).fit(d);
        return net.parameters();
    }

    /** An LSTM(m → n) with a 3-class readout, cross-entropy at every step, by BPTT with Adam. */
    static List<Tensor> lstmBptt(int m, int n, int T, int batch, int iterations) {
        Random rng = new Random(7);
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(m, n, rng), 3, rng);
        Adam opt = new Adam(net.parameters(), 0.01);
        for (int it = 0; it < iterations; it++) {
            Tensor[] xs = Fixtures.inputs(T, batch, m, rng);
            opt.step(Bptt.gradient(net, null, xs, Fixtures.crossEntropy(T, batch, 3, rng)).gradients());
        }
        return net.parameters();
    }

    /** An LSTM(m → n) with a readout, learning online by exact RTRL on {@link Gemm#threads()} threads. */
    static List<Tensor> lstmRtrl(int m, int n, int batch, int steps) {
        Random rng = new Random(11);
        RecurrentNet net = RecurrentNet.withReadout(new LstmCell(m, n, rng), 2, rng);
        Tensor[] xs = Fixtures.inputs(steps, batch, m, rng);
        OnlineLearning.run(new LstmRtrl(net, batch, Gemm.threads()), new Adam(net.parameters(), 0.005), xs, 0, steps,
                Fixtures.squaredError(steps, batch, 2, rng));
        return net.parameters();
    }
}
