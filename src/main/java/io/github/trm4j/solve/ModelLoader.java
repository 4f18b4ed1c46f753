package io.github.trm4j.solve;

import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Loads a model for inference from any checkpoint trm4j reads: a trm4j safetensors file (config in
 * its metadata) or an official {@code step_N} (config from {@code --config}, else the
 * {@code all_config.yaml} beside it).
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** A loaded model with where it came from and the dtype it computes in. */
    public record Loaded(TrmModel model, Path file, Map<String, String> provenance, DtypeChoice dtype) {
        public ModelConfig config() {
            return model.config();
        }
    }

    /**
     * @param officialConfig an official all_config.yaml, or null to look beside the checkpoint
     * @param seqLen the data's sequence length, needed for attention models whose weights do not fix it
     * @param dtype the forward dtype to compute in (the checkpoint's stored one is the trainer's choice,
     *     not a constraint); null means {@code auto} for {@code device}
     */
    public static Loaded load(Path checkpoint, Path officialConfig, OptionalInt seqLen,
                              DtypeChoice dtype, ComputeDevice device) {
        DtypeChoice choice = dtype != null ? dtype : DtypeChoice.auto(device);
        try (Checkpoint ck = Checkpoint.load(checkpoint, officialConfig)) {
            ModelConfig config = choice.apply(ck.modelConfig(seqLen));
            return new Loaded(TrmModel.fromState(config, ck.tensors(), device), checkpoint, ck.metadata(), choice);
        }
    }
}
