package io.github.trm4j.cli;

import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.dist.Group;
import io.github.trm4j.train.ArchOverride;
import io.github.trm4j.train.LossKind;
import io.github.trm4j.train.NonFiniteLossException;
import io.github.trm4j.train.TrainRequest;
import io.github.trm4j.train.Training;
import io.github.trm4j.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm train}: trains a TRM with the paper's recipe; see docs/training.md. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a TRM with deep supervision, AdamATan2, sign-SGD puzzle embeddings and EMA.",
            "Writes RUNDIR/config.json (the resolved configuration and command line), RUNDIR/metrics.jsonl, "
                    + "RUNDIR/last.safetensors (full state, for --resume), RUNDIR/model.safetensors (inference weights) "
                    + "and RUNDIR/best.safetensors (the weights of the evaluation with the best exact accuracy).",
            "Recipe options left out take the value of the preset, config or checkpoint (docs/training.md lists the recipes).",
            ""})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "Model preset (architecture and the paper's recipe for its task).")
    String preset;

    @Option(names = "--config", paramLabel = "YAML", description = "An official all_config.yaml (architecture and hyperparameters).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder with train/ (and test/ for evaluation).")
    Path data;

    @Option(names = "--init-from", paramLabel = "CKPT", description = "Start from an official step_N or a trm4j checkpoint.")
    Path initFrom;

    @Option(names = "--resume", paramLabel = "RUNDIR", description = "Continue a run exactly where its last checkpoint left it.")
    Path resume;

    @ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--max-steps", paramLabel = "N", description = "Optimizer steps of the whole run.")
        Long maxSteps;

        @Option(names = "--epochs", paramLabel = "E", description = "Passes over the groups (steps = E·groups·examples/batch).")
        Double epochs;
    }

    @Option(names = "--eval-interval", paramLabel = "K",
            description = "Evaluate on the test split every K steps (default: only at the end; --resume: the run's).")
    Long evalInterval;

    @Option(names = "--eval-limit", paramLabel = "N",
            description = "Test examples per evaluation (default " + Training.DEFAULT_EVAL_LIMIT + "; 0 = all; --resume: the run's).")
    Long evalLimit;

    @Option(names = "--checkpoint-interval", paramLabel = "K",
            description = "Write the run files every K steps (default 500; --resume: the run's) and at the end.")
    Long checkpointInterval;

    @Option(names = "--batch-size", paramLabel = "B", description = "Global batch: slots of the ACT carry (default: the preset's; paper 768).")
    Integer batchSize;

    @Option(names = "--micro-batch", paramLabel = "M", description = "Rows per forward pass; M divides B; same update as one pass.")
    Integer microBatch;

    @Option(names = "--lr", paramLabel = "LR", description = "AdamATan2 learning rate (default: the preset's; paper 1e-4).")
    Double lr;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warm-up steps of both learning rates (default: the preset's; paper 2000).")
    Long warmupSteps;

    @Option(names = "--lr-min-ratio", paramLabel = "R", description = "Cosine floor as a fraction of the rate (default: the preset's; 1 = constant, the paper's).")
    Double lrMinRatio;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamATan2 decoupled weight decay (default: the preset's; paper 1.0 Sudoku/maze, 0.1 ARC).")
    Double weightDecay;

    @Option(names = "--puzzle-emb-lr", paramLabel = "LR", description = "Sign-SGD learning rate of the puzzle embeddings (default: the preset's).")
    Double puzzleEmbLr;

    @Option(names = "--puzzle-emb-weight-decay", paramLabel = "WD", description = "Sign-SGD weight decay of the puzzle embeddings (default: the preset's).")
    Double puzzleEmbWeightDecay;

    @Option(names = "--ema-rate", paramLabel = "R", description = "EMA rate, turns EMA on (default: the preset's; paper 0.999).")
    Double emaRate;

    @Option(names = "--no-ema", description = "No EMA: evaluate and save the raw weights.")
    boolean noEma;

    @Option(names = "--halt-exploration-prob", paramLabel = "P", description = "ACT exploration probability (default: the preset's; paper 0.1).")
    Double haltExplorationProb;

    @Option(names = "--loss", paramLabel = "stablemax|softmax", description = "Token loss (default: stablemax, as the paper).")
    LossKind loss;

    @Option(names = "--depth-curriculum", paramLabel = "STAGES", arity = "0..1", fallbackValue = "default",
            description = {"Depth curriculum (CGAR): shallower recursions first. Without a value: " + io.github.trm4j.train.DepthCurriculum.DEFAULT
                    + " (T 1, n 2 for the first 30% of the steps, T 2, n 4 up to 60%; capped at a shallower model's depth), then the model's own T and n;"
                    + " stages as T<t>n<n>@<fraction>, comma-separated; 'off' turns it off."})
    String depthCurriculum;

    @Option(names = "--supervision-decay", paramLabel = "W",
            description = "Weight the loss of a sequence's k-th supervision step (k from 0) by W^k, normalised to mean 1 over N_sup steps "
                    + "(CGAR uses 0.7; default: off, every step weight 1).")
    Double supervisionDecay;

    @Option(names = "--eval-data", paramLabel = "NAME=DIR",
            description = "More sets scored at every evaluation, by name in metrics.jsonl (DIR: a dataset folder; its test/ split, else train/). Repeatable.")
    java.util.Map<String, java.nio.file.Path> evalData = new java.util.LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the initialisation, the data order and the halting exploration (default: the preset's, 0).")
    Long seed;

    @Option(names = "--dtype", paramLabel = "auto|fp32|bf16", description = "Forward dtype (default: auto: bf16 where the device "
            + "computes it natively, else fp32; a resumed run keeps its own dtype where the device computes it natively).")
    String dtype;

    @Option(names = "--device", paramLabel = "cpu|cuda", description = "Compute device (default: cpu).")
    String device;

    @Option(names = "--out", paramLabel = "RUNDIR", description = "Run folder (refused if not empty, unless --force).")
    Path out;

    @Option(names = "--hidden-size", paramLabel = "D", description = "Architecture: hidden size D (default: the preset's or config's).")
    Integer hiddenSize;

    @Option(names = "--heads", paramLabel = "H", description = "Architecture: attention heads, dividing D (default: the preset's).")
    Integer heads;

    @Option(names = "--expansion", paramLabel = "E", description = "Architecture: SwiGLU expansion (default: the preset's; paper 4).")
    Double expansion;

    @Option(names = "--layers", paramLabel = "L", description = "Architecture: layers of the network (default: the preset's; paper 2).")
    Integer layers;

    @Option(names = "--n", paramLabel = "n", description = "Recursion: latent steps per recursion n (default: the preset's; paper 6).")
    Integer latentSteps;

    @Option(names = "--T", paramLabel = "T", description = "Recursion: deep recursions T (default: the preset's; paper 3).")
    Integer recursions;

    @Option(names = "--n-sup", paramLabel = "N", description = "Recursion: supervision steps N_sup (default: the preset's; paper 16).")
    Integer supervisionSteps;

    @Option(names = "--force", description = "Start over in a non-empty run folder.")
    boolean force;

    @Option(names = "--no-progress", description = "No progress bar: plain lines on stderr (step, loss, lr, ETA every "
            + Progress.LOG_SECONDS + " s, and every evaluation), as when stderr is not a terminal.")
    boolean noProgress;

    @Option(names = "--dry-run", description = "Print the resolved configuration (as RUNDIR/config.json would hold it) and stop.")
    boolean dryRun;

    @Mixin
    DistOptions dist;

    @Override
    public Integer call() {
        DistEnv env = DistEnv.fromEnvironment(System.getenv());
        Integer launched = dist.launch(spec, "train", env);
        if (launched != null) return launched;
        DistOptions.initBackend(env);
        TrainRequest request = new TrainRequest(preset, config, data, initFrom, resume,
                length == null ? null : length.maxSteps, length == null ? null : length.epochs,
                evalInterval, checkpointInterval, evalLimit, batchSize, microBatch, lr, warmupSteps, lrMinRatio,
                weightDecay, puzzleEmbLr, puzzleEmbWeightDecay, emaRate, noEma, haltExplorationProb, seed, loss,
                dtype, device, out, force, !noProgress,
                new ArchOverride(hiddenSize, heads, expansion, layers, latentSteps, recursions, supervisionSteps),
                new TrainRequest.Extras(depthCurriculum, supervisionDecay, evalData));
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        if (dryRun) {
            spec.commandLine().getOut().println(Training.describe(request, args));
            return 0;
        }
        try (Group group = dist.join(env, device)) {
            Training.Result r = Training.run(request, args, group);
            if (group != null) group.finish();
            var err = spec.commandLine().getErr();
            if (group != null && group.rank() != 0) return r.stopped() ? Training.Result.STOPPED_EXIT_CODE : 0;
            if (r.stopped()) {
                err.println("trm: stopped at step " + r.steps() + "; the checkpoint " + r.runDir().resolve("last.safetensors")
                        + " is complete; continue with: ./trm train --resume " + r.runDir());
                return Training.Result.STOPPED_EXIT_CODE;
            }
            err.println(String.format(Locale.ROOT, "trained %,d steps (steps %,d to %,d of %,d) in %.1f s; run folder %s", r.stepsThisRun(),
                    r.firstStep(), r.steps(), r.totalSteps(), r.seconds(), r.runDir()));
            return 0;
        } catch (NonFiniteLossException e) {
            Path dir = resume != null ? resume : out;
            spec.commandLine().getErr().println("trm: " + e.getMessage() + "; the last good checkpoint stays in "
                    + dir.resolve("last.safetensors"));
            return 3;
        } catch (Group.Failure e) {
            spec.commandLine().getErr().println("trm: " + e.getMessage());
            return 4;
        }
    }
}
