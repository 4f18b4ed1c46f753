package io.github.trm4j.cli;

import io.github.trm4j.data.MazeDatasetBuilder;
import io.github.trm4j.data.SplitWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm data build maze}: Maze-Hard CSVs to the official dataset layout. */
@Command(name = "maze", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Build a maze dataset in the official layout (uint8 tokens, vocab 6, seq_len = side^2, "
                + "one group per maze, puzzle identifiers all 0).",
                "Note: the official README command builds WITHOUT augmentation (the builder's aug flag defaults to "
                + "False), although the paper mentions 8 dihedral versions; pass --augment for those (train split only)."})
final class BuildMazeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "CSV", required = true, description = "Training mazes (CSV source,question,answer,rating).")
    Path input;

    @Option(names = "--test-input", paramLabel = "CSV", description = "Test mazes (CSV); written whole and unaugmented. Without it only train is written.")
    Path testInput;

    @Option(names = "--augment", description = "Write the 8 dihedral versions of every training maze as 8 puzzles of its group.")
    boolean augment;

    @Option(names = "--subsample", paramLabel = "N", defaultValue = "0", description = "Keep this many training mazes, drawn with --seed (0 = all).")
    int subsample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed of --subsample.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output dataset folder.")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty output folder.")
    boolean force;

    @Override
    public Integer call() {
        var s = MazeDatasetBuilder.build(new MazeDatasetBuilder.Options(input, testInput, augment, subsample, seed, out, force));
        var err = spec.commandLine().getErr();
        err.printf(java.util.Locale.ROOT, "built %s (%dx%d mazes, seq_len %d) in %.1f s%n", out, s.side(), s.side(), s.side() * s.side(), s.seconds());
        print(err, "train", s.train());
        if (s.test() != null) print(err, "test", s.test());
        return 0;
    }

    private static void print(PrintWriter err, String split, SplitWriter.Counts c) {
        err.printf(java.util.Locale.ROOT, "%s: %,d examples, %,d puzzles, %,d groups%n", split, c.examples(), c.puzzles(), c.groups());
    }
}
