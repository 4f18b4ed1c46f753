package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.train.ComparisonPlot;
import io.github.trm4j.train.TrainingPlot;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trm plot RUNDIR}: the training curve of a run as a PNG; {@code --compare RUNDIR...}: runs against wall clock. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw a run's training curve (train exact and cell accuracy, loss, test evaluations) from its metrics.jsonl as a PNG.",
            "With --compare: the exact accuracy of the --eval-data sets of one or more runs against their training wall clock, "
                    + "as a PNG, and a Markdown table on stdout (last accuracy, accuracy when the shortest run ended, minutes to reach the first run's)."})
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUNDIR", arity = "1..*", description = "A run folder written by trm train (several with --compare).")
    List<Path> runs;

    @Option(names = "--compare", description = "Compare the runs' --eval-data accuracy against training wall clock.")
    boolean compare;

    @Option(names = "--metric", paramLabel = "exact|cell", defaultValue = "exact",
            description = "With --compare: exact accuracy (every cell right) or cell accuracy (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--out", paramLabel = "PNG", description = "Output file (default RUNDIR/training.png; required with --compare).")
    Path out;

    @Option(names = "--window", paramLabel = "N", defaultValue = "50", description = "Steps in the moving average (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        if (compare) {
            if (out == null) throw new InputException("--out: required with --compare (the PNG to write)");
            if (!metric.equals("exact") && !metric.equals("cell"))
                throw new InputException("--metric: expected exact or cell, got '" + metric + "'");
            spec.commandLine().getOut().print(ComparisonPlot.write(runs, metric.equals("cell"), out, force));
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("wrote " + out);
            return 0;
        }
        if (runs.size() > 1) throw new InputException("give one RUNDIR, or --compare for several");
        Path run = runs.get(0);
        TrainingPlot.Result r = TrainingPlot.write(run, out != null ? out : run.resolve("training.png"), window, force);
        spec.commandLine().getErr().println(String.format(Locale.ROOT, "wrote %s: %,d steps, %d evaluations, %s", r.file(), r.steps(), r.evaluations(),
                Double.isNaN(r.lastExactAccuracy()) ? "no sequence has finished its supervision steps yet (loss only)"
                        : String.format(Locale.ROOT, "train exact accuracy %.1f%% at the end", 100 * r.lastExactAccuracy())));
        return 0;
    }
}
