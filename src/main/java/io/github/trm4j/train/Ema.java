package io.github.trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Exponential moving average of the trainable weights (spec 4.5): a copy taken at the start, then
 * {@code shadow ← (1 − μ)·θ + μ·shadow} after every optimizer step, with no bias correction.
 * Buffers (puzzle table, H_init, L_init) are not averaged.
 */
final class Ema {
    private final double rate;
    private final Map<String, Tensor> shadow = new LinkedHashMap<>();

    Ema(Map<String, Tensor> params, double rate) {
        this.rate = rate;
        try (NoGradGuard g = new NoGradGuard()) {
            for (var e : params.entrySet()) {
                Tensor copy = e.getValue().detach().clone();
                copy.retainReference(); // lives as long as this object, past any caller's PointerScope
                shadow.put(e.getKey(), copy);
            }
        }
    }

    void update(Map<String, Tensor> params) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (var e : params.entrySet()) {
                Tensor s = shadow.get(e.getKey());
                s.copy_(e.getValue().mul(new Scalar(1.0 - rate)).add(s.mul(new Scalar(rate))));
            }
        }
    }

    /** Copies saved averages (same names and shapes) into the shadow. */
    void restore(Map<String, Tensor> saved) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (var e : shadow.entrySet()) e.getValue().copy_(saved.get(e.getKey()));
        }
    }

    /** The averaged weights by official name (live tensors: copy before changing them). */
    Map<String, Tensor> weights() {
        return shadow;
    }

    double rate() {
        return rate;
    }
}
