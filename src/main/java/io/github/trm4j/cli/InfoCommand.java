package io.github.trm4j.cli;

import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm info --preset NAME}: a configuration and its parameter count, as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a model configuration with its parameter count (JSON).")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "sudoku-mlp, sudoku-att, maze-att, maze-mlp, arc1-att, arc2-att, sudoku-mlp-small, "
                    + "sudoku-mlp-tiny, sudoku-att-tiny")
    String preset;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(ModelInfo.of(preset, ModelConfig.preset(preset)).toJson());
        return 0;
    }
}
