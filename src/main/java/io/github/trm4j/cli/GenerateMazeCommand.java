package io.github.trm4j.cli;

import io.github.trm4j.Progress;
import io.github.trm4j.data.MazeGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm data generate maze}: seeded mazes with a unique long shortest path, as Maze-Hard CSV. */
@Command(name = "maze", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Generate N x N mazes (N = --size) with one S and one G whose shortest path is unique and has more than "
                + "--min-path moves, written as Maze-Hard CSV (source,question,answer,rating; rating = path moves).",
                "A perfect maze is carved, --loops walls are knocked out, S and G are placed far apart. "
                + "The paper's Maze-Hard is 30x30 with paths over 110 moves. Same seed, same file."})
final class GenerateMazeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--size", paramLabel = "N", defaultValue = "30", description = "Side of the square grid.")
    int size;

    @Option(names = "--count", paramLabel = "N", required = true, showDefaultValue = Visibility.NEVER, description = "Number of mazes.")
    int count;

    @Option(names = "--min-path", paramLabel = "L", defaultValue = "110", description = "The shortest path has MORE than this many moves.")
    int minPath;

    @Option(names = "--loops", paramLabel = "N", defaultValue = "5", description = "Walls knocked out after carving a perfect maze (0 = perfect maze).")
    int loops;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed.")
    long seed;

    @Option(names = "--out", paramLabel = "CSV", required = true, description = "Output CSV file.")
    Path out;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Option(names = "--no-progress", description = "Hide the progress (stderr: a bar on a terminal, else a line every 10 s).")
    boolean noProgress;

    @Override
    public Integer call() {
        var settings = new MazeGenerator.Settings(size, minPath, loops);
        MazeGenerator.Summary s;
        try (Progress progress = Progress.start("generate", count, "mazes", !noProgress)) {
            s = MazeGenerator.writeCsv(settings, count, seed, out, force, progress);
        }
        spec.commandLine().getErr().printf(java.util.Locale.ROOT, "wrote %,d mazes %dx%d to %s: shortest paths %d..%d moves (mean %.1f); %.1f s, %,.0f mazes/s, %.2f attempts per maze%n",
                s.count(), size, size, out, s.minMoves(), s.maxMoves(), s.meanMoves(), s.seconds(), s.mazesPerSecond(),
                (double) s.attempts() / s.count());
        return 0;
    }
}
