package io.github.trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * AdamATan2 as in adam-atan2 0.0.3 (spec 4.1): Adam with {@code atan2(m, √v̂)} in place of
 * {@code m / (√v̂ + ε)}, so there is no epsilon, plus decoupled weight decay on every parameter.
 * A parameter whose gradient is undefined is skipped entirely, decay included, and its step
 * counter does not advance.
 */
final class AdamATan2 {
    /** The moments and step count of one parameter. */
    record Moments(Tensor m, Tensor v, long step) {}

    private final Map<String, Tensor> params;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();

    /** Moments start at zero; {@code params} are the fp32 master weights, updated in place. */
    AdamATan2(Map<String, Tensor> params, double beta1, double beta2, double weightDecay) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        for (var e : params.entrySet()) {
            m.put(e.getKey(), keep(torch.zeros_like(e.getValue())));
            v.put(e.getKey(), keep(torch.zeros_like(e.getValue())));
            steps.put(e.getKey(), 0L);
        }
    }

    /** One update with learning rate {@code lr} from the gradients currently on the parameters. */
    void step(double lr) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (var e : params.entrySet()) {
                String name = e.getKey();
                Tensor p = e.getValue();
                Tensor grad = p.grad();
                if (grad == null || grad.isNull() || !grad.defined()) continue;
                long t = steps.get(name) + 1;
                steps.put(name, t);
                double bc1 = 1 - Math.pow(beta1, t);
                double bc2 = 1 - Math.pow(beta2, t);
                Tensor mt = m.get(name);
                Tensor vt = v.get(name);
                p.mul_(new Scalar(1 - lr * weightDecay));
                mt.lerp_(grad, new Scalar(1 - beta1));
                vt.lerp_(grad.square(), new Scalar(1 - beta2));
                Tensor denom = vt.sqrt().div(new Scalar(Math.sqrt(bc2)));
                p.add_(torch.atan2(mt, denom), new Scalar(-lr / bc1));
            }
        }
    }

    Moments moments(String name) {
        return new Moments(m.get(name), v.get(name), steps.get(name));
    }

    /** Restores one parameter's state from a checkpoint (copies into the existing tensors). */
    void restore(String name, Tensor mSaved, Tensor vSaved, long step) {
        try (NoGradGuard g = new NoGradGuard()) {
            m.get(name).copy_(mSaved);
            v.get(name).copy_(vSaved);
        }
        steps.put(name, step);
    }

    Iterable<String> names() {
        return params.keySet();
    }

    /** Optimizer state outlives any PointerScope the caller has open; the GC frees it with the optimizer. */
    private static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }
}
