package io.github.trm4j.cli;

import io.github.trm4j.data.MazeFileSolver;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm data solve maze}: BFS shortest paths for every maze of a CSV. */
@Command(name = "maze", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Solve every maze of a Maze-Hard CSV by breadth-first search.",
                "Prints one line per maze, in order: the solved grid as a row-major string (side x side characters, "
                + "path cells 'o'), or 'none' when G cannot be reached. A summary goes to stderr."})
final class SolveMazeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "CSV", required = true, description = "Maze CSV (source,question,answer,rating); answers may be empty.")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the lines to this file instead of stdout.")
    Path out;

    @Option(names = "--force", description = "Replace an existing --out file.")
    boolean force;

    @Override
    public Integer call() {
        MazeFileSolver.Summary s = MazeFileSolver.solve(input, out, force, spec.commandLine().getOut());
        var err = spec.commandLine().getErr();
        err.printf(java.util.Locale.ROOT, "solved %,d of %,d mazes (%,d with a unique shortest path) in %.1f s, %,.0f mazes/s%n",
                s.solved(), s.mazes(), s.unique(), s.seconds(), s.mazesPerSecond());
        if (s.withAnswer() > 0) err.printf(java.util.Locale.ROOT, "%,d of %,d given answers agree%n", s.agree(), s.withAnswer());
        return 0;
    }
}
