package io.github.trm4j.data;

import io.github.trm4j.AtomicOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Solves every puzzle of a file, in order, writing one line per puzzle: the 81-digit solution,
 * {@code none} or {@code multiple}. Streams: memory does not grow with the input.
 */
public final class SudokuFileSolver {
    /**
     * Counts of a run. {@code withAnswer} puzzles had an answer in the input; {@code agree} of them
     * have a unique solution equal to it.
     */
    public record Summary(long puzzles, long unique, long none, long multiple, long withAnswer, long agree, double solverSeconds, double seconds) {
        /** Solver throughput, without reading and writing. */
        public double solverPuzzlesPerSecond() {
            return solverSeconds > 0 ? puzzles / solverSeconds : 0;
        }

        /** End-to-end throughput: parsing, checking, solving and writing. */
        public double puzzlesPerSecond() {
            return seconds > 0 ? puzzles / seconds : 0;
        }
    }

    private SudokuFileSolver() {}

    /** Solves {@code input} into {@code out} atomically; refuses an existing file unless {@code force}. */
    public static Summary solveToFile(Path input, Path out, boolean force) {
        Path tmp = AtomicOutput.beginFile(out, force);
        try {
            Summary s;
            // the stream is its own resource: a writer whose final flush fails (disk full) does not close it
            try (OutputStream os = Files.newOutputStream(tmp); BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8))) {
                s = solve(input, w, out.toString());
            }
            AtomicOutput.commitFile(tmp, out);
            return s;
        } catch (IOException e) {
            AtomicOutput.abandon(tmp);
            throw new UncheckedIOException("cannot write " + out, e);
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    /** Solves {@code input}, writing the answer lines to {@code out} (flushed, not closed). */
    public static Summary solve(Path input, Writer out) {
        return solve(input, out, "the solutions");
    }

    /** @param target what {@code out} writes to, for the message when writing fails */
    private static Summary solve(Path input, Writer out, String target) {
        long start = System.nanoTime();
        long solving = 0;
        long puzzles = 0, unique = 0, none = 0, multiple = 0, withAnswer = 0, agree = 0;
        SudokuSolver solver = new SudokuSolver();
        try (SudokuReader reader = SudokuReader.open(input)) {
            for (SudokuPuzzle p = reader.next(); p != null; p = reader.next()) {
                long t = System.nanoTime();
                SudokuSolver.Result r = solver.solve(p.question());
                solving += System.nanoTime() - t;
                puzzles++;
                if (p.hasAnswer()) withAnswer++;
                switch (r.status()) {
                    case UNIQUE -> {
                        unique++;
                        if (p.hasAnswer() && p.answer().equals(r.solution())) agree++;
                        out.write(SudokuPuzzle.toLine(r.solution(), '0'));
                    }
                    case NONE -> {
                        none++;
                        out.write("none");
                    }
                    case MULTIPLE -> {
                        multiple++;
                        out.write("multiple");
                    }
                }
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return new Summary(puzzles, unique, none, multiple, withAnswer, agree, solving / 1e9, (System.nanoTime() - start) / 1e9);
    }
}
