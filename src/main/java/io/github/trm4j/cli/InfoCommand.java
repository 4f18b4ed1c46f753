package io.github.trm4j.cli;

import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.ModelInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm info --preset NAME | --checkpoint FILE}: a configuration and its parameter count, as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a model configuration with its parameter count (JSON).")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME",
                description = "sudoku-mlp, sudoku-att, maze-att, maze-mlp, arc1-att, arc2-att, sudoku-mlp-small, "
                        + "sudoku-mlp-tiny, sudoku-att-tiny")
        String preset;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A trm4j .safetensors or an official step_N (all_config.yaml beside it).")
        Path checkpoint;
    }

    @Override
    public Integer call() {
        ModelInfo info;
        if (source.preset != null) {
            info = ModelInfo.of(source.preset, ModelConfig.preset(source.preset));
        } else {
            info = ModelInfo.of(null, Checkpoint.inspect(source.checkpoint, null)); // every tensor checked, none read
        }
        spec.commandLine().getOut().println(info.toJson());
        return 0;
    }
}
