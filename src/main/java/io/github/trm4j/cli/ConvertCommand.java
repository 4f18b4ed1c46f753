package io.github.trm4j.cli;

import io.github.trm4j.Printable;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.CheckpointConverter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm convert}: official PyTorch checkpoints to trm4j safetensors, and back. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = "Convert an official TRM checkpoint (step_N, written by torch.save) to trm4j safetensors, "
                + "or (--to-official) any checkpoint to safetensors with the official key names for PyTorch.")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "Official step_N file, or a safetensors file.")
    Path checkpoint;

    @Option(names = "--config", paramLabel = "YAML",
            description = "Official all_config.yaml (default: the one beside the checkpoint).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The safetensors file to write.")
    Path out;

    @Option(names = "--to-official",
            description = "Write the official names (_orig_mod.model.inner.*), loadable with PyTorch's load_state_dict.")
    boolean toOfficial;

    @Option(names = "--seq-len", paramLabel = "S",
            description = "Sequence length of the data (81 Sudoku, 900 maze/ARC); needed for attention models, whose weights do not fix it.")
    Integer seqLen;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() {
        Backend.init();
        CheckpointConverter.Result r = toOfficial
                ? CheckpointConverter.toOfficial(checkpoint, config, out, force)
                : CheckpointConverter.toTrm4j(checkpoint, config, out,
                        seqLen == null ? OptionalInt.empty() : OptionalInt.of(seqLen), force);
        String step = r.metadata().containsKey(Checkpoint.STEP) ? ", step " + Printable.of(r.metadata().get(Checkpoint.STEP)) : "";
        spec.commandLine().getErr().printf("wrote %s: %d tensors, %,d bytes%s (%s names)%n",
                r.out(), r.tensors(), r.bytes(), step, toOfficial ? "official" : "trm4j");
        return 0;
    }
}
