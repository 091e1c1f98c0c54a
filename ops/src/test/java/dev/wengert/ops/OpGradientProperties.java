package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.GradCheck;
import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every primitive, through its spec table row, on generated shapes and values: forward against an
 * independent reference; VJP and JVP against central finite differences; VJP against JVP (the
 * dot-product test); the Hessian-vector product of a recorded backward pass against finite
 * differences of gradients. Coverage checks make sure every row was exercised.
 */
class OpGradientProperties {
    private static final int TRIES = 600;
    /** Forward values are compared with the reference up to rounding of reordered sums. */
    private static final double FORWARD_TOLERANCE = 1e-12;

    @Provide
    Arbitrary<OpCase> cases() {
        Arbitrary<OpSpec> spec = Arbitraries.of(SpecTable.ALL);
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(spec, seed).as((s, l) -> s.make(new Random(l)));
    }

    private static void count(OpCase c) {
        Statistics.collect(c.spec.name);
    }

    private static void coverage() {
        Statistics.coverage(cov -> {
            for (OpSpec s : SpecTable.ALL) {
                cov.check(s.name).count(n -> n > 0);
            }
        });
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void forwardMatchesReference(@ForAll("cases") OpCase c) {
        count(c);
        Tensor y = c.f.apply(c.inputs);
        Tensor expected = c.reference.apply(c.inputs);
        assertArrayEquals(expected.shape(), y.shape(), () -> "shape of " + c);
        for (int i = 0; i < y.size(); i++) {
            double a = y.data()[i];
            double b = expected.data()[i];
            assertTrue(a == b || Math.abs(a - b) <= FORWARD_TOLERANCE * Math.max(1, Math.abs(b)),
                    "element " + i + ": " + a + " vs reference " + b + " in " + c);
        }
        coverage();
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void vjpMatchesFiniteDifferences(@ForAll("cases") OpCase c) {
        count(c);
        check(c).checkVjp().assertPassed();
        coverage();
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void jvpMatchesFiniteDifferences(@ForAll("cases") OpCase c) {
        count(c);
        check(c).checkJvp().assertPassed();
        coverage();
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void vjpAgreesWithJvp(@ForAll("cases") OpCase c) {
        count(c);
        check(c).checkVjpAgainstJvp().assertPassed();
        coverage();
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void hessianVectorProductMatchesFiniteDifferences(@ForAll("cases") OpCase c) {
        count(c);
        if (c.spec.secondOrder) check(c).checkSecondOrder().assertPassed();
        coverage();
    }

    private static GradCheck check(OpCase c) {
        return GradCheck.of(c.f, c.inputs).tolerance(c.spec.tolerance).step(c.spec.step);
    }

    /** The special values of every row: exact outputs and gradients at chosen points (kinks, overflow). */
    @TestFactory
    java.util.stream.Stream<DynamicTest> specialValues() {
        return SpecTable.ALL.stream().flatMap(spec -> spec.specials.stream().map(sp -> DynamicTest.dynamicTest(
                spec.name + ": " + sp.label, () -> {
                    Tensor[] vars = new Tensor[sp.inputs.length];
                    for (int i = 0; i < vars.length; i++) vars[i] = sp.inputs[i].detach().requiresGrad();
                    try (Tape tape = Tape.open()) {
                        Tensor y = sp.f.apply(vars);
                        assertEquals(sp.expected.length, y.size(), "output size");
                        for (int i = 0; i < y.size(); i++) {
                            assertEquals(sp.expected[i], y.data()[i], 1e-12 * Math.max(1, Math.abs(sp.expected[i])),
                                    "output " + i);
                        }
                        if (sp.expectedGrad != null) {
                            Tensor[] g = tape.gradient(new Tensor[] {y}, new Tensor[] {Tensor.ones(y.shape())}, vars);
                            for (int i = 0; i < vars.length; i++) {
                                for (int j = 0; j < g[i].size(); j++) {
                                    double e = sp.expectedGrad[i][j];
                                    assertEquals(e, g[i].data()[j], 1e-12 * Math.max(1, Math.abs(e)),
                                            "gradient of input " + i + " element " + j);
                                    assertTrue(Double.isFinite(g[i].data()[j]), "finite gradient");
                                }
                            }
                        }
                    }
                })));
    }

    static String names() {
        return SpecTable.ALL.stream().map(s -> s.name).collect(Collectors.joining(", "));
    }
}
