package io.github.trm4j.cli;

import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.dist.Group;
import io.github.trm4j.dist.Launcher;
import io.github.trm4j.InputException;
import io.github.trm4j.model.Backend;
import io.github.trm4j.train.ArchOverride;
import io.github.trm4j.train.LossKind;
import io.github.trm4j.train.NonFiniteLossException;
import io.github.trm4j.train.TrainRequest;
import io.github.trm4j.train.Training;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm train}: trains a TRM with the paper's recipe; see docs/training.md. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a TRM with deep supervision, AdamATan2, sign-SGD puzzle embeddings and EMA.",
            "Writes RUNDIR/metrics.jsonl, RUNDIR/last.safetensors (full state, for --resume) and "
                    + "RUNDIR/model.safetensors (inference weights)."})
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

    @Option(names = "--batch-size", paramLabel = "B", description = "Global batch: slots of the ACT carry (paper 768).")
    Integer batchSize;

    @Option(names = "--micro-batch", paramLabel = "M", description = "Rows per forward pass; M divides B; same update as one pass.")
    Integer microBatch;

    @Option(names = "--lr", description = "AdamATan2 learning rate.")
    Double lr;

    @Option(names = "--warmup-steps", description = "Linear warm-up steps of both learning rates.")
    Long warmupSteps;

    @Option(names = "--lr-min-ratio", description = "Cosine floor as a fraction of the rate (1 = constant).")
    Double lrMinRatio;

    @Option(names = "--weight-decay", description = "AdamATan2 decoupled weight decay.")
    Double weightDecay;

    @Option(names = "--puzzle-emb-lr", description = "Sign-SGD learning rate of the puzzle embeddings.")
    Double puzzleEmbLr;

    @Option(names = "--puzzle-emb-weight-decay", description = "Sign-SGD weight decay of the puzzle embeddings.")
    Double puzzleEmbWeightDecay;

    @Option(names = "--ema-rate", description = "EMA rate (turns EMA on).")
    Double emaRate;

    @Option(names = "--no-ema", description = "No EMA: evaluate and save the raw weights.")
    boolean noEma;

    @Option(names = "--halt-exploration-prob", description = "ACT exploration probability (paper 0.1).")
    Double haltExplorationProb;

    @Option(names = "--loss", description = "Token loss: ${COMPLETION-CANDIDATES} (default STABLEMAX, as the paper).")
    LossKind loss;

    @Option(names = "--seed", description = "Seeds the initialisation, the data order and the halting exploration.")
    Long seed;

    @Option(names = "--dtype", paramLabel = "bf16|fp32", description = "Forward dtype (default: the config's; presets bf16).")
    String dtype;

    @Option(names = "--device", paramLabel = "cpu|cuda", description = "Compute device (default cpu).")
    String device;

    @Option(names = "--out", paramLabel = "RUNDIR", description = "Run folder (refused if not empty, unless --force).")
    Path out;

    @Option(names = "--hidden-size", paramLabel = "D", description = "Architecture: hidden size D (default: the preset's or config's).")
    Integer hiddenSize;

    @Option(names = "--heads", description = "Architecture: attention heads (must divide D).")
    Integer heads;

    @Option(names = "--expansion", description = "Architecture: SwiGLU expansion (paper 4).")
    Double expansion;

    @Option(names = "--layers", description = "Architecture: layers of the network (paper 2).")
    Integer layers;

    @Option(names = "--n", description = "Recursion: latent steps per recursion n (paper 6).")
    Integer latentSteps;

    @Option(names = "--T", description = "Recursion: deep recursions T (paper 3).")
    Integer recursions;

    @Option(names = "--n-sup", paramLabel = "N", description = "Recursion: supervision steps N_sup (paper 16).")
    Integer supervisionSteps;

    @Option(names = "--force", description = "Start over in a non-empty run folder.")
    boolean force;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--nproc-per-node", paramLabel = "N",
            description = "Start N worker processes on this machine (like torchrun --standalone); see docs/distributed.md.")
    Integer nprocPerNode;

    @Option(names = "--dist-backend", paramLabel = "gloo|nccl",
            description = "c10d backend of a distributed run (default: nccl with --device cuda, else gloo).")
    String distBackend;

    @Option(names = "--dist-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "A rank that does not answer within this time ends the run on every rank (default ${DEFAULT-VALUE}).")
    long distTimeout;

    @Override
    public Integer call() {
        DistEnv env = DistEnv.fromEnvironment(System.getenv());
        if (nprocPerNode != null) {
            if (env != null) throw new InputException("--nproc-per-node: this process is already rank " + env.rank()
                    + " of a group (RANK is set); launch with one or the other");
            return Launcher.run(nprocPerNode, workerArgs(), Duration.ofSeconds(distTimeout + 15), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        if (distTimeout < 1) throw new InputException("--dist-timeout: must be at least 1 second, got " + distTimeout);
        int cores = Integer.getInteger("trm.threads", Runtime.getRuntime().availableProcessors());
        Backend.init(env != null ? env.threads(cores) : cores);
        TrainRequest request = new TrainRequest(preset, config, data, initFrom, resume,
                length == null ? null : length.maxSteps, length == null ? null : length.epochs,
                evalInterval, checkpointInterval, evalLimit, batchSize, microBatch, lr, warmupSteps, lrMinRatio,
                weightDecay, puzzleEmbLr, puzzleEmbWeightDecay, emaRate, noEma, haltExplorationProb, seed, loss,
                dtype, device, out, force, !noProgress,
                new ArchOverride(hiddenSize, heads, expansion, layers, latentSteps, recursions, supervisionSteps));
        try (Group group = env == null || env.worldSize() == 1 ? null : Group.join(env, backend(), Duration.ofSeconds(distTimeout))) {
            Training.Result r = Training.run(request, group);
            if (group != null) group.finish();
            var o = spec.commandLine().getOut();
            if (group != null && group.rank() != 0) return r.stopped() ? Training.Result.STOPPED_EXIT_CODE : 0;
            if (r.stopped()) {
                spec.commandLine().getErr().println("trm: stopped at step " + r.steps() + "; the checkpoint " + r.runDir().resolve("last.safetensors")
                        + " is complete; continue with: trm train --resume " + r.runDir());
                return Training.Result.STOPPED_EXIT_CODE;
            }
            o.println("trained " + r.steps() + " steps in " + String.format("%.1f", r.seconds()) + " s; run folder " + r.runDir());
            if (r.lastEval() != null)
                o.println(String.format("test (first %d examples, %s weights): exact accuracy %.4f, cell accuracy %.4f",
                        r.lastEval().examples(), r.lastEval().ema() ? "EMA" : "raw", r.lastEval().exactAccuracy(), r.lastEval().accuracy()));
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

    private Group.Kind backend() {
        if (distBackend == null) return "cuda".equals(device) ? Group.Kind.NCCL : Group.Kind.GLOO;
        return switch (distBackend) {
            case "gloo" -> Group.Kind.GLOO;
            case "nccl" -> Group.Kind.NCCL;
            default -> throw new InputException("--dist-backend: '" + distBackend + "' is not gloo or nccl");
        };
    }

    /** This command line for the workers: without --nproc-per-node, and without progress bars. */
    private List<String> workerArgs() {
        List<String> given = spec.commandLine().getParseResult().originalArgs();
        List<String> out = new ArrayList<>(List.of("train"));
        for (int i = given.indexOf("train") + 1; i < given.size(); i++) {
            String a = given.get(i);
            if (a.equals("--nproc-per-node")) i++;
            else if (!a.startsWith("--nproc-per-node=")) out.add(a);
        }
        if (!out.contains("--no-progress")) out.add("--no-progress");
        return out;
    }
}
