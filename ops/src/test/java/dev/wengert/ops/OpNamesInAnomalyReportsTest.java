package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Anomaly;
import dev.wengert.core.AnomalyException;
import dev.wengert.core.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The first op that lets a NaN through is named in anomaly mode, whichever op it is. */
class OpNamesInAnomalyReportsTest {

    private static void names(String op, Supplier<Tensor> apply) {
        try (Anomaly.Scope a = Anomaly.enable()) {
            AnomalyException e = assertThrows(AnomalyException.class, apply::get);
            assertTrue(e.getMessage().startsWith("anomaly: op '" + op + "' produced NaN"), e.getMessage());
        }
    }

    @Test
    void everyStructuralAndPiecewiseOpIsNamed() {
        Tensor nan = Tensor.of(new double[] {1, Double.NaN, 3, 4}, 2, 2);
        Tensor ones = Tensor.ones(2, 2);
        names("abs", () -> Ops.abs(nan));
        names("relu", () -> Ops.relu(nan));
        names("maximum", () -> Ops.maximum(nan, ones));
        names("minimum", () -> Ops.minimum(nan, ones));
        names("max", () -> Ops.max(nan, 1));
        names("matmul", () -> Ops.matmul(nan, ones));
        names("slice", () -> Ops.slice(nan, 1, 1, 2));
        names("unslice", () -> new Unslice(1, 1, 1, 3).apply(nan));
        names("transpose", () -> Ops.transpose(nan));
        names("concat", () -> Ops.concat(0, nan, ones));
        names("gather", () -> Ops.gather(nan, 1, 1));
        names("scatterAdd", () -> new ScatterAdd(1, new int[] {2, 0}, new int[] {2}, 3).apply(nan));
        names("where", () -> Ops.where(Tensor.ones(2, 2), nan, ones));
        names("reshape", () -> Ops.reshape(nan, 4));
        names("broadcastTo", () -> Ops.broadcastTo(Tensor.vector(Double.NaN), 3));
        names("sumTo", () -> Ops.sumTo(nan, 1, 2));
        names("sub", () -> Ops.sub(nan, ones));
        names("mul", () -> Ops.mul(nan, ones));
        names("div", () -> Ops.div(nan, ones));
        names("pow", () -> Ops.pow(nan, ones));
        names("neg", () -> Ops.neg(nan));
        names("exp", () -> Ops.exp(nan));
        names("log", () -> Ops.log(nan));
        names("sqrt", () -> Ops.sqrt(nan));
        names("tanh", () -> Ops.tanh(nan));
        names("sigmoid", () -> Ops.sigmoid(nan));
        names("sum", () -> Ops.sum(nan, 1));
        names("mean", () -> Ops.mean(nan, 1));
        names("logSumExp", () -> Ops.logSumExp(nan, 1));
        names("softmax", () -> Ops.softmax(nan, 1));
        names("logSoftmax", () -> Ops.logSoftmax(nan, 1));
        names("copy", () -> dev.wengert.ops.CustomOp.named("copy").forward(x -> x[0].copy()).build().apply(nan));
    }

    @Test
    void theScalarFormsOfTheFacadeApplyTheirOps() {
        Tensor x = Tensor.vector(-1, 2, 5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, 2, 5}, Ops.maximum(x, 0.5).data(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {-1, 0.5, 0.5}, Ops.minimum(x, 0.5).data(), 0.0);
        Tensor m = Tensor.of(new double[] {3, -1, 4, 1, -5, 9}, 2, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {-1, -5}, Ops.min(m, 1).data(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, -5, 4}, Ops.min(m, 0).data(), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(-5.0, Ops.min(m).item());
    }
}
