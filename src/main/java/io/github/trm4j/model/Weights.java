package io.github.trm4j.model;

import io.github.trm4j.InputException;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.WeightLayout.Entry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The tensors of one TRM, keyed by the official names without prefix ({@code lm_head.weight},
 * {@code L_level.layers.0.mlp.gate_up_proj.weight}, ...), fp32, in checkpoint order. Parameters
 * require grad; the buffers {@code puzzle_emb.weights}, {@code H_init} and {@code L_init} do not.
 *
 * <p>The tensors are owned by this object (they outlive any {@code PointerScope}) and are freed by
 * the garbage collector after it.
 */
final class Weights {
    private final Map<String, Tensor> state;
    private final Map<String, Boolean> trainable = new LinkedHashMap<>();

    private Weights(ModelConfig config, Map<String, Tensor> state) {
        this.state = Collections.unmodifiableMap(state);
        for (Entry e : WeightLayout.of(config)) {
            trainable.put(e.name(), e.trainable());
        }
    }

    /** Fresh weights as in section 1.8, drawn from {@code rng}, on {@code device}. */
    static Weights initialise(ModelConfig config, RandomGenerator rng, Device device) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Entry e : WeightLayout.of(config)) {
            Tensor t = switch (e.init()) {
                case TRUNC_NORMAL -> TruncatedNormal.sample(e.shape(), e.std(), rng);
                case ZERO -> torch.zeros(e.shape());
                case Q_BIAS -> torch.full(e.shape(), new org.bytedeco.pytorch.Scalar(-5.0));
            };
            boolean carryStart = e.name().equals(WeightLayout.Y_INIT) || e.name().equals(WeightLayout.Z_INIT);
            if (carryStart && config.forwardDtype() == ForwardDtype.BFLOAT16) {
                t = t.to(ScalarType.BFloat16).to(ScalarType.Float); // the official buffers are sampled in bf16
            }
            state.put(e.name(), own(t.to(device, ScalarType.Float), e.trainable()));
        }
        return new Weights(config, state);
    }

    /**
     * Takes {@code given} as the weights of {@code config} after checking every name and shape; any
     * missing, unknown or misshapen tensor is an {@link InputException} naming it. Tensors that are
     * already fp32 on {@code device} are taken over, not copied: the caller must not change them.
     */
    static Weights of(ModelConfig config, Map<String, Tensor> given, Device device) {
        WeightLayout.check(config, found(given), false, "");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Entry e : WeightLayout.of(config)) {
            Tensor t = given.get(e.name());
            Tensor owned;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                owned = t.to(device, ScalarType.Float).contiguous().detach();
            }
            state.put(e.name(), own(owned, e.trainable()));
        }
        return new Weights(config, state);
    }

    /** What {@link WeightLayout#check} needs to know of live tensors. */
    static Map<String, WeightLayout.Found> found(Map<String, Tensor> tensors) {
        Map<String, WeightLayout.Found> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, new WeightLayout.Found(t.scalar_type().intern().toString(), t.is_floating_point(), t.shape())));
        return out;
    }

    private static Tensor own(Tensor t, boolean trainable) {
        t.requires_grad_(trainable);
        t.retainReference();
        return t;
    }

    /** All tensors in checkpoint order (unmodifiable; the tensors themselves are live). */
    Map<String, Tensor> state() {
        return state;
    }

    /** The trainable parameters only (puzzle table, H_init and L_init excluded). */
    Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, t) -> {
            if (trainable.get(name)) {
                out.put(name, t);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** True for a parameter, false for a buffer. */
    boolean isTrainable(String name) {
        Boolean b = trainable.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return b;
    }

    Tensor get(String name) {
        Tensor t = state.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t;
    }
}
