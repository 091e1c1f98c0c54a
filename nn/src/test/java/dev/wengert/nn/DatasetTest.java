package dev.wengert.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.ShapeException;
import dev.wengert.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static final long SEED = 8;

    private static Dataset numbered(int n) {
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = i;
            x[i][1] = -i;
            y[i] = i % 3;
        }
        return Dataset.of(Tensor.matrix(x), y);
    }

    private static List<int[]> epoch(Dataset d, int batch, Random rng) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : d.batches(batch, rng)) {
            int[] rows = new int[b.size()];
            for (int i = 0; i < rows.length; i++) rows[i] = (int) b.x().get(i, 0);
            assertArrayEquals(rows, b.indices(), "the batch holds the rows it names");
            for (int i = 0; i < rows.length; i++) assertEquals(rows[i] % 3, b.labels()[i]);
            out.add(rows);
        }
        return out;
    }

    @Test
    void everyEpochCoversEachRowOnceInANewSeededOrder() {
        Dataset d = numbered(23);
        Random rng = new Random(SEED);
        List<int[]> e1 = epoch(d, 5, rng);
        List<int[]> e2 = epoch(d, 5, rng);
        assertEquals(5, e1.size());
        assertEquals(3, e1.get(4).length, "the last batch holds the remainder");
        int[] all1 = e1.stream().flatMapToInt(Arrays::stream).toArray();
        int[] all2 = e2.stream().flatMapToInt(Arrays::stream).toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), Arrays.stream(all1).sorted().toArray());
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), Arrays.stream(all2).sorted().toArray());
        assertFalse(Arrays.equals(all1, all2), "reshuffled between epochs");
        Random again = new Random(SEED);
        assertArrayEquals(all1, epoch(d, 5, again).stream().flatMapToInt(Arrays::stream).toArray(), "seeded");
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(),
                epoch(d, 7, null).stream().flatMapToInt(Arrays::stream).toArray(), "null keeps the order");
    }

    @Test
    void splitIsADisjointSeededPartition() {
        Dataset d = numbered(50);
        Dataset[] p = d.split(40, 3);
        assertEquals(40, p[0].size());
        assertEquals(10, p[1].size());
        Set<Double> seen = new HashSet<>();
        for (Dataset part : p) for (double v : part.inputs().data()) if (v >= 0) seen.add(v);
        assertEquals(50, seen.size());
        assertArrayEquals(p[1].inputs().data(), d.split(40, 3)[1].inputs().data(), 0);
        assertFalse(Arrays.equals(p[1].inputs().data(), d.split(40, 4)[1].inputs().data()));
    }

    @Test
    void codebooksMakeTargetsFromLabels() {
        double[][] bin = Dataset.binaryCode(10, 4);
        assertArrayEquals(new double[] {0, 0, 0, 0}, bin[0], 0);
        assertArrayEquals(new double[] {0, 0, 0, 1}, bin[1], 0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, bin[9], 0);
        Dataset d = numbered(4).withTargets(Dataset.oneHot(3));
        Batch b = d.batch(new int[] {2, 3});
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, b.targets().data(), 0);
        assertThrows(IllegalArgumentException.class, () -> Dataset.binaryCode(10, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> numbered(4).withTargets(Dataset.oneHot(2)));
    }

    @Test
    void bytesAreScaledAndShapesChecked() {
        Dataset d = Dataset.ofBytes(new byte[] {0, (byte) 255, (byte) 128, 1}, 2, 1 / 255.0, new int[] {4, 5});
        assertArrayEquals(new double[] {0, 1, 128 / 255.0, 1 / 255.0}, d.inputs().data(), 1e-15);
        assertEquals(5, d.head(2).label(1));
        assertThrows(ShapeException.class, () -> Dataset.ofBytes(new byte[5], 2, 1, new int[2]));
        assertThrows(ShapeException.class, () -> Dataset.of(Tensor.zeros(3, 2), new int[2]));
        assertThrows(ShapeException.class, () -> Dataset.of(Tensor.zeros(3, 2), Tensor.zeros(2, 1)));
        assertTrue(Dataset.of(Tensor.zeros(3, 2), Tensor.zeros(3, 1)).hasTargets());
    }

    @Test
    void metricsDecodeOutputs() {
        Tensor out = Tensor.matrix(new double[][] {{0.1, 0.9, 0.3}, {2, 2, 1}});
        assertArrayEquals(new int[] {1, 0}, Metrics.argmax(out), "ties go to the first");
        Tensor codes = Tensor.matrix(new double[][] {{0.1, 0.2, 0.9, 0.6}, {0.9, 0.6, 0.1, 0.8}});
        assertArrayEquals(new int[] {3, 13}, Metrics.thresholdCode(codes, 0.5));
        assertArrayEquals(new int[] {3, 9}, Metrics.nearestCode(codes, Dataset.binaryCode(10, 4)));
        assertEquals(0.5, Metrics.accuracy(new int[] {1, 2}, new int[] {1, 3}), 0);
    }
}
