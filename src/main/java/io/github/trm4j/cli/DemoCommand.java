package io.github.trm4j.cli;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.solve.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm demo}: watch the shipped Sudoku and maze models solve puzzles. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The shipped Sudoku model solves fresh generated Sudokus (45, 38 and 30 givens) and three published ones, "
                + "shows one answer refining over the supervision steps, and compares every answer with the exact solver in a table. "
                + "Then the shipped maze model finds the path through a 11x11 maze, shown at the steps that changed it and checked by BFS.",
                "No network and no data files needed. Colours when stdout is a terminal (NO_COLOR or --no-color turn them off)."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Another Sudoku model (default: the shipped one, models/sudoku/model.safetensors); the maze part always uses the shipped maze model.")
    Path checkpoint;

    @Option(names = "--seed", paramLabel = "N", description = "Generator seed, to repeat a run (default: a new one each run).")
    Long seed;

    @Option(names = "--no-color", description = "Plain text, no ANSI colours.")
    boolean noColor;

    @Mixin DtypeOption dtype;

    @Override
    public Integer call() {
        Backend.init();
        long s = seed != null ? seed : System.nanoTime() % 1_000_000;
        Demo.run(new Demo.Options(checkpoint, s, Terminal.colour(noColor), Terminal.unicode(), perRow(),
                dtype.resolve(ComputeDevice.CPU, spec.commandLine().getErr())), spec.commandLine().getOut());
        return 0;
    }

    /** Trace boards side by side: as many as fit the terminal's COLUMNS (2 when unknown). */
    private static int perRow() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? 2 : Math.max(1, Math.min(4, (Integer.parseInt(c.strip()) + 3) / 34));
        } catch (NumberFormatException e) {
            return 2;
        }
    }
}
