package io.github.trm4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** TODO(helper): placeholder until implemented. */
@Command(name = "maze", mixinStandardHelpOptions = true, description = "Not implemented yet.")
final class SolveMazeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
