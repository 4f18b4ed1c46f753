package io.github.trm4j.cli;

import io.github.trm4j.data.SudokuFileSolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm data solve sudoku}: the exact solver over a file of puzzles. */
@Command(name = "sudoku", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Solve Sudokus exactly. One line per input puzzle, in order: the 81-digit solution, or 'none' or 'multiple'.",
            "Input: a Sudoku-Extreme CSV (source,question,answer,rating) or a line file (81 characters a line, '#' comments).",
            "A summary goes to stderr: counts, puzzles/s and, for a CSV with answers, how many agree."})
final class SolveSudokuCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "CSV|TXT", description = "Puzzles to solve.")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the lines here instead of stdout.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SudokuFileSolver.Summary s = out == null
                ? SudokuFileSolver.solve(input, spec.commandLine().getOut())
                : SudokuFileSolver.solveToFile(input, out, force);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("solved %,d puzzles: %,d unique, %,d none, %,d multiple%n", s.puzzles(), s.unique(), s.none(), s.multiple());
        if (s.withAnswer() > 0) err.printf("%,d of %,d given answers agree%n", s.agree(), s.withAnswer());
        err.printf("%.2f s: solver %,.0f puzzles/s, end to end %,.0f puzzles/s (single thread)%n", s.seconds(), s.solverPuzzlesPerSecond(), s.puzzlesPerSecond());
        return 0;
    }
}
