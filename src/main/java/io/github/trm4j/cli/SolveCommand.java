package io.github.trm4j.cli;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.solve.SolvePuzzles;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm solve}: a model on single puzzles, with its steps, confidence and a rule check. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Solve puzzles with a TRM and draw the answer, the supervision steps used, the confidence "
                + "sigmoid(q_halt) and a check of the answer (Sudoku: rules, givens and the exact solver; maze: a connected S-G path).",
                "Without --checkpoint the shipped model of the puzzle's kind is used: models/sudoku/model.safetensors, "
                + "or models/maze/model.safetensors for --maze (11x11 mazes).",
                "Colours when stdout is a terminal (NO_COLOR or --no-color turn them off)."})
final class SolveCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    static final class Source {
        @Option(names = "--sudoku", paramLabel = "81CHARS", description = "One Sudoku, row by row: digits, '.' or '0' for blanks.")
        String sudoku;

        @Option(names = "--sudoku-file", paramLabel = "FILE", description = "Sudokus: a Sudoku-Extreme CSV or a file of 81-character lines.")
        Path sudokuFile;

        @Option(names = "--maze", paramLabel = "FILE", description = "A maze drawn as rows over '# SG' (or one line), or a maze CSV.")
        Path maze;

        @Option(names = "--arc", paramLabel = "TASK.json", description = "An ARC task; the model must have been trained on it.")
        Path arc;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "trm4j .safetensors or official step_N (default: the shipped model of the puzzle's kind).")
    Path checkpoint;

    @Option(names = "--config", paramLabel = "YAML", description = "Official all_config.yaml (default: beside the checkpoint).")
    Path config;

    @Option(names = "--identifiers", paramLabel = "JSON", description = "For --arc: identifiers.json of the model's training set "
            + "(default: the one of the dataset named in the checkpoint).")
    Path identifiers;

    @Option(names = "--steps", paramLabel = "N", description = "Supervision steps (default: the model's N_sup; more is test-time scaling).")
    Integer steps;

    @Option(names = "--adaptive", description = "Stop at the first step with q_halt > 0 (at most --steps).")
    boolean adaptive;

    @Option(names = "--trace", description = "Also draw the grid after every supervision step, changed cells marked.")
    boolean trace;

    @Mixin DtypeOption dtype;

    @Option(names = "--no-color", description = "Plain text, no ANSI colours.")
    boolean noColor;

    @Mixin
    ThinkingOptions thinking;

    @Override
    public Integer call() {
        Backend.init();
        SolvePuzzles.run(new SolvePuzzles.Request(checkpoint, config, source.sudoku, source.sudokuFile, source.maze, source.arc, identifiers,
                steps == null ? OptionalInt.empty() : OptionalInt.of(steps), adaptive, trace,
                dtype.resolve(ComputeDevice.CPU, spec.commandLine().getErr()), Terminal.colour(noColor), Terminal.unicode(),
                thinking.toThinking()),
                spec.commandLine().getOut());
        return 0;
    }
}
