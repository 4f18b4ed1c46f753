package io.github.trm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import io.github.trm4j.Provenance;
import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.dist.Group;
import io.github.trm4j.eval.EvalScores;
import io.github.trm4j.eval.EvalShard;
import io.github.trm4j.eval.Scoring;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.model.TrmModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code trm train}: the whole run in one flat loop (batch, step, log, checkpoint, evaluate), then
 * the final files. A NaN or infinite loss stops the run before that step's update; the run folder
 * keeps the last checkpoint written before it.
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
     * @param stopped true when a signal (Ctrl-C, SIGTERM) ended the run early, after its checkpoint was written
     * @param firstStep the step this invocation started from (0, or the resumed checkpoint's)
     * @param totalSteps the step the run ends at
     */
    public record Result(Path runDir, long steps, StepMetrics lastStep, EvalMetrics lastEval, double seconds, boolean stopped,
            long firstStep, long totalSteps) {
        /** The exit code of a run stopped by a signal. */
        public static final int STOPPED_EXIT_CODE = StopSignal.EXIT_CODE;

        /** Optimizer steps taken by this invocation. */
        public long stepsThisRun() {
            return steps - firstStep;
        }
    }

    private Training() {}

    /** Resolves {@code request}, checks it against the data, trains, and writes the run files. Needs Backend.init(). */
    public static Result run(TrainRequest request) {
        return run(request, List.of());
    }

    /**
     * As {@link #run(TrainRequest)}; {@code commandLine} (the arguments of {@code ./trm} as typed) goes into the run
     * folder's config.json. The resolved configuration is printed on stderr first.
     */
    public static Result run(TrainRequest request, List<String> commandLine) {
        return run(request, commandLine, null);
    }

    /**
     * {@link #run(TrainRequest, List)} as one rank of {@code group} (null: alone). In a group every rank
     * runs the loop on its slice of each batch (see {@link DistributedStep}); rank 0 alone writes the run
     * folder and shows progress.
     */
    public static Result run(TrainRequest request, List<String> commandLine, Group group) {
        long started = System.nanoTime();
        TrainPlan plan = plan(request);
        boolean lead = group == null || group.rank() == 0;
        // every rank has checked the run folder before rank 0 writes to it
        if (group != null) group.agree("training setup", DistributedStep.setup(plan));
        Path dir = plan.out();
        TrainConfig cfg = plan.train();
        RunState.Saved saved = plan.resumed();
        SplitMix explore = new SplitMix(saved != null ? saved.exploreState() : SplitMix.derive(cfg.seed(), -2).nextLong());
        TrmModel model = model(plan);
        if (group != null) DistributedStep.broadcast(group, model);
        TrainStep trainer = new TrainStep(model, cfg, plan.totalSteps(), explore, group);
        TrainingSampler sampler;
        if (saved != null) {
            restore(trainer, saved);
            sampler = TrainingSampler.resume(plan.trainSplit(), cfg.globalBatchSize(), cfg.seed(), saved.sampler());
        } else {
            sampler = TrainingSampler.start(plan.trainSplit(), cfg.globalBatchSize(), cfg.seed());
        }
        // everything is checked: only now does the run folder appear (a refused run leaves none)
        try (RunFolder lock = lead ? RunFolder.lock(dir) : null) {
            return train(plan, trainer, sampler, explore, started, commandLine, group);
        }
    }

    private static Result train(TrainPlan plan, TrainStep trainer, TrainingSampler sampler, SplitMix explore, long started,
                                List<String> commandLine, Group group) {
        boolean lead = group == null || group.rank() == 0;
        Path dir = plan.out();
        RunState.Saved saved = plan.resumed();
        String dataset = Provenance.relative(dir, plan.trainSplit().dir().getParent());
        RunState.Intervals intervals = RunState.Intervals.resolve(plan.request(), saved);
        long evalEvery = intervals.eval();
        long ckptEvery = intervals.checkpoint();
        long evalLimit = intervals.evalLimit() == 0 ? Long.MAX_VALUE : intervals.evalLimit();

        long written;
        if (saved != null) {
            if (lead) RunState.clearTemporaryFiles(dir);
            written = saved.step();
            if (written == 0 && lead) System.err.println("trm: " + dir + " was stopped before its first checkpoint; starting it from scratch");
        } else {
            // a fresh start replaces an earlier run's files (checked by TrainPlan: --force, or no training in them);
            // the step-0 checkpoint makes a run killed before its first interval resumable
            if (lead) RunFolder.clearRunFiles(dir);
            write(dir, trainer, sampler, explore, plan, dataset, intervals, lead);
            written = 0;
        }
        StepMetrics last = null;
        EvalMetrics lastEval = null;
        if (lead) {
            System.err.println(plan.dtype().line());
            plan.dtype().warningOnce().ifPresent(w -> System.err.println("trm: " + w));
            String description = describe(plan, commandLine);
            System.err.println((saved != null ? "resuming " + dir + " from step " + saved.step()
                    : "training in " + dir + " from step 0") + " to step " + plan.totalSteps() + "; resolved configuration ("
                    + dir.resolve(RunState.CONFIG_JSON) + "):");
            System.err.println(description);
            writeConfig(dir, description, saved != null);
        }
        long firstStep = trainer.step();
        Best best = lead ? Best.of(dir) : null;
        boolean stopped = false;
        try (MetricsLog log = !lead ? null : saved != null ? MetricsLog.resume(dir, saved.step()) : MetricsLog.create(dir);
                Progress bar = !lead ? Progress.off() : plan.request().progress()
                        ? Progress.start("train", plan.totalSteps(), "steps", firstStep, true)
                        : Progress.lines("train", plan.totalSteps(), "steps", firstStep);
                StopSignal stop = StopSignal.install()) {
            if (log != null) log.write(runLine(plan, trainer.step()));
            while (trainer.step() < plan.totalSteps() && !(stopped = stopRequested(stop, group))) {
                HostBatch batch = sampler.next();
                last = trainer.run(batch);
                if (log != null) log.write(last.toJson());
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, lr %.2e, exact %s, %.1f ex/s", last.loss(), last.lr(),
                        Double.isNaN(last.exactAccuracy()) ? "-" : String.format(Locale.ROOT, "%.3f", last.exactAccuracy()),
                        last.examplesPerSecond()));
                bar.stepTo(last.step());
                if (ckptEvery > 0 && last.step() % ckptEvery == 0) {
                    write(dir, trainer, sampler, explore, plan, dataset, intervals, lead);
                    written = last.step();
                }
                if (evalEvery > 0 && last.step() % evalEvery == 0 && last.step() < plan.totalSteps() && plan.scoresSomething()) {
                    TrmModel eval = evalModel(trainer);
                    if (plan.testSplit() != null) {
                        lastEval = evaluate(trainer, eval, plan, plan.testSplit(), null, evalLimit, group, Progress.off());
                        if (lead) {
                            log.write(lastEval.toJson());
                            bar.println(evalLine(lastEval, best.keep(lastEval, trainer, dir, dataset)));
                        }
                    }
                    evaluateSets(trainer, eval, plan, evalLimit, group, log, bar::println);
                }
            }
            if (written != trainer.step()) write(dir, trainer, sampler, explore, plan, dataset, intervals, lead);
            bar.close();
            if (stopped) {
                return new Result(dir, trainer.step(), last, lastEval, (System.nanoTime() - started) / 1e9, true, firstStep, plan.totalSteps());
            }
            TrmModel eval = (last != null || saved == null) && plan.scoresSomething() ? evalModel(trainer) : null;
            if (plan.testSplit() != null && eval != null) {
                try (Progress evalBar = Progress.start("final eval", Math.min(evalLimit, plan.testSplit().examples()), "puzzles",
                        lead && plan.request().progress())) {
                    lastEval = evaluate(trainer, eval, plan, plan.testSplit(), null, evalLimit, group, evalBar);
                }
                if (lead) {
                    log.write(lastEval.toJson());
                    System.err.println(evalLine(lastEval, best.keep(lastEval, trainer, dir, dataset)));
                }
            }
            if (eval != null) evaluateSets(trainer, eval, plan, evalLimit, group, log, System.err::println);
        }
        return new Result(dir, trainer.step(), last, lastEval, (System.nanoTime() - started) / 1e9, false, firstStep, plan.totalSteps());
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

    /** The resolved configuration of {@code request} as config.json would hold it; trains nothing, writes nothing. */
    public static String describe(TrainRequest request, List<String> commandLine) {
        return describe(plan(request), commandLine);
    }

    private static TrainPlan plan(TrainRequest request) {
        if (request.evalLimit() != null && request.evalLimit() < 0)
            throw new InputException("--eval-limit: must be 0 (all) or positive, got " + request.evalLimit());
        return TrainPlan.resolve(request);
    }

    private static String describe(TrainPlan plan, List<String> commandLine) {
        RunState.Intervals intervals = RunState.Intervals.resolve(plan.request(), plan.resumed());
        ObjectNode o = TrainConfig.JSON.createObjectNode();
        o.put("command", commandLine.isEmpty() ? "(Training.run from Java)" : "./trm " + String.join(" ", commandLine));
        o.put("run", Provenance.name(plan.out()));
        o.put("data", Provenance.relative(plan.out(), plan.trainSplit().dir().getParent())); // relative to the run folder
        o.put("dtype", plan.dtype().label());
        o.put("dtype_reason", plan.dtype().reason());
        o.put("start_step", plan.resumed() != null ? plan.resumed().step() : 0);
        o.put("total_steps", plan.totalSteps());
        o.set("intervals", readTree(intervals.toJson()));
        o.put("device", plan.device().toString());
        o.set("model", plan.model().toJsonNode());
        o.set("train", readTree(plan.train().toJson()));
        try {
            return TrainConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return TrainConfig.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** config.json of the run; a resumed run appends its own invocation to the file's list. */
    private static void writeConfig(Path dir, String description, boolean resumed) {
        Path file = dir.resolve(RunState.CONFIG_JSON);
        try {
            ArrayNode all = TrainConfig.JSON.createArrayNode();
            if (resumed && Files.isRegularFile(file)) {
                JsonNode old = TrainConfig.JSON.readTree(file.toFile());
                if (old.isArray()) all.addAll((ArrayNode) old);
            }
            all.add(TrainConfig.JSON.readTree(description));
            Path tmp = AtomicOutput.beginFile(file, true);
            Files.writeString(tmp, TrainConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
            AtomicOutput.commitFile(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String evalLine(EvalMetrics e, boolean best) {
        String what = e.set() == null ? "eval at step %,d (first %,d test examples" : "eval " + e.set() + " at step %,d (first %,d examples";
        return String.format(Locale.ROOT, what + ", %s weights): exact accuracy %.4f, cell accuracy %.4f%s",
                e.step(), e.examples(), e.ema() ? "EMA" : "raw", e.exactAccuracy(), e.accuracy(), best ? "; best so far, wrote best.safetensors" : "");
    }

    /** Scores the --eval-data sets (rank 0 logs and prints; every rank takes part in a group). */
    private static void evaluateSets(TrainStep trainer, TrmModel eval, TrainPlan plan, long limit, Group group, MetricsLog log,
            java.util.function.Consumer<String> print) {
        plan.evalSets().forEach((name, set) -> {
            EvalMetrics e = evaluate(trainer, eval, plan, set, name, limit, group, Progress.off());
            if (log != null) {
                log.write(e.toJson());
                print.accept(evalLine(e, false));
            }
        });
    }

    /** The best evaluation so far by exact accuracy; a better one rewrites best.safetensors. */
    private static final class Best {
        private double exact;

        private Best(double exact) {
            this.exact = exact;
        }

        static Best of(Path dir) {
            Path file = dir.resolve(RunState.BEST);
            if (!Files.isRegularFile(file)) return new Best(-1);
            String v = Safetensors.readHeader(file).metadata().get(RunState.BEST_EXACT);
            return new Best(v == null ? -1 : Double.parseDouble(v));
        }

        boolean keep(EvalMetrics e, TrainStep trainer, Path dir, String dataset) {
            if (!(e.exactAccuracy() > exact)) return false;
            exact = e.exactAccuracy();
            RunState.writeModel(dir, RunState.BEST, trainer, dataset, Map.of(RunState.BEST_EXACT, Double.toString(exact),
                    "eval_examples", Long.toString(e.examples())));
            return true;
        }
    }

    /** The first metrics line of every invocation: where it starts and what it computes in. */
    private static com.fasterxml.jackson.databind.JsonNode runLine(TrainPlan plan, long step) {
        var o = TrainConfig.JSON.createObjectNode();
        o.put("type", "run");
        o.put("step", step);
        o.put("dtype", plan.dtype().label());
        o.put("dtype_reason", plan.dtype().reason());
        o.put("device", plan.device().toString());
        return o;
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

    /** The weights evaluations score: the EMA weights (raw without EMA) and the current puzzle table; made once per round of evaluations. */
    private static TrmModel evalModel(TrainStep trainer) {
        TrmModel live = trainer.model();
        Map<String, Tensor> weights = new LinkedHashMap<>(live.state());
        if (trainer.ema() != null) weights.putAll(trainer.ema().weights());
        return TrmModel.fromState(live.config(), weights, live.device());
    }

    /**
     * Evaluation-mode accuracy of {@code eval} ({@link #evalModel}) on {@code split} (named {@code name}, null for
     * the test split); the ranks of {@code group} share the rows and every rank gets the figures of one process.
     */
    private static EvalMetrics evaluate(TrainStep trainer, TrmModel eval, TrainPlan plan, PuzzleDataset split, String name, long limit,
            Group group, Progress progress) {
        int steps = eval.config().supervisionSteps();
        EvalScores s = Scoring.score(eval, split, new Scoring.Options(steps, false, plan.train().microBatch(), limit),
                EvalShard.of(group), null, progress);
        return new EvalMetrics(trainer.step(), s.examples(), s.tokenAccuracy(), s.exactAccuracy(), steps, trainer.ema() != null, name);
    }
}
