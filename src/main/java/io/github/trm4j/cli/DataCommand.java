package io.github.trm4j.cli;

import picocli.CommandLine.Command;

/** {@code trm data}: build, generate, solve and show puzzle datasets. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Build, generate, solve and show puzzle datasets (official TRM format).",
        subcommands = {DataCommand.Build.class, DataCommand.Generate.class, DataCommand.Solve.class, ShowCommand.class})
final class DataCommand {
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build a training/test dataset in the official on-disk layout.",
            subcommands = {BuildSudokuCommand.class, BuildMazeCommand.class, BuildArcCommand.class})
    static final class Build {}

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate puzzles with unique answers, as CSV in the Sudoku-Extreme / Maze-Hard layout.",
            subcommands = {GenerateSudokuCommand.class, GenerateMazeCommand.class})
    static final class Generate {}

    @Command(name = "solve", mixinStandardHelpOptions = true,
            description = "Solve puzzles exactly (the ground truth and the baseline).",
            subcommands = {SolveSudokuCommand.class, SolveMazeCommand.class})
    static final class Solve {}
}
