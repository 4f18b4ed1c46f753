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
import java.util.Optional;

/**
 * Solves every maze of a Maze-Hard CSV with {@link MazeSolver}: one line per maze, in order, the
 * solved grid as its row-major string (side² characters, no quoting) or {@code none}.
 */
public final class MazeFileSolver {
    private MazeFileSolver() {}

    /**
     * Totals: mazes read, solved (G reachable), solved with a unique shortest path, mazes that came
     * with an answer and how many of those equal the solver's grid (with ties both may be valid).
     */
    public record Summary(int mazes, int solved, int unique, int withAnswer, int agree, double seconds) {
        public double mazesPerSecond() {
            return mazes / Math.max(seconds, 1e-9);
        }
    }

    /** Solves {@code input} into {@code out} (atomically), or into {@code stdout} when {@code out} is null. */
    public static Summary solve(Path input, Path out, boolean force, Writer stdout) {
        if (out == null) return solveTo(input, stdout, "the solutions");
        Path tmp = AtomicOutput.beginFile(out, force);
        try {
            Summary s;
            // the stream is its own resource: a writer whose final flush fails (disk full) does not close it
            try (OutputStream os = Files.newOutputStream(tmp); Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
                s = solveTo(input, w, out.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
            AtomicOutput.commitFile(tmp, out);
            return s;
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    /** @param target what {@code w} writes to, for the message when writing fails */
    private static Summary solveTo(Path input, Writer w, String target) {
        long t0 = System.nanoTime();
        Tally n = new Tally();
        MazeCsv.forEach(input, e -> {
            Optional<MazeSolver.Solution> s = MazeSolver.solve(e.maze());
            n.mazes++;
            s.ifPresent(sol -> {
                n.solved++;
                if (sol.unique()) n.unique++;
            });
            e.maze().answer().ifPresent(a -> {
                n.withAnswer++;
                if (s.isPresent() && s.get().answer().equals(a)) n.agree++;
            });
            try {
                w.write(s.map(sol -> Maze.text(sol.answer())).orElse("none"));
                w.write('\n');
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write " + target, ex);
            }
        });
        try {
            w.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + target, ex);
        }
        return new Summary(n.mazes, n.solved, n.unique, n.withAnswer, n.agree, (System.nanoTime() - t0) / 1e9);
    }

    private static final class Tally {
        int mazes, solved, unique, withAnswer, agree;
    }
}
