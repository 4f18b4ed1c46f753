package io.github.trm4j.data;

import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded generator of Sudokus with a unique solution. One attempt: a random full grid (the solver
 * on an empty grid, digits tried in random order), then clues removed in random order as long as
 * the solution stays unique, until the target's fewest clues is reached or no clue can go (the
 * puzzle is minimal). An attempt that ends outside the target (more clues than its maximum, too low
 * a rating) is retried. So {@code 20-30} mostly gives minimal puzzles (typically 22-27 clues) and
 * {@code 30-35} gives puzzles of exactly 30.
 */
public final class SudokuGenerator {
    /** Source name written in the CSV's {@code source} column. */
    public static final String SOURCE = "trm4j-gen";

    /**
     * What to generate.
     *
     * @param minGivens fewest clues (at least 17: no unique Sudoku has fewer)
     * @param maxGivens most clues
     * @param minRating least {@link SudokuSolver#rating} (0 = any)
     */
    public record Target(int minGivens, int maxGivens, int minRating) {
        public Target {
            if (minGivens < 17 || maxGivens > 81 || minGivens > maxGivens)
                throw new InputException("--givens " + minGivens + "-" + maxGivens + ": need 17 <= A <= B <= 81 (no unique Sudoku has fewer than 17 clues)");
            if (minRating < 0) throw new InputException("--min-rating " + minRating + ": must be at least 0");
        }

        /** Minimal puzzles (no clue can be removed), any clue count and rating. */
        public static Target minimal() {
            return new Target(17, 81, 0);
        }

        public static Target givens(int min, int max) {
            return new Target(min, max, 0);
        }

        /** Minimal puzzles whose rating is at least {@code rating}. */
        public static Target rating(int rating) {
            return new Target(17, 81, rating);
        }
    }

    /** A generated puzzle, its rating, and how many attempts it took. */
    public record Generated(SudokuPuzzle puzzle, int rating, int attempts) {}

    /** What {@link #writeCsv} wrote. */
    public record Summary(Path file, int puzzles, long attempts, double seconds) {
        public double puzzlesPerSecond() {
            return seconds > 0 ? puzzles / seconds : 0;
        }
    }

    static final int MAX_ATTEMPTS = 20_000;

    private final SplittableRandom rng;
    private final SudokuSolver solver = new SudokuSolver();

    public SudokuGenerator(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** The next puzzle meeting {@code target}; an InputException if {@value #MAX_ATTEMPTS} attempts fail. */
    public Generated next(Target target) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Grid full = solver.randomSolution(Grid.zeros(9, 9), rng);
            Grid question = removeClues(full, target.minGivens());
            int givens = new SudokuPuzzle(question, full).givens();
            if (givens > target.maxGivens()) continue;
            int rating = solver.rating(question);
            if (rating < target.minRating()) continue;
            return new Generated(new SudokuPuzzle(question, full), rating, attempt);
        }
        throw new InputException("no puzzle with " + target.minGivens() + "-" + target.maxGivens() + " givens and rating >= " + target.minRating()
                + " in " + MAX_ATTEMPTS + " attempts (random minimal puzzles have about 20-27 givens and low ratings)");
    }

    /** Blanks clues of {@code full} in random order while the puzzle stays unique, stopping at {@code goal} clues. */
    private Grid removeClues(Grid full, int goal) {
        byte[] cells = full.cells();
        int[] order = new int[81];
        for (int i = 0; i < 81; i++) order[i] = i;
        for (int i = 80; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int givens = 81;
        for (int k = 0; k < 81 && givens > goal; k++) {
            int cell = order[k];
            byte v = cells[cell];
            cells[cell] = 0;
            if (!solver.hasSolutionWithout(Grid.of(9, 9, cells), cell, v)) givens--;
            else cells[cell] = v;
        }
        return Grid.of(9, 9, cells);
    }

    /**
     * Writes {@code count} puzzles as a Sudoku-Extreme CSV ({@code source,question,answer,rating},
     * '.' for blanks) to {@code out}, atomically; refuses an existing file unless {@code force}.
     */
    public static Summary writeCsv(Path out, boolean force, int count, Target target, long seed) {
        return writeCsv(out, force, count, target, seed, Progress.off());
    }

    /** As {@link #writeCsv(Path, boolean, int, Target, long)}, advancing {@code progress} puzzle by puzzle. */
    public static Summary writeCsv(Path out, boolean force, int count, Target target, long seed, Progress progress) {
        if (count < 1) throw new InputException("--count " + count + ": must be at least 1");
        SudokuGenerator gen = new SudokuGenerator(seed);
        Path tmp = AtomicOutput.beginFile(out, force);
        long start = System.nanoTime();
        long attempts = 0;
        try {
            // the stream is its own resource: a writer whose final flush fails (disk full) does not close it
            try (OutputStream os = Files.newOutputStream(tmp); BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8))) {
                w.write(SudokuReader.CSV_HEADER);
                w.write('\n');
                for (int i = 0; i < count; i++) {
                    Generated g = gen.next(target);
                    attempts += g.attempts();
                    w.write(SOURCE + "," + SudokuPuzzle.toLine(g.puzzle().question(), '.') + "," + SudokuPuzzle.toLine(g.puzzle().answer(), '.') + "," + g.rating() + "\n");
                    progress.stepTo(i + 1);
                }
            }
            AtomicOutput.commitFile(tmp, out);
        } catch (IOException e) {
            AtomicOutput.abandon(tmp);
            throw Npy.io(out, e);
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
        return new Summary(out, count, attempts, (System.nanoTime() - start) / 1e9);
    }
}
