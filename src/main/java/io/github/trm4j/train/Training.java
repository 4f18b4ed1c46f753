package io.github.trm4j.train;

import io.github.trm4j.InputException;
import io.github.trm4j.dist.Group;
import io.github.trm4j.eval.EvalScores;
import io.github.trm4j.eval.Scoring;
import io.github.trm4j.model.TrmModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code trm train}: the whole run in one flat loop (batch, step, log, checkpoint, evaluate), then
 * the final files. A NaN or infinite loss stops the run before that step's update; the run folder
 * keeps the last checkpoint written before it.
 *
 * <p>In a process group every rank runs this loop on its slice of each batch (see
 * {@link DistributedStep}); rank 0 alone writes the run folder and draws the progress bar.
 */
public final class Training {
    /** Default test examples per evaluation (the full Sudoku-Extreme test split would take days on a CPU). */
    public static final long DEFAULT_EVAL_LIMIT = 1000;

    /**
     * @param runDir the run folder
     * @param steps optimizer steps done (including those before a resume)
     * @param lastStep metrics of the last step (null when there was nothing left to do)
     * @param lastEval the last evaluation, or null without a test split
     * @param seconds wall time of this invocation
     */
    /** @param stopped true when a signal (Ctrl-C, SIGTERM) ended the run early, after its checkpoint was written */
    public record Result(Path runDir, long steps, StepMetrics lastStep, EvalMetrics lastEval, double seconds, boolean stopped) {
        /** The exit code of a run stopped by a signal. */
        public static final int STOPPED_EXIT_CODE = StopSignal.EXIT_CODE;
    }

    private Training() {}

    /** Resolves {@code request}, checks it against the data, trains, and writes the run files. Needs Backend.init(). */
    public static Result run(TrainRequest request) {
        return run(request, null);
    }

    /** {@link #run(TrainRequest)} as one rank of {@code group} (null: alone). */
    public static Result run(TrainRequest request, Group group) {
        long started = System.nanoTime();
        if (request.evalLimit() != null && request.evalLimit() < 0)
            throw new InputException("--eval-limit: must be 0 (all) or positive, got " + request.evalLimit());
        TrainPlan plan = TrainPlan.resolve(request);
        boolean lead = group == null || group.rank() == 0;
        // every rank has checked the run folder before rank 0 writes to it
        if (group != null) group.agree("training setup", DistributedStep.setup(plan));
        Path dir = plan.out();
        if (lead) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
        }
        TrainConfig cfg = plan.train();
        RunState.Saved saved = plan.resumed();
        if (lead && saved == null && request.force()) RunState.clearRunFiles(dir);
        SplitMix explore = new SplitMix(saved != null ? saved.exploreState() : SplitMix.derive(cfg.seed(), -2).nextLong());
        TrmModel model = model(plan);
        if (group != null) DistributedStep.broadcast(group, model);
        TrainStep trainer = new TrainStep(model, cfg, plan.totalSteps(), explore, group);
        TrainingSampler sampler;
        if (saved != null) {
            if (lead) RunState.clearTemporaryFiles(dir);
            restore(trainer, saved);
            sampler = TrainingSampler.resume(plan.trainSplit(), cfg.globalBatchSize(), cfg.seed(), saved.sampler());
        } else {
            sampler = TrainingSampler.start(plan.trainSplit(), cfg.globalBatchSize(), cfg.seed());
        }
        String dataset = plan.trainSplit().dir().getParent().toAbsolutePath().normalize().toString();
        RunState.Intervals intervals = RunState.Intervals.resolve(plan.request(), saved);
        long evalEvery = intervals.eval();
        long ckptEvery = intervals.checkpoint();
        long evalLimit = intervals.evalLimit() == 0 ? Long.MAX_VALUE : intervals.evalLimit();

        StepMetrics last = null;
        EvalMetrics lastEval = null;
        long written = saved != null ? saved.step() : -1;
        boolean stopped = false;
        try (MetricsLog log = !lead ? null : saved != null ? MetricsLog.resume(dir, saved.step()) : MetricsLog.create(dir);
                ProgressBar bar = lead ? progress(plan, trainer.step()) : null;
                StopSignal stop = StopSignal.install()) {
            while (trainer.step() < plan.totalSteps() && !(stopped = stopRequested(stop, group))) {
                HostBatch batch = sampler.next();
                last = trainer.run(batch);
                if (log != null) log.write(last.toJson());
                if (bar != null) {
                    bar.stepTo(last.step());
                    bar.setExtraMessage(String.format(" loss %.4f exact %s %.1f ex/s", last.loss(),
                            Double.isNaN(last.exactAccuracy()) ? "-" : String.format("%.3f", last.exactAccuracy()),
                            last.examplesPerSecond()));
                }
                if (ckptEvery > 0 && last.step() % ckptEvery == 0) {
                    write(dir, trainer, sampler, explore, plan, dataset, intervals, lead);
                    written = last.step();
                }
                if (evalEvery > 0 && last.step() % evalEvery == 0 && plan.testSplit() != null && last.step() < plan.totalSteps()) {
                    lastEval = evaluate(trainer, plan, evalLimit);
                    if (log != null) log.write(lastEval.toJson());
                }
            }
            if (written != trainer.step()) write(dir, trainer, sampler, explore, plan, dataset, intervals, lead);
            if (stopped) {
                return new Result(dir, trainer.step(), last, lastEval, (System.nanoTime() - started) / 1e9, true);
            }
            if (plan.testSplit() != null && (last != null || saved == null)) {
                lastEval = evaluate(trainer, plan, evalLimit);
                if (log != null) log.write(lastEval.toJson());
            }
        }
        return new Result(dir, trainer.step(), last, lastEval, (System.nanoTime() - started) / 1e9, false);
    }

    /** Ctrl-C or SIGTERM on any rank stops every rank after the same step. */
    private static boolean stopRequested(StopSignal stop, Group group) {
        return group == null ? stop.requested() : group.any(stop.requested(), "the stop flag");
    }

    /** Writes the run files (rank 0); in a group every rank first contributes its rows of the carry. */
    private static void write(Path dir, TrainStep trainer, TrainingSampler sampler, SplitMix explore, TrainPlan plan,
            String dataset, RunState.Intervals intervals, boolean lead) {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> carry = trainer.carryState();
            if (lead) RunState.write(dir, trainer, carry, sampler, explore, plan.totalSteps(), dataset, intervals);
        }
    }

    private static TrmModel model(TrainPlan plan) {
        if (plan.resumed() != null) {
            return TrmModel.fromState(plan.model(), RunState.rawWeights(plan.resumed().tensors()), plan.device());
        }
        if (plan.initWeights() != null) return TrmModel.fromState(plan.model(), plan.initWeights(), plan.device());
        return TrmModel.initialise(plan.model(), plan.train().seed(), plan.device());
    }

    private static void restore(TrainStep trainer, RunState.Saved saved) {
        Map<String, Tensor> t = saved.tensors();
        AdamATan2 adam = trainer.optimizer();
        for (String name : adam.names()) {
            adam.restore(name, t.get("optim." + name + ".m"), t.get("optim." + name + ".v"),
                    saved.optimizerSteps().getOrDefault(name, 0L));
        }
        if (trainer.ema() != null) {
            Map<String, Tensor> ema = new LinkedHashMap<>();
            trainer.ema().weights().keySet().forEach(k -> ema.put(k, t.get("ema." + k)));
            trainer.ema().restore(ema);
        }
        trainer.restore(saved.step(), t);
    }

    /** Evaluation-mode accuracy with the EMA weights (raw without EMA) and the current puzzle table. */
    private static EvalMetrics evaluate(TrainStep trainer, TrainPlan plan, long limit) {
        TrmModel live = trainer.model();
        Map<String, Tensor> weights = new LinkedHashMap<>(live.state());
        if (trainer.ema() != null) weights.putAll(trainer.ema().weights());
        TrmModel eval = TrmModel.fromState(live.config(), weights, live.device());
        int steps = eval.config().supervisionSteps();
        EvalScores s = Scoring.score(eval, plan.testSplit(), new Scoring.Options(steps, false, plan.train().microBatch(), limit), null, null);
        return new EvalMetrics(trainer.step(), s.examples(), s.tokenAccuracy(), s.exactAccuracy(), steps, trainer.ema() != null);
    }

    private static ProgressBar progress(TrainPlan plan, long startStep) {
        if (!plan.request().progress()) return null;
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(plan.totalSteps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .startsFrom(startStep, Duration.ZERO).build();
    }
}
