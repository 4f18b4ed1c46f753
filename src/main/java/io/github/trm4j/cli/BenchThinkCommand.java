package io.github.trm4j.cli;

import io.github.trm4j.eval.ThinkBenchmark;
import io.github.trm4j.model.Backend;
import io.github.trm4j.solve.Thinking;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm bench think}: accuracy against K and compute for every selection rule (slow). */
@Command(name = "think", mixinStandardHelpOptions = true,
        description = {"Measure thinking harder at test time on one dataset split: exact accuracy against K (and network calls per "
                + "puzzle) for the rules q, vote and rules, for noisy trajectories, symmetric copies and both; or, with --sigmas, "
                + "a noise sweep of trajectories. Each configuration runs once at --k; smaller K use its first candidates.",
                "Writes DIR/results.json, DIR/results.md and DIR/accuracy-vs-compute.png."})
final class BenchThinkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Model to measure (default: the shipped model of the data's kind, Sudoku or maze).")
    Path checkpoint;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder (trm data build sudoku|maze).")
    Path data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME", description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--name", paramLabel = "TEXT", description = "Name of the set in tables and the plot (default: the folder name).")
    String name;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "Puzzles: the first N of the split (default: ${DEFAULT-VALUE}).")
    long limit;

    @Option(names = "--k", defaultValue = "16", paramLabel = "K", description = "Candidates per puzzle of each run (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--modes", split = ",", defaultValue = "trajectories,augment,both", paramLabel = "MODE",
            description = "trajectories, augment and/or both (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--noise", paramLabel = "SIGMA", description = "σ of the trajectories (default: " + Thinking.DEFAULT_NOISE + ").")
    Double noise;

    @Option(names = "--sigmas", split = ",", paramLabel = "SIGMA", description = "A noise sweep instead: trajectories at K for each σ.")
    List<Double> sigmas = List.of();

    @Option(names = "--steps", defaultValue = "0", paramLabel = "N", description = "Supervision steps (default: the model's N_sup).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "ROWS", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise and the Sudoku symmetries (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin DtypeOption dtype;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (refused if not empty, unless --force).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Override
    public Integer call() {
        Backend.init();
        PrintWriter w = spec.commandLine().getOut();
        List<ThinkBenchmark.Mode> m = modes.stream().map(ThinkBenchmark.Mode::parse).toList();
        ThinkBenchmark.run(new ThinkBenchmark.Request(checkpoint, data, split, name == null ? data.getFileName().toString() : name, limit,
                steps, k, m, noise == null ? Thinking.DEFAULT_NOISE : noise, sigmas, batchSize, seed,
                dtype.resolve(io.github.trm4j.model.ComputeDevice.CPU, spec.commandLine().getErr()), out, force), line -> {
                    w.println(line);
                    w.flush();
                });
        w.println("wrote " + out + ": results.json, results.md, accuracy-vs-compute.png");
        return 0;
    }
}
