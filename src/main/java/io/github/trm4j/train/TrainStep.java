package io.github.trm4j.train;

import io.github.trm4j.dist.Group;
import io.github.trm4j.InputException;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Carry;
import io.github.trm4j.model.Depth;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.StepOutput;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One optimizer step of deep supervision (spec 2.3 and 2.3b). The ACT carry persists across steps:
 * every call runs one supervision step for every slot, halted slots taking the row of the new batch
 * at their index (the other rows are never used). The loss of every slot is back-propagated as
 * total / B; then sign-SGD updates the puzzle rows of the batch, AdamATan2 the parameters, the
 * gradients are cleared and the EMA follows.
 *
 * <p>With a micro-batch m &lt; B the slots are split into B/m fixed groups, each with its own carry;
 * their gradients add up to those of the whole batch, so the update is the same as one pass.
 *
 * <p>In a process group of W ranks each rank runs the slots of its slice of the global batch
 * (rows rank·B/W onwards, its own carry) and {@link DistributedStep} makes the update that of the
 * whole batch: metric sums and gradients all-reduced, puzzle rows and ids all-gathered.
 */
final class TrainStep {
    static final String PUZZLE_TABLE = "puzzle_emb.weights";

    private final TrmModel model;
    private final TrainConfig config;
    private final Supervision act;
    private final AdamATan2 adam;
    private final Ema ema;
    private final LrSchedule lr;
    private final LrSchedule puzzleLr;
    private final Carry[] carries;
    private final SplitMix explore;
    private final DistributedStep dist;
    private final int micro;
    private final long totalSteps;
    private final Tensor stepWeights;
    private long step;

    /** @param explore the halting-exploration stream (its state is part of the training state) */
    TrainStep(TrmModel model, TrainConfig config, long totalSteps, SplitMix explore) {
        this(model, config, totalSteps, explore, null);
    }

    /** @param group the process group, or null to train alone */
    TrainStep(TrmModel model, TrainConfig config, long totalSteps, SplitMix explore, Group group) {
        this.model = model;
        this.config = config;
        this.act = model.training(explore);
        this.adam = new AdamATan2(model.parameters(), config.beta1(), config.beta2(), config.weightDecay());
        this.ema = config.ema() ? new Ema(model.parameters(), config.emaRate()) : null;
        this.lr = config.schedule(totalSteps);
        this.puzzleLr = config.puzzleSchedule(totalSteps);
        this.explore = explore;
        this.dist = group == null ? null : new DistributedStep(group, config.globalBatchSize());
        int rows = dist == null ? config.globalBatchSize() : dist.rows();
        this.micro = Math.min(config.microBatch(), rows);
        if (rows % micro != 0)
            throw new InputException("--micro-batch: " + micro + " does not divide the " + rows + " rows of each of the "
                    + (group == null ? 1 : group.size()) + " ranks (global batch " + config.globalBatchSize() + ")");
        this.carries = new Carry[rows / micro];
        this.totalSteps = totalSteps;
        this.stepWeights = supervisionWeights(config, model);
    }

    /** The loss weight of each supervision step 1..N_sup at index k (index 0 unused), or null without a decay. */
    private static Tensor supervisionWeights(TrainConfig config, TrmModel model) {
        if (config.supervisionDecay() == null) return null;
        int n = model.config().supervisionSteps();
        double[] w = new double[n + 1];
        for (int k = 1; k <= n; k++) w[k] = config.supervisionWeight(k - 1, n);
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Tensor.create(w).to(model.device().torch(), ScalarType.Double);
            t.retainReference();
            return t;
        }
    }

    /** The recursion depth of optimizer step {@code step} (the model's, or its depth-curriculum stage). */
    Depth depthAt(long step) {
        return DepthCurriculum.at(config.depthCurriculum(), step, totalSteps, model.config());
    }

    long step() {
        return step;
    }

    TrmModel model() {
        return model;
    }

    TrainConfig config() {
        return config;
    }

    AdamATan2 optimizer() {
        return adam;
    }

    /** The EMA, or null when the run has none. */
    Ema ema() {
        return ema;
    }

    /** Runs optimizer step {@code step() + 1} on {@code batch} (the B rows of the global batch); returns its metrics. */
    StepMetrics run(HostBatch batch) {
        long started = System.nanoTime();
        long next = step + 1;
        int b = config.globalBatchSize();
        int m = micro;
        int first = dist == null ? 0 : dist.firstRow();
        StepMetrics.Sums sums = StepMetrics.Sums.ZERO;
        Depth depth = depthAt(next);
        try (PointerScope scope = new PointerScope()) {
            int[] ids = new int[carries.length * m];
            Tensor[] rowGrads = new Tensor[carries.length];
            skipExploration(first); // the draws of the ranks before this one
            for (int i = 0; i < carries.length; i++) {
                Batch part = toTensors(batch.rows(first + i * m, m));
                if (carries[i] == null) carries[i] = act.initialCarry(part);
                StepOutput out = act.step(carries[i], part, depth);
                Carry carry = out.carry();
                carries[i] = carry;
                Tensor weights = stepWeights == null ? null : stepWeights.index_select(0, carry.steps().to(ScalarType.Long));
                Losses.Result loss = Losses.compute(config.loss(), out.logits(), carry.data().labels(), out.qHalt(), weights);
                double total = loss.total().item_double();
                // in a group every rank must learn of it: the all-reduced total below carries it to all
                if (!Double.isFinite(total) && dist == null) throw new NonFiniteLossException(next, total);
                loss.total().mul(new Scalar(1.0 / b)).backward();
                sums = sums.plus(sums(loss, out.qHalt(), carry));
                if (out.puzzleRows() != null) {
                    Tensor g = out.puzzleRows().grad();
                    rowGrads[i] = g.defined() ? g : torch.zeros_like(out.puzzleRows());
                    System.arraycopy(ints(carry.data().puzzleIds()), 0, ids, i * m, m);
                }
            }
            skipExploration(b - first - carries.length * m); // and of the ranks after it
            if (dist != null) {
                sums = dist.reduce(sums);
                if (!Double.isFinite(sums.total())) throw new NonFiniteLossException(next, sums.total());
                dist.reduceGradients(model.parameters());
            }
            double rate = lr.at(next);
            if (rowGrads[0] != null) {
                Tensor grads = rowGrads.length == 1 ? rowGrads[0] : torch.cat(new TensorArrayRef(new TensorVector(rowGrads)), 0);
                if (dist != null) {
                    grads = dist.gatherRows(grads);
                    ids = dist.gatherIds(ids);
                }
                SignSgd.step(model.state().get(PUZZLE_TABLE), ids, grads, puzzleLr.at(next), config.puzzleEmbWeightDecay());
            }
            adam.step(rate);
            clearGradients();
            if (ema != null) ema.update(model.parameters());
            step = next;
            return sums.finish(next, rate, b, (System.nanoTime() - started) / 1e9, depth);
        }
    }

    /** Advances the exploration stream over {@code slots} slots that other ranks run (spec: one draw set per slot). */
    private void skipExploration(int slots) {
        if (slots > 0 && act.explores())
            Supervision.explorationMinimums(explore, slots, model.config().haltExplorationProb(), act.maxSteps());
    }

    /** Metric sums of one pass over the slots that halted now with at least one supervised cell (spec 3.3). */
    private static StepMetrics.Sums sums(Losses.Result loss, Tensor qHalt, Carry carry) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor valid = carry.halted().logical_and(loss.supervised().gt(new Scalar(0)));
            Tensor cellShare = loss.tokenCorrect().to(ScalarType.Float).sum(new long[] {-1}, false, new ScalarTypeOptional())
                    .div(loss.supervised().clamp_min(new Scalar(1)));
            double accuracy = torch.where(valid, cellShare, new Scalar(0.0)).sum().item_double();
            long exact = valid.logical_and(loss.seqCorrect()).sum().item_long();
            long qRight = valid.logical_and(qHalt.ge(new Scalar(0.0)).eq(loss.seqCorrect())).sum().item_long();
            long steps = torch.where(valid, carry.steps(), new Scalar(0)).sum().item_long();
            return new StepMetrics.Sums(loss.total().item_double(), loss.lm().item_double(), loss.qHalt().item_double(),
                    valid.sum().item_long(), accuracy, exact, qRight, steps);
        }
    }

    /** Sets every parameter's gradient to undefined, as PyTorch's zero_grad(set_to_none=True). */
    private void clearGradients() {
        for (Tensor p : model.parameters().values()) {
            if (p.grad().defined()) p.mutable_grad().put(new Tensor());
        }
    }

    /** Inputs and puzzle ids as int32, labels as int64 (for the gather of the loss), on the model's device. */
    private Batch toTensors(HostBatch h) {
        Device d = model.device().torch();
        return new Batch(
                Tensor.create(h.inputs(), h.size(), h.seqLen()).to(d, ScalarType.Int),
                Tensor.create(h.labels(), h.size(), h.seqLen()).to(d, ScalarType.Long),
                Tensor.create(h.puzzleIds(), h.size()).to(d, ScalarType.Int));
    }

    static int[] ints(Tensor t) {
        Tensor c = t.to(ScalarType.Int).cpu().contiguous();
        int[] out = new int[(int) c.numel()];
        c.data_ptr_int().get(out);
        return out;
    }

    // ---- the carry as part of the training state -------------------------------------------------

    /**
     * The carry of all B slots as named tensors (concatenated over micro-batches, and over ranks in a
     * process group: then every rank must call this together), or empty before step 1.
     */
    Map<String, Tensor> carryState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (carries[0] == null) return out;
        out.put("carry.y", cat(i -> carries[i].y()));
        out.put("carry.z", cat(i -> carries[i].z()));
        out.put("carry.steps", cat(i -> carries[i].steps()));
        out.put("carry.halted", cat(i -> carries[i].halted()));
        out.put("carry.inputs", cat(i -> carries[i].data().inputs()));
        out.put("carry.labels", cat(i -> carries[i].data().labels()));
        out.put("carry.puzzle_ids", cat(i -> carries[i].data().puzzleIds()));
        return out;
    }

    private Tensor cat(java.util.function.IntFunction<Tensor> part) {
        Tensor[] parts = new Tensor[carries.length];
        for (int i = 0; i < parts.length; i++) parts[i] = part.apply(i);
        Tensor mine = torch.cat(new TensorArrayRef(new TensorVector(parts)), 0);
        return dist == null ? mine : dist.gatherCarry(mine);
    }

    /** Restores the step counter, the carry (split into this run's micro-batches) and the optimizer state. */
    void restore(long step, Map<String, Tensor> state) {
        this.step = step;
        if (!state.containsKey("carry.y")) return;
        Device d = model.device().torch();
        int m = micro;
        int first = dist == null ? 0 : dist.firstRow();
        for (int i = 0; i < carries.length; i++) {
            int from = first + i * m;
            java.util.function.BiFunction<String, ScalarType, Tensor> rows = (name, type) -> {
                Tensor t = state.get(name).narrow(0, from, m).to(d, type).clone();
                t.retainReference(); // owned by the carry, which releases it when consumed
                return t;
            };
            ScalarType forward = Ops.scalarType(model.config().forwardDtype());
            carries[i] = new Carry(rows.apply("carry.y", forward), rows.apply("carry.z", forward),
                    rows.apply("carry.steps", ScalarType.Int), rows.apply("carry.halted", ScalarType.Bool),
                    new Batch(rows.apply("carry.inputs", ScalarType.Int), rows.apply("carry.labels", ScalarType.Long),
                            rows.apply("carry.puzzle_ids", ScalarType.Int)));
        }
    }
}
