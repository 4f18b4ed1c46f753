package io.github.trm4j.cli;

import io.github.trm4j.eval.ArcScores;
import io.github.trm4j.eval.EnsembleScoring;
import io.github.trm4j.solve.Thinking;
import io.github.trm4j.eval.EvalScores;
import io.github.trm4j.eval.Evaluate;
import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.dist.Group;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm eval}: the paper's evaluation protocol on a dataset split. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {"Score a checkpoint on a dataset split (spec 7): exact and token accuracy after the last step and after "
                + "every supervision step, Q-halt accuracy, steps used, puzzles/s. Writes DIR/metrics.json, DIR/accuracy.png and "
                + "DIR/predictions.npy (Sudoku, maze); on an ARC test split votes across augmentations and writes pass@k and "
                + "DIR/submission.json.",
            "With --nproc-per-node N or under torchrun, the ranks share the split and rank 0 writes the same files (docs/distributed.md)."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "trm4j .safetensors or official step_N. Repeat it, with --pool-votes, to pool ARC votes over checkpoints in order.")
    List<Path> checkpoints;

    @Option(names = "--config", paramLabel = "YAML", description = "Official all_config.yaml (default: beside the checkpoint, else the safetensors metadata).")
    Path config;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder in the official layout (trm data build ...).")
    Path data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME", description = "Split folder to score (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--steps", paramLabel = "N", description = "Supervision steps (default: the model's N_sup; more is test-time scaling).")
    Integer steps;

    @Option(names = "--adaptive", description = "Stop each puzzle at its first q_halt > 0 (at most --steps); reports the steps used.")
    boolean adaptive;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "B", description = "Puzzles per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N", description = "Score only the first N examples of the split.")
    Long limit;

    @Mixin DtypeOption dtype;

    @Option(names = "--pool-votes", description = "ARC: one vote store for all --checkpoint files, never cleared, as the official "
            + "evaluator does across evaluations during training (bug #35); reports pass@k after each checkpoint.")
    boolean poolVotes;

    @Option(names = "--no-progress", negatable = false, description = "Hide the progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (refused if not empty, unless --force).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Mixin
    ThinkingOptions thinking;

    @Mixin
    DistOptions dist;

    @Override
    public Integer call() {
        DistEnv env = DistEnv.fromEnvironment(System.getenv());
        Integer launched = dist.launch(spec, "eval", env);
        if (launched != null) return launched;
        DistOptions.initBackend(env);
        PrintWriter err = spec.commandLine().getErr();
        DtypeChoice choice = dtype.resolve(ComputeDevice.CPU, err);
        Evaluate.Request request = new Evaluate.Request(checkpoints, config, data, split, steps, adaptive, batchSize, limit,
                choice, poolVotes, !noProgress, out, force, thinking.toThinking());
        try (Group group = dist.join(env, "cpu")) {
            Evaluate.Result r = Evaluate.run(request, group);
            if (group != null) group.finish();
            if (group != null && group.rank() != 0) return 0;
            err.println(choice.line());
            print(err, r);
            return 0;
        } catch (Group.Failure e) {
            err.println("trm: " + e.getMessage());
            return 4;
        }
    }

    private static void print(PrintWriter w, Evaluate.Result r) {
        EvalScores s = r.scores();
        w.printf(Locale.ROOT, "%s %s: %,d puzzles, %s %d steps (model N_sup %d)%n", r.kind().name().toLowerCase(Locale.ROOT), r.split(),
                s.examples(), s.adaptive() ? "adaptive, at most" : "fixed", s.steps(), s.supervisionSteps());
        w.printf(Locale.ROOT, "  exact accuracy %.2f%%   token accuracy %.2f%%   q-halt accuracy %.2f%%   mean steps %.2f%n",
                100 * s.exactAccuracy(), 100 * s.tokenAccuracy(), 100 * s.qHaltAccuracy(), s.meanSteps());
        StringBuilder curve = new StringBuilder("  exact by step:");
        for (EvalScores.StepScore p : s.perStep()) curve.append(String.format(Locale.ROOT, " %d:%.1f%%", p.step(), 100 * p.exactAccuracy()));
        w.println(curve);
        if (r.thinking() != null) thinking(w, r.thinking());
        for (ArcScores a : r.arcHistory()) w.println("  pooled after checkpoint: " + passAt(a));
        if (r.arc() != null) w.printf(Locale.ROOT, "  ARC (%d of %d tasks): %s%n", r.arc().tasksEvaluated(), r.arc().tasks(), passAt(r.arc()));
        w.printf(Locale.ROOT, "  %.1f puzzles/s (%.1f s)%n", s.puzzlesPerSecond(), s.seconds());
        w.printf("wrote %s: %s%n", r.out(), String.join(", ", r.files()));
    }

    /** "  thinking: 16 × 1 (σ 0.30), rule q, 1,280 net calls per puzzle" and one "accuracy vs K" line per rule. */
    private static void thinking(PrintWriter w, EnsembleScoring.Result t) {
        Thinking k = t.thinking();
        w.printf(Locale.ROOT, "  thinking: %d trajectories × %d copies (σ %.2f on %s, steps %s), rule %s, %,.0f net calls per puzzle%n",
                k.trajectories(), k.augment(), k.noise(), k.noiseOn().name().toLowerCase(Locale.ROOT), k.noiseSteps(), k.select().label(),
                t.netCallsPerPuzzle());
        t.curves().forEach((rule, points) -> {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  exact by K, %-5s:", rule.label()));
            for (EnsembleScoring.Point p : points) b.append(String.format(Locale.ROOT, " %d:%.1f%%", p.k(), 100 * p.exactAccuracy()));
            w.println(b);
        });
    }

    private static String passAt(ArcScores a) {
        StringBuilder b = new StringBuilder();
        a.passAtK().forEach((k, v) -> b.append(String.format(Locale.ROOT, "pass@%d %.2f%%  ", k, 100 * v)));
        return b.toString().trim();
    }
}
