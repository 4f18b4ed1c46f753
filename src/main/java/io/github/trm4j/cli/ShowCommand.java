package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.data.DataShow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trm data show}: draws puzzles in the terminal. */
@Command(name = "show", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Draw examples in the terminal, input and label side by side.",
                "DIR is a dataset in the official layout (Sudoku, maze and ARC are recognised from dataset.json; "
                + "anything else prints tokens). FILE is a Sudoku CSV or file of 81-character lines, a maze CSV, "
                + "or an ARC task .json. Colours are ANSI (24-bit when COLORTERM says so), only on a terminal; NO_COLOR or --no-color turns them off."})
final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR|FILE", description = "Dataset folder or puzzle file.")
    Path path;

    @Option(names = "--split", paramLabel = "train|test", defaultValue = "train", description = "Dataset split: train or test.")
    String split;

    @Option(names = "--index", paramLabel = "I", defaultValue = "0", description = "First example (0-based).")
    long index;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Number of examples.")
    int count;

    @Option(names = "--no-color", description = "Plain text, no ANSI colours.")
    boolean noColor;

    @Override
    public Integer call() {
        if (!split.equals("train") && !split.equals("test"))
            throw new InputException("--split must be train or test, got '" + split + "'");
        var s = DataShow.show(new DataShow.Options(path, split, index, count, color(), Terminal.unicode()), spec.commandLine().getOut());
        spec.commandLine().getErr().printf("%s: %d of %d examples shown (from index %d)%n", s.kind(), s.shown(), s.total(), index);
        return 0;
    }

    private DataShow.Color color() {
        if (!Terminal.colour(noColor)) return DataShow.Color.NONE;
        String term = System.getenv("COLORTERM");
        return "truecolor".equals(term) || "24bit".equals(term) ? DataShow.Color.TRUECOLOR : DataShow.Color.ANSI256;
    }
}
