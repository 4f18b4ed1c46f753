package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import io.github.trm4j.data.SudokuGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code trm data generate sudoku}: puzzles with a unique solution, as a Sudoku-Extreme CSV. */
@Command(name = "sudoku", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Generate Sudokus with exactly one solution, written as a Sudoku-Extreme CSV (source,question,answer,rating; '.' = blank).",
            "Each puzzle: a random full grid, then clues removed in random order while the solution stays unique, "
                    + "down to the low end of --givens or until no clue can go; attempts outside the target are retried.",
            "Without --givens or --min-rating the puzzles are minimal (typically 22-27 clues).",
            "rating = dead ends a naked/hidden-singles search with fewest-candidate branching meets before the solution "
                    + "(the rating column of the shared *_solved.csv files; magictour's median is 11)."})
final class GenerateSudokuCommand implements Callable<Integer> {
    @Option(names = "--count", required = true, paramLabel = "N", showDefaultValue = Visibility.NEVER, description = "Puzzles to write.")
    int count;

    @ArgGroup(exclusive = true)
    Difficulty difficulty;

    static final class Difficulty {
        @Option(names = "--givens", paramLabel = "A-B", converter = GivensRange.class,
                description = "Number of clues, A..B (A >= 17; e.g. 22-26 or 30). Ranges below about 20 rarely succeed.")
        SudokuGenerator.Target givens;

        @Option(names = "--min-rating", paramLabel = "R", description = "Minimal puzzles with rating >= R (about 17 attempts per puzzle for R = 5, 90 for R = 10).")
        Integer minRating;
    }

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Same seed, same file.")
    long seed;

    @Option(names = "--force", description = "Replace an existing --out.")
    boolean force;

    @Option(names = "--out", required = true, paramLabel = "CSV", description = "CSV file to write.")
    Path out;

    @Option(names = "--no-progress", description = "Hide the progress (stderr: a bar on a terminal, else a line every 10 s).")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SudokuGenerator.Target target = SudokuGenerator.Target.minimal();
        if (difficulty != null && difficulty.givens != null) target = difficulty.givens;
        if (difficulty != null && difficulty.minRating != null) target = SudokuGenerator.Target.rating(difficulty.minRating);
        SudokuGenerator.Summary s;
        try (Progress progress = Progress.start("generate", count, "puzzles", !noProgress)) {
            s = SudokuGenerator.writeCsv(out, force, count, target, seed, progress);
        }
        spec.commandLine().getErr().printf(java.util.Locale.ROOT, "wrote %,d puzzles to %s in %.1f s (%,.0f puzzles/s, %.2f attempts per puzzle)%n",
                s.puzzles(), s.file(), s.seconds(), s.puzzlesPerSecond(), (double) s.attempts() / s.puzzles());
        return 0;
    }

    /** "A-B" or "A" into a givens target. */
    static final class GivensRange implements ITypeConverter<SudokuGenerator.Target> {
        @Override
        public SudokuGenerator.Target convert(String value) {
            String[] parts = value.strip().split("-", -1);
            try {
                int a = Integer.parseInt(parts[0].strip());
                int b = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : a;
                if (parts.length > 2) throw new NumberFormatException();
                return SudokuGenerator.Target.givens(a, b);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a clue count A-B such as 22-26");
            } catch (InputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
