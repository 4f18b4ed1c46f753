package io.github.trm4j.cli;

import io.github.trm4j.train.TrainingPlot;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trm plot RUNDIR}: the training curve of a run as a PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a run's training curve (train exact and cell accuracy, loss, test evaluations) from its metrics.jsonl as a PNG.")
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUNDIR", description = "A run folder written by trm train.")
    Path run;

    @Option(names = "--out", paramLabel = "PNG", description = "Output file (default RUNDIR/training.png).")
    Path out;

    @Option(names = "--window", paramLabel = "N", defaultValue = "50", description = "Steps in the moving average (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        TrainingPlot.Result r = TrainingPlot.write(run, out != null ? out : run.resolve("training.png"), window, force);
        spec.commandLine().getErr().println(String.format(Locale.ROOT, "wrote %s: %,d steps, %d evaluations, %s", r.file(), r.steps(), r.evaluations(),
                Double.isNaN(r.lastExactAccuracy()) ? "no sequence has finished its supervision steps yet (loss only)"
                        : String.format(Locale.ROOT, "train exact accuracy %.1f%% at the end", 100 * r.lastExactAccuracy())));
        return 0;
    }
}
