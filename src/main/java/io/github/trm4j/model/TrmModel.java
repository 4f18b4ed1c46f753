package io.github.trm4j.model;

import io.github.trm4j.model.ModelConfig.Mixer;
import io.github.trm4j.model.ModelConfig.PosEncoding;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.bytedeco.pytorch.Tensor;

/**
 * One Tiny Recursion Model: its config, its weights on a device, and the ways to run it
 * ({@link Supervision}). Call {@link Backend#init()} first.
 *
 * <pre>{@code
 * TrmModel model = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 0, ComputeDevice.CPU);
 * Inference result = model.evaluation().run(Batch.of(inputs), null);   // N_sup steps
 * Tensor predictions = result.predictions();                          // (B, S)
 * }</pre>
 */
public final class TrmModel {
    private final ModelConfig config;
    private final ComputeDevice device;
    private final Rope rope;
    private Weights weights;

    private TrmModel(ModelConfig config, ComputeDevice device, Weights weights) {
        this.config = config;
        this.device = device;
        this.weights = weights;
        this.rope = config.mixer() == Mixer.ATTENTION && config.posEncodings() == PosEncoding.ROPE
                ? Rope.of(config.fullSeqLen(), config.headDim(), config.ropeTheta(), device.torch())
                : null;
    }

    /** A freshly initialised model (section 1.8) drawn from {@code seed}. */
    public static TrmModel initialise(ModelConfig config, long seed, ComputeDevice device) {
        return initialise(config, new SplittableRandom(seed), device);
    }

    /** A freshly initialised model (section 1.8) drawn from {@code rng}. */
    public static TrmModel initialise(ModelConfig config, RandomGenerator rng, ComputeDevice device) {
        return new TrmModel(config, device, Weights.initialise(config, rng, device.torch()));
    }

    /**
     * A model with the given weights (official names without prefix, e.g. from a checkpoint). Every
     * name and shape is checked against {@code config}; see {@link #load}.
     */
    public static TrmModel fromState(ModelConfig config, Map<String, Tensor> state, ComputeDevice device) {
        return new TrmModel(config, device, Weights.of(config, state, device.torch()));
    }

    /**
     * Replaces all weights. A missing key, an unknown key or a wrong shape is an
     * {@link io.github.trm4j.InputException} naming the tensor, and leaves the model unchanged.
     * Floating tensors of any dtype are converted to fp32 on this model's device.
     */
    public void load(Map<String, Tensor> state) {
        weights = Weights.of(config, state, device.torch());
    }

    /**
     * All tensors, official names without prefix, in checkpoint order: fp32 on this model's device
     * (the CPU by default). The map is unmodifiable; the tensors are the live weights.
     */
    public Map<String, Tensor> state() {
        return weights.state();
    }

    /** The trainable parameters (require grad): everything but puzzle_emb.weights, H_init, L_init. */
    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    /** True for a trainable parameter, false for a buffer. */
    public boolean isTrainable(String name) {
        return weights.isTrainable(name);
    }

    public ModelConfig config() {
        return config;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The paper's test protocol: every sequence runs N_sup supervision steps. */
    public Supervision evaluation() {
        return evaluation(config.supervisionSteps());
    }

    /** Evaluation with another step count; more than N_sup is test-time scaling. */
    public Supervision evaluation(int steps) {
        return new Supervision(this, Supervision.Mode.EVALUATION, steps, null);
    }

    /** Inference that stops each sequence once q_halt > 0, at most {@code maxSteps} steps. */
    public Supervision adaptive(int maxSteps) {
        return new Supervision(this, Supervision.Mode.ADAPTIVE, maxSteps, null);
    }

    /** Training-mode ACT: q_halt > 0 halting and exploration drawn from {@code rng}; gradients on. */
    public Supervision training(RandomGenerator rng) {
        return new Supervision(this, Supervision.Mode.TRAINING, config.supervisionSteps(), rng);
    }

    Weights weights() {
        return weights;
    }

    Rope rope() {
        return rope;
    }
}
