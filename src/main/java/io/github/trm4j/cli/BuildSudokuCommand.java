package io.github.trm4j.cli;

import io.github.trm4j.data.SudokuDatasetBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm data build sudoku}: the Sudoku-Extreme dataset of spec 6.2 in the official layout. */
@Command(name = "sudoku", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Build a Sudoku dataset in the official TRM layout (train/ and test/ with all__*.npy and dataset.json).",
            "Train: a seeded subsample of --input, each puzzle followed by --augment transformed copies "
                    + "(digit permutation, transpose, band/stack and row/column permutations), one group per original.",
            "Test: --test-input whole, unaugmented. Without --test-input only the train split is written.",
            "Inputs are Sudoku-Extreme CSVs (source,question,answer,rating) or line files (81 characters a line, "
                    + "'#' comments); line-file puzzles are labelled by the exact solver and must be unique."})
final class BuildSudokuCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "CSV|TXT", description = "Training puzzles.")
    Path input;

    @Option(names = "--test-input", paramLabel = "CSV|TXT", description = "Test puzzles (none: train split only).")
    Path testInput;

    @Option(names = "--subsample", defaultValue = "0", paramLabel = "N", description = "Training puzzles drawn at random, kept in file order (0 = all; the paper: 1000).")
    int subsample;

    @Option(names = "--augment", defaultValue = "0", paramLabel = "N", description = "Transformed copies per training puzzle (the paper: 1000).")
    int augment;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the subsample and the augmentations.")
    long seed;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Option(names = "--no-progress", description = "Hide the progress of builds of 50,000 examples or more (stderr).")
    boolean noProgress;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder to create.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SudokuDatasetBuilder.Result r = SudokuDatasetBuilder.build(new SudokuDatasetBuilder.Options(input, testInput, subsample, augment, seed, force, out, !noProgress));
        PrintWriter err = spec.commandLine().getErr();
        for (SudokuDatasetBuilder.Split s : r.splits())
            err.printf(java.util.Locale.ROOT, "%s: %,d examples, %,d puzzles, %,d groups, %s tokens%n", s.name(), s.examples(), s.puzzles(), s.groups(), s.tokenType().name().toLowerCase());
        if (r.test() == null) err.println("no --test-input: train split only");
        err.printf(java.util.Locale.ROOT, "wrote %s in %.1f s%n", r.out(), r.seconds());
        return 0;
    }
}
