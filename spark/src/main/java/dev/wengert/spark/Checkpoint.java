package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.nn.io.SafeTensors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A training run's state between two rounds, as one safetensors file (written atomically by
 * {@link SafeTensors#save}: a temporary file moved over the target): the model's parameters and buffers (tensors
 * {@code model/<name>}), the optimiser's state ({@code optimizer/<name>}), and as metadata the number of global
 * batches done, the epoch and the batch within it, the shuffling generator's state at the start of that epoch, the
 * learning rate, the running sums of the epoch's loss, and the settings a resumed run must share (examples, batch
 * size, seed, local steps). Files are named {@code checkpoint-<step>.safetensors}; {@link #latest} picks the newest.
 *
 * @param step          the number of global batches trained on
 * @param epoch         the epoch of the last batch trained on (from 0)
 * @param batch         the next batch within that epoch (its batch count when the epoch is complete)
 * @param rng           the shuffling generator as it was at the start of {@code epoch}
 * @param learningRate  the optimiser's learning rate
 * @param epochLossSum  Σ loss × examples over the epoch's batches so far
 * @param epochSeen     the examples of the epoch so far
 * @param model         the model's parameters and buffers by name
 * @param optimizer     the optimiser's state by name
 * @param settings      the settings the run was started with, by name
 */
public record Checkpoint(long step, int epoch, int batch, Random rng, double learningRate, double epochLossSum,
        long epochSeen, Map<String, Tensor> model, Map<String, double[]> optimizer, Map<String, String> settings) {
    private static final String MODEL = "model/";
    private static final String OPTIMIZER = "optimizer/";
    private static final String SETTING = "setting.";

    /**
     * The file name of the checkpoint after {@code step} batches.
     *
     * @param step the step
     * @return {@code checkpoint-<step, 12 digits>.safetensors}
     */
    public static String fileName(long step) {
        return String.format("checkpoint-%012d.safetensors", step);
    }

    /**
     * Writes this checkpoint into {@code dir} (created if needed), atomically.
     *
     * @param dir the checkpoint folder
     * @return the file written
     * @throws UncheckedIOException when it cannot be written
     */
    public Path write(Path dir) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.entrySet()) tensors.put(MODEL + e.getKey(), e.getValue());
        for (Map.Entry<String, double[]> e : optimizer.entrySet()) {
            tensors.put(OPTIMIZER + e.getKey(), Tensor.of(e.getValue().clone(), e.getValue().length));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "wengert-spark-checkpoint-1");
        meta.put("step", Long.toString(step));
        meta.put("epoch", Integer.toString(epoch));
        meta.put("batch", Integer.toString(batch));
        meta.put("rng", encode(rng));
        // Doubles as their exact bits: a decimal round trip would do too, but the bits say so at a glance.
        meta.put("learning_rate", Long.toHexString(Double.doubleToRawLongBits(learningRate)));
        meta.put("epoch_loss_sum", Long.toHexString(Double.doubleToRawLongBits(epochLossSum)));
        meta.put("epoch_seen", Long.toString(epochSeen));
        for (Map.Entry<String, String> e : settings.entrySet()) meta.put(SETTING + e.getKey(), e.getValue());
        Path file = dir.resolve(fileName(step));
        SafeTensors.save(file, tensors, meta);
        return file;
    }

    /**
     * Reads a checkpoint file.
     *
     * @param file a file {@link #write} wrote
     * @return the checkpoint
     * @throws IllegalArgumentException naming the file and the entry when it is not such a checkpoint
     */
    public static Checkpoint read(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!"wengert-spark-checkpoint-1".equals(meta.get("format"))) {
            throw new IllegalArgumentException("checkpoint.read: " + file + " is not a Wengert Spark checkpoint (format "
                    + meta.get("format") + ")");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, double[]> optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            if (e.getKey().startsWith(MODEL)) model.put(e.getKey().substring(MODEL.length()), e.getValue());
            else if (e.getKey().startsWith(OPTIMIZER)) optimizer.put(e.getKey().substring(OPTIMIZER.length()), e.getValue().toArray());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith(SETTING)) settings.put(e.getKey().substring(SETTING.length()), e.getValue());
        }
        try {
            return new Checkpoint(Long.parseLong(meta.get("step")), Integer.parseInt(meta.get("epoch")),
                    Integer.parseInt(meta.get("batch")), decode(meta.get("rng"), file),
                    Double.longBitsToDouble(Long.parseUnsignedLong(meta.get("learning_rate"), 16)),
                    Double.longBitsToDouble(Long.parseUnsignedLong(meta.get("epoch_loss_sum"), 16)),
                    Long.parseLong(meta.get("epoch_seen")), model, optimizer, settings);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("checkpoint.read: " + file + " has missing or malformed metadata " + meta.keySet(), e);
        }
    }

    /**
     * The checkpoint with the most steps in {@code dir}, or null when there is none.
     *
     * @param dir the checkpoint folder
     * @return its newest checkpoint file, or null
     * @throws UncheckedIOException when the folder cannot be listed
     */
    public static Path latest(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            // Zero-padded step numbers: the names sort as the steps do.
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("checkpoint-") && n.endsWith(".safetensors");
            }).max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint.latest: cannot list " + dir, e);
        }
    }

    private static String encode(Random rng) {
        // java.util.Random is Serializable and its serial form is its 48-bit state: the exact generator.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rng);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot serialise the generator", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Random decode(String s, Path file) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            // A checkpoint is data: nothing but the generator may be deserialised from it.
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.Random;!*"));
            return (Random) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("checkpoint.read: " + file + " has a malformed generator state", e);
        }
    }

    /**
     * A copy of a generator, state included.
     *
     * @param rng the generator
     * @return an independent generator in the same state
     */
    static Random copy(Random rng) {
        return decode(encode(rng), Path.of("(copy)"));
    }
}
