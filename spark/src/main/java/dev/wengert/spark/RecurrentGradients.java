package dev.wengert.spark;

import dev.wengert.core.Tensor;
import dev.wengert.rnn.RecurrentNet;
import dev.wengert.rnn.SequenceGradient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The gradient of a recurrent network over a batch of sequences spread over an RDD's partitions. Each task stacks its
 * sequences into one batch ({@code [b, m]} per step), runs the chosen {@link RecurrentMethod} inside the task with the
 * broadcast parameters, and the per-partition gradients and losses are added. Because the sequence loss is a sum over
 * sequences ({@link SequenceLoss}), the result is the gradient of the whole batch:
 * <pre>  ∇_θ L = Σ_p ∇_θ Σ_{b ∈ p} Σ_t ℓ_t(y_{t,b}),</pre>
 * equal to one machine's to rounding (the tests: ≤ 1e-12 relative for BPTT, TBPTT and RTRL). Sequences are
 * independent, so this is embarrassingly parallel: per step, the driver sends p doubles and receives p per partition
 * (through the tree). Apply it with any nn optimiser: {@code optimizer.step(gradient.gradients())}.
 */
public final class RecurrentGradients {
    private RecurrentGradients() {}

    /**
     * The gradient at the parameters of {@code net}.
     *
     * @param sc          the Spark context
     * @param net         the driver's network, whose parameters are broadcast
     * @param factory     builds the same architecture on executors
     * @param data        the sequences: all of one length T, with targets at the same steps
     * @param method      BPTT, TBPTT(k) or RTRL
     * @param loss        the step loss, summed over the sequences
     * @param aggregation how the partitions' gradients are added
     * @return the summed loss and the gradient, aligned with {@code net.parameters()} (no final state)
     * @throws IllegalArgumentException naming the sequences whose lengths, widths or loss steps differ, or the empty data
     * @throws IllegalStateException    when a task fails for good
     */
    public static SequenceGradient compute(JavaSparkContext sc, RecurrentNet net, ModelFactory<RecurrentNet> factory,
            JavaRDD<SequenceExample> data, RecurrentMethod method, SequenceLoss loss, Aggregation aggregation) {
        if (sc == null || net == null || factory == null || data == null || method == null || loss == null
                || aggregation == null) {
            throw new NullPointerException("recurrentGradients.compute: an argument is null (sc " + (sc != null) + ", net "
                    + (net != null) + ", factory " + (factory != null) + ", data " + (data != null) + ", method "
                    + (method != null) + ", loss " + (loss != null) + ", aggregation " + (aggregation != null) + ")");
        }
        ParameterLayout layout = ParameterLayout.of(net);
        Broadcast<double[]> params = sc.broadcast(layout.readParameters(null));
        String run = UUID.randomUUID().toString();
        Contribution sum;
        try {
            JavaRDD<Contribution> parts = data.mapPartitions(it -> task(it, run, factory, method, loss, params.value()), true);
            sum = DataParallelTrainer.call(() -> aggregation == Aggregation.ORDERED
                    ? parts.collect().stream().reduce(new Contribution(), Contribution::merge)
                    : parts.treeAggregate(new Contribution(), Contribution::merge, Contribution::merge, 2),
                    "recurrent gradient (" + method + ")");
        } catch (IllegalStateException e) {
            // A shape problem found inside a task is the caller's bad input: report it as such.
            if (e.getMessage().contains("IllegalArgumentException: recurrentGradients")) {
                throw new IllegalArgumentException(e.getMessage().substring(e.getMessage().indexOf("recurrentGradients")), e);
            }
            throw e;
        } finally {
            params.destroy();
        }
        if (sum.isEmpty()) throw new IllegalArgumentException("recurrentGradients.compute: the data RDD has no sequences");
        return new SequenceGradient(sum.loss, layout.split(sum.vector), null);
    }

    private static Iterator<Contribution> task(Iterator<SequenceExample> it, String run,
            ModelFactory<RecurrentNet> factory, RecurrentMethod method, SequenceLoss loss, double[] params) {
        List<SequenceExample> seqs = new ArrayList<>();
        it.forEachRemaining(seqs::add);
        Contribution c = new Contribution();
        if (seqs.isEmpty()) return List.of(c).iterator();
        long t0 = System.nanoTime();
        SequenceExample first = seqs.get(0);
        int steps = first.length();
        int m = first.inputs()[0].length;
        int b = seqs.size();
        Tensor[] xs = new Tensor[steps];
        Tensor[] targets = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            double[] x = new double[b * m];
            double[] y = null;
            int k = first.targets()[t] == null ? 0 : first.targets()[t].length;
            if (first.targets()[t] != null) y = new double[b * k];
            for (int i = 0; i < b; i++) {
                SequenceExample s = seqs.get(i);
                if (s.length() != steps || s.inputs()[t].length != m) {
                    throw new IllegalArgumentException("recurrentGradients: a sequence of " + s.length() + " steps of width "
                            + s.inputs()[Math.min(t, s.length() - 1)].length + " among sequences of " + steps
                            + " steps of width " + m);
                }
                double[] target = s.targets()[t];
                if ((target == null) != (y == null) || (target != null && target.length != k)) {
                    throw new IllegalArgumentException("recurrentGradients: sequences differ in the target of step " + t
                            + " (" + (target == null ? "none" : target.length + " values") + " against "
                            + (y == null ? "none" : k + " values") + ")");
                }
                System.arraycopy(s.inputs()[t], 0, x, i * m, m);
                if (y != null) System.arraycopy(target, 0, y, i * k, k);
            }
            xs[t] = Tensor.wrap(x, b, m);
            targets[t] = y == null ? null : Tensor.wrap(y, b, k);
        }
        Worker w = Worker.get(run, factory);
        w.layout.writeParameters(params);
        SequenceGradient g = method.gradient((RecurrentNet) w.module, xs, loss.of(targets));
        double[] flat = w.vector;
        int off = 0;
        for (Tensor gi : g.gradients()) {
            System.arraycopy(gi.data(), 0, flat, off, gi.size());
            off += gi.size();
        }
        c.vector = flat;
        c.loss = g.loss();
        c.count = b;
        c.computeNanos = System.nanoTime() - t0;
        return List.of(c).iterator();
    }
}
