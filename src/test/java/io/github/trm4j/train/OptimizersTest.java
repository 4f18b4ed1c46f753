package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trm4j.model.Backend;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AdamATan2, sign-SGD and EMA against the worked values of spec section 11. */
class OptimizersTest {
    @BeforeAll
    static void backend() {
        Backend.init();
    }

    @Test
    void adamAtan2ThreeStepsAsInSection11() {
        try (PointerScope scope = new PointerScope()) {
            Tensor theta = torch.ones(1).set_requires_grad(true);
            Tensor idle = torch.ones(1).set_requires_grad(true); // never gets a gradient
            Map<String, Tensor> params = new LinkedHashMap<>(Map.of("theta", theta, "idle", idle));
            AdamATan2 opt = new AdamATan2(params, 0.9, 0.95, 0.1);
            double[] grads = {0.5, -0.25, 0.0};
            double[] expectTheta = {0.999890331348, 0.999853518722, 0.999822529588};
            double[] expectM = {0.05, 0.02, 0.018};
            double[] expectV = {0.0125, 0.015, 0.01425};
            for (int i = 0; i < 3; i++) {
                theta.mutable_grad().put(torch.full(new long[] {1}, new org.bytedeco.pytorch.Scalar(grads[i])));
                opt.step(1e-4);
                assertEquals(expectTheta[i], theta.item_double(), 2e-7, "theta after step " + (i + 1));
                assertEquals(expectM[i], opt.moments("theta").m().item_double(), 1e-7);
                assertEquals(expectV[i], opt.moments("theta").v().item_double(), 1e-7);
            }
            assertEquals(3, opt.moments("theta").step());
            assertEquals(1.0, idle.item_double(), 0, "no gradient: no update, no decay");
            assertEquals(0, opt.moments("idle").step());
        }
    }

    @Test
    void signSgdAsInSection11AndOnlyOnRowsOfTheBatch() {
        try (PointerScope scope = new PointerScope()) {
            Tensor table = torch.full(new long[] {4, 2}, new org.bytedeco.pytorch.Scalar(0.3));
            // slots 0 and 2 share id 1: their gradients are summed before the sign (−0.7 + 0.5 < 0)
            Tensor grad = torch.tensor(new float[] {-0.7f, 0.2f, 0.4f, 0f, 0.5f, -0.3f}).reshape(3, 2);
            SignSgd.step(table, new int[] {1, 3, 1}, grad, 1e-2, 0.1);
            assertEquals(0.3097, table.get(1).get(0).item_double(), 1e-7);
            assertEquals(0.3 * (1 - 1e-3) + 1e-2, table.get(1).get(1).item_double(), 1e-7); // 0.2 − 0.3 < 0
            assertEquals(0.3 * (1 - 1e-3) - 1e-2, table.get(3).get(0).item_double(), 1e-7);
            assertEquals(0.3 * (1 - 1e-3), table.get(3).get(1).item_double(), 1e-7, "sign(0) = 0, decay still applies");
            assertEquals(0.3, table.get(0).get(0).item_double(), 1e-7, "rows absent from the batch keep their value");
            assertEquals(0.3, table.get(2).get(1).item_double(), 1e-7);
        }
    }

    @Test
    void emaStartsAsACopyAndMovesByOneMinusRate() {
        try (PointerScope scope = new PointerScope()) {
            Tensor w = torch.full(new long[] {2}, new org.bytedeco.pytorch.Scalar(1.0));
            Map<String, Tensor> params = Map.of("w", w);
            Ema ema = new Ema(params, 0.999);
            w.fill_(new org.bytedeco.pytorch.Scalar(2.0));
            assertEquals(1.0, ema.weights().get("w").get(0).item_double(), 0, "a copy, not a view");
            ema.update(params);
            assertEquals(0.001 * 2 + 0.999 * 1, ema.weights().get("w").get(0).item_double(), 1e-7);
        }
    }
}
