package io.github.trm4j.cli;

import picocli.CommandLine.Command;

/** {@code trm data}: build, generate, solve and show puzzle datasets. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Build, generate, solve and show puzzle datasets (official TRM format).",
        subcommands = {})
final class DataCommand {}
