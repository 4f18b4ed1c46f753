package io.github.trm4j.model;

import io.github.trm4j.InputException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Deep supervision with adaptive computation time (spec section 2.2): the carry, the reset of halted
 * slots to H_init/L_init, one recursion step per call, and the halting rule of the mode.
 *
 * <p>Each {@link #step} runs in its own {@code PointerScope}; only its outputs leave it.
 */
public final class Supervision {
    /** How slots halt. */
    public enum Mode {
        /** ACT as trained: halt at maxSteps or when q_halt > 0, with exploration; gradients on. */
        TRAINING,
        /** Every sequence runs exactly maxSteps steps (the paper's test-time protocol); no gradients. */
        EVALUATION,
        /** Inference that stops a sequence once q_halt > 0 (or at maxSteps); no gradients. */
        ADAPTIVE
    }

    private final TrmModel model;
    private final Mode mode;
    private final int maxSteps;
    private final RandomGenerator rng;
    private final Noise noise;
    private final org.bytedeco.pytorch.Generator noiseDraws;

    /**
     * @param maxSteps the halting limit: N_sup for training; any positive count for inference
     *     (more than N_sup is test-time scaling)
     * @param rng draws the exploration of training mode
     */
    Supervision(TrmModel model, Mode mode, int maxSteps, RandomGenerator rng) {
        this(model, mode, maxSteps, rng, null);
    }

    private Supervision(TrmModel model, Mode mode, int maxSteps, RandomGenerator rng, Noise noise) {
        ModelConfig.checkSteps("--steps", maxSteps);
        this.model = model;
        this.mode = mode;
        this.maxSteps = maxSteps;
        this.rng = rng;
        this.noise = noise;
        this.noiseDraws = noise == null ? null : noise.generator();
    }

    /**
     * This inference with test-time {@code noise} on the recursion (a fresh generator from its seed,
     * owned by the current PointerScope).
     */
    public Supervision withNoise(Noise noise) {
        if (mode == Mode.TRAINING) throw new IllegalStateException("test-time noise is for inference");
        return new Supervision(model, mode, maxSteps, rng, noise);
    }

    public Mode mode() {
        return mode;
    }

    public int maxSteps() {
        return maxSteps;
    }

    /** A carry with every slot halted, so that the first step takes the whole batch. */
    public Carry initialCarry(Batch batch) {
        ModelConfig c = model.config();
        long b = batch.size();
        TensorOptions opts = new TensorOptions(Ops.scalarType(c.forwardDtype())).device(
                new org.bytedeco.pytorch.DeviceOptional(model.device().torch()));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            batch = batch.to(model.device().torch());
            Tensor state = torch.zeros(new long[] {b, c.fullSeqLen(), c.hiddenSize()}, opts);
            Tensor y = state.clone();
            Batch data = new Batch(torch.zeros_like(batch.inputs()),
                    batch.labels() == null ? null : torch.zeros_like(batch.labels()),
                    torch.zeros_like(batch.puzzleIds()));
            Tensor steps = torch.zeros(new long[] {b}, new TensorOptions(ScalarType.Int).device(
                    new org.bytedeco.pytorch.DeviceOptional(model.device().torch())));
            return Carry.owning(y, state, steps, torch.ones_like(steps).to(ScalarType.Bool), data);
        }
    }

    /**
     * One supervision step for every slot: halted slots restart from H_init/L_init on the new batch's
     * row at the same index; the others continue their example (and that row of {@code batch} is not
     * used). Consumes {@code carry}; the returned output holds the next one.
     */
    public StepOutput step(Carry carry, Batch batch) {
        return step(carry, batch, null, Depth.of(model.config()));
    }

    /**
     * {@link #step(Carry, Batch)} at another recursion depth than the model's (a depth curriculum in
     * training); the carry's shapes do not depend on the depth, so stages may change between steps.
     */
    public StepOutput step(Carry carry, Batch batch, Depth depth) {
        return step(carry, batch, null, depth);
    }

    /**
     * {@link #step(Carry, Batch)} with the network already made in the forward dtype; null makes it
     * inside the step (training: the weights change after every step).
     */
    private StepOutput step(Carry carry, Batch batch, Network made, Depth depth) {
        ModelConfig c = model.config();
        batch.check(c);
        PointerScope outer = PointerScope.getInnerScope();
        if (batch.size() != carry.halted().size(0)) {
            throw new InputException("batch: expected " + carry.halted().size(0) + " rows like the carry, got " + batch.size());
        }
        StepOutput out;
        try (PointerScope scope = new PointerScope(); AutoGradMode grad = new AutoGradMode(mode == Mode.TRAINING)) {
            batch = batch.to(model.device().torch());
            Tensor reset = carry.halted();
            Tensor resetRows = reset.view(-1, 1, 1);
            Network net = made != null ? made : new Network(c, model.weights(), model.rope());
            Recursion.State start = new Recursion.State(
                    torch.where(resetRows, net.yInit(), carry.y()), torch.where(resetRows, net.zInit(), carry.z()));
            Tensor steps = torch.where(reset, new Scalar(0), carry.steps());
            Batch data = refill(reset, batch, carry.data());
            Tensor puzzleRows = puzzleRows(data.puzzleIds());

            Tensor x = net.embed(data.inputs(), puzzleRows);
            Tensor noiseScale = noise == null ? null : noise.rowScale(steps);
            Recursion.Outcome o = Recursion.deepRecursion(net, x, start, depth.latentSteps(), depth.recursions(),
                    noiseScale == null ? null : s -> noise.perturb(s, noiseDraws, noiseScale));
            Tensor qHalt = o.q().select(1, 0);
            Tensor qContinue = o.q().select(1, 1);

            Tensor halted;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                steps = steps.add(new Scalar(1));
                halted = halting(steps, qHalt);
            }
            Carry next = Carry.owning(o.next().y(), o.next().z(), steps, halted, data);
            out = new StepOutput(Ops.keepIn(outer, o.logits()), Ops.keepIn(outer, qHalt),
                    Ops.keepIn(outer, qContinue), next, Ops.keepIn(outer, puzzleRows));
        }
        carry.close();
        return out;
    }

    /** The rows of the halted slots come from {@code fresh}, the others stay. */
    private static Batch refill(Tensor reset, Batch fresh, Batch old) {
        Tensor rows = reset.view(-1, 1);
        Tensor labels = fresh.labels() == null || old.labels() == null ? null
                : torch.where(rows, fresh.labels(), old.labels());
        return new Batch(torch.where(rows, fresh.inputs(), old.inputs()), labels,
                torch.where(reset, fresh.puzzleIds(), old.puzzleIds()));
    }

    /** (B, ndim) rows of the puzzle table; in training a leaf requiring grad (section 1.3). */
    private Tensor puzzleRows(Tensor ids) {
        if (model.config().puzzleEmbNdim() == 0) {
            return null;
        }
        Tensor rows = model.weights().get(WeightLayout.PUZZLE_EMB).index_select(0, ids.to(ScalarType.Long));
        return mode == Mode.TRAINING ? rows.detach().requires_grad_(true) : rows;
    }

    /** Which slots are done after this step (steps already incremented). */
    private Tensor halting(Tensor steps, Tensor qHalt) {
        Tensor halted = steps.ge(new Scalar(maxSteps));
        if (mode == Mode.EVALUATION || (mode == Mode.TRAINING && maxSteps <= 1)) {
            return halted;
        }
        halted = torch.logical_or(halted, qHalt.gt(new Scalar(0)));
        if (mode == Mode.TRAINING) {
            // exploration, re-drawn every step for every slot: with probability p a minimum of 2..maxSteps steps
            int[] minSteps = explorationMinimums(rng, (int) steps.size(0), model.config().haltExplorationProb(), maxSteps);
            Tensor min = Tensor.create(minSteps).to(steps.device(), ScalarType.Int);
            halted = torch.logical_and(halted, steps.ge(min));
        }
        return halted;
    }

    /**
     * The exploration draws of one training step for {@code slots} slots, in slot order: with
     * probability p a minimum of 2..maxSteps steps, else 0. The draws depend on nothing but the
     * generator, so a rank of a distributed run can step over the other ranks' slots exactly.
     */
    public static int[] explorationMinimums(RandomGenerator rng, int slots, double p, int maxSteps) {
        int[] minSteps = new int[slots];
        for (int i = 0; i < slots; i++) {
            boolean explore = rng.nextDouble() < p;
            minSteps[i] = explore ? 2 + rng.nextInt(maxSteps - 1) : 0;
        }
        return minSteps;
    }

    /** True when a training step draws exploration (N_sup above 1). */
    public boolean explores() {
        return mode == Mode.TRAINING && maxSteps > 1;
    }

    /**
     * Inference from a fresh carry: EVALUATION runs maxSteps steps for every sequence; ADAPTIVE stops
     * each sequence at its first halt (q_halt > 0 or maxSteps) and the batch once all have stopped.
     * Each sequence's result is taken at the step it stopped.
     *
     * @param onStep sees every step's output while it is alive (copy what you keep); may be null
     */
    public Inference run(Batch batch, Consumer<StepOutput> onStep) {
        if (mode == Mode.TRAINING) {
            throw new IllegalStateException("run() is for inference; training calls step()");
        }
        PointerScope outer = PointerScope.getInnerScope();
        try (PointerScope run = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Carry carry = initialCarry(batch);
            Network net = new Network(model.config(), model.weights(), model.rope()); // weights cast once per run
            Tensor done = null;
            Tensor logits = null;
            Tensor qHalt = null;
            Tensor qContinue = null;
            Tensor stepsTaken = null;
            int taken = 0;
            try {
                while (taken < maxSteps && (done == null || done.sum().item_long() < batch.size())) {
                    try (PointerScope stepScope = new PointerScope()) {
                        StepOutput out = step(carry, batch, net, Depth.of(model.config()));
                        carry = out.carry();
                        taken++;
                        if (onStep != null) {
                            onStep.accept(out);
                        }
                        Tensor stopped = carry.halted();
                        if (done == null) {
                            done = stopped.clone();
                            logits = out.logits();
                            qHalt = out.qHalt();
                            qContinue = out.qContinue();
                            stepsTaken = carry.steps().clone();
                        } else {
                            Tensor now = torch.logical_and(stopped, torch.logical_not(done));
                            logits = torch.where(now.view(-1, 1, 1), out.logits(), logits);
                            qHalt = torch.where(now, out.qHalt(), qHalt);
                            qContinue = torch.where(now, out.qContinue(), qContinue);
                            stepsTaken = torch.where(now, carry.steps(), stepsTaken);
                            done = torch.logical_or(done, stopped);
                        }
                        for (Tensor t : new Tensor[] {done, logits, qHalt, qContinue, stepsTaken}) {
                            run.attach(t);
                        }
                    }
                }
            } finally {
                carry.close();
            }
            return new Inference(Ops.keepIn(outer, logits), Ops.keepIn(outer, qHalt),
                    Ops.keepIn(outer, qContinue), Ops.keepIn(outer, stepsTaken), taken);
        }
    }
}
