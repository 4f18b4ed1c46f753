package io.github.trm4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.StreamSupport;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code trm convert}: official {@code step_N} checkpoints to trm4j safetensors (official names
 * without prefix, the model config and provenance in the metadata), and back to safetensors with
 * the official prefixed names that PyTorch's {@code load_state_dict} accepts.
 */
public final class CheckpointConverter {
    /** The prefix every key of an official checkpoint carries (compiled module, loss head, inner model). */
    public static final String OFFICIAL_PREFIX = "_orig_mod.model.inner.";

    private CheckpointConverter() {}

    /** What was written. */
    public record Result(Path out, Checkpoint.Format from, int tensors, long bytes, Map<String, String> metadata) {}

    /**
     * Writes {@code checkpoint}'s weights to {@code out} as trm4j safetensors. The config comes from
     * {@code config} (an official all_config.yaml; null: the one beside the checkpoint), else from
     * the checkpoint's own metadata. Needs {@link Backend#init()}.
     */
    public static Result toTrm4j(Path checkpoint, Path config, Path out, OptionalInt seqLen, boolean force) {
        refuseExisting(out, force);
        try (Checkpoint ck = Checkpoint.load(checkpoint, config)) {
            ModelConfig model = ck.modelConfig(seqLen); // every name, shape and dtype was checked against it
            Map<String, String> meta = provenance(ck);
            meta.put(Checkpoint.CONFIG, model.toJson());
            ck.officialConfig().ifPresent(c -> {
                meta.put("official_config", c.tree().toString());
                dataset(c.tree()).ifPresent(d -> meta.put(Checkpoint.DATASET, d));
            });
            Safetensors.write(out, ck.tensors(), meta, force);
            return result(out, ck, meta);
        }
    }

    /**
     * Writes {@code checkpoint}'s weights to {@code out} as safetensors with the official key names
     * ({@value #OFFICIAL_PREFIX} + name), loadable by PyTorch into the official model.
     */
    public static Result toOfficial(Path checkpoint, Path config, Path out, boolean force) {
        refuseExisting(out, force);
        try (Checkpoint ck = Checkpoint.load(checkpoint, config)) {
            Map<String, Tensor> named = new LinkedHashMap<>();
            ck.tensors().forEach((k, t) -> named.put(OFFICIAL_PREFIX + k, t));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt"); // what PyTorch's own safetensors writer records
            meta.putAll(provenance(ck));
            ck.config().ifPresent(c -> meta.put(Checkpoint.CONFIG, c));
            Safetensors.write(out, named, meta, force);
            return result(out, ck, meta);
        }
    }

    private static Optional<String> dataset(JsonNode tree) {
        JsonNode paths = tree.path("data_paths");
        if (!paths.isArray() || paths.isEmpty()) return Optional.empty();
        return Optional.of(String.join(",", StreamSupport.stream(paths.spliterator(), false).map(JsonNode::asText).toList()));
    }

    private static Map<String, String> provenance(Checkpoint ck) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.TRM4J_VERSION, Checkpoint.trm4jVersion());
        meta.put(Checkpoint.SOURCE, io.github.trm4j.Provenance.name(ck.file()));
        ck.step().ifPresent(s -> meta.put(Checkpoint.STEP, Long.toString(s)));
        String dataset = ck.metadata().get(Checkpoint.DATASET);
        if (dataset != null) meta.put(Checkpoint.DATASET, dataset);
        meta.put(Checkpoint.CONVERTED_AT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return meta;
    }

    private static Result result(Path out, Checkpoint ck, Map<String, String> meta) {
        try {
            return new Result(out, ck.format(), ck.tensors().size(), Files.size(out), meta);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + out, e);
        }
    }

    private static void refuseExisting(Path out, boolean force) {
        if (!force && Files.exists(out)) throw new InputException(out + ": output file exists (pass --force to replace it)");
    }
}
