package io.github.trm4j.cli;

import io.github.trm4j.Progress;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.solve.Trace;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm trace}: every supervision step's outputs for a batch, as .npy files. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = "Run evaluation-mode supervision steps from a fresh carry and write each step's logits, "
                + "Q logits and predictions: logits.npy [steps,B,S,V], q_halt.npy and q_continue.npy [steps,B], "
                + "preds.npy [steps,B,S] (int32).")
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "trm4j .safetensors or official step_N.")
    Path checkpoint;

    @Option(names = "--config", paramLabel = "YAML", description = "Official all_config.yaml (default: beside the checkpoint, else the safetensors metadata).")
    Path config;

    @Option(names = "--inputs", required = true, paramLabel = "X.npy", description = "[B, S] integer tokens, encoded as in the dataset format.")
    Path inputs;

    @Option(names = "--puzzle-ids", paramLabel = "P.npy", description = "[B] integer puzzle identifiers (default: all 0).")
    Path puzzleIds;

    @Option(names = "--steps", paramLabel = "N", description = "Supervision steps (default: the model's N_sup; more is test-time scaling).")
    Integer steps;

    @Option(names = "--adaptive", description = "Stop once every sequence has q_halt > 0 (a sequence's outputs stay fixed after it halts).")
    boolean adaptive;

    @Mixin DtypeOption dtype;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu", description = "Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (refused if not empty, unless --force).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Option(names = "--no-progress", description = "Hide the progress by supervision step (stderr).")
    boolean noProgress;

    @Override
    public Integer call() {
        Backend.init();
        ComputeDevice dev = ComputeDevice.parse(device);
        DtypeChoice choice = dtype.resolve(dev, spec.commandLine().getErr());
        Trace.Result r = Trace.run(new Trace.Request(checkpoint, config, inputs, puzzleIds, steps, adaptive, choice, dev, out, force),
                (task, total) -> Progress.start(task, total, "steps", !noProgress));
        spec.commandLine().getErr().println(choice.line());
        spec.commandLine().getErr().printf("wrote %s: %d steps x batch %d x seq %d x vocab %d%n", r.out(), r.steps(), r.batch(), r.seqLen(), r.vocab());
        return 0;
    }
}
