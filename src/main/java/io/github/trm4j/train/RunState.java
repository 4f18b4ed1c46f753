package io.github.trm4j.train;

import io.github.trm4j.Provenance;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Safetensors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The two files of a run directory, both written atomically (temporary sibling, fsync, rename):
 * <ul>
 *   <li>{@code last.safetensors}: everything needed to continue bit for bit. Raw weights under the
 *       official names (puzzle table, H_init and L_init included), the EMA under {@code ema.}, the
 *       AdamATan2 moments under {@code optim.<name>.m} and {@code optim.<name>.v}, the ACT carry
 *       under {@code carry.}; metadata: step, optimizer step counts, the two generator states,
 *       sampler position, both configs.</li>
 *   <li>{@code model.safetensors}: the inference weights (EMA when on, else raw, with the raw
 *       buffers) in the model checkpoint format, with provenance.</li>
 * </ul>
 */
final class RunState {
    static final String LAST = "last.safetensors";
    static final String MODEL = "model.safetensors";
    /** The inference weights of the evaluation with the best exact accuracy so far. */
    static final String BEST = "best.safetensors";
    /** The resolved configuration and command line of the run, for people (never read back). */
    static final String CONFIG_JSON = "config.json";
    /** Metadata key of {@link #BEST}: the exact accuracy of its evaluation. */
    static final String BEST_EXACT = "eval_exact_accuracy";
    static final String FORMAT = "trm4j-training-state-1";

    private RunState() {}

    /** What {@code last.safetensors} says besides tensors; {@code intervals} is null in files written before they were saved. */
    record Saved(ModelConfig model, TrainConfig train, long step, long totalSteps, TrainingSampler.Position sampler,
            long exploreState, Map<String, Long> optimizerSteps, String dataset, Intervals intervals, Map<String, Tensor> tensors) {}

    /**
     * How often a run evaluates and writes checkpoints, kept in the checkpoint so that {@code --resume}
     * goes on as the run was started.
     *
     * @param evalLimit test examples per evaluation (0: all)
     */
    record Intervals(long eval, long checkpoint, long evalLimit) {
        static final Intervals DEFAULT = new Intervals(0, 500, Training.DEFAULT_EVAL_LIMIT);

        /** The values given on the command line, else the saved ones, else the defaults. */
        static Intervals resolve(TrainRequest r, Saved saved) {
            Intervals base = saved != null && saved.intervals() != null ? saved.intervals() : DEFAULT;
            return new Intervals(r.evalInterval() != null ? r.evalInterval() : base.eval(),
                    r.checkpointInterval() != null ? r.checkpointInterval() : base.checkpoint(),
                    r.evalLimit() != null ? r.evalLimit() : base.evalLimit());
        }

        String toJson() {
            return TrainConfig.JSON.createObjectNode().put("eval_interval", eval).put("checkpoint_interval", checkpoint)
                    .put("eval_limit", evalLimit).toString();
        }
    }

    static void write(Path runDir, TrainStep trainer, TrainingSampler sampler, SplitMix explore, long totalSteps, String dataset,
            Intervals intervals) {
        write(runDir, trainer, trainer.carryState(), sampler, explore, totalSteps, dataset, intervals);
    }

    /** As above with the carry of all B slots given (a distributed run gathers it from every rank first). */
    static void write(Path runDir, TrainStep trainer, Map<String, Tensor> carry, TrainingSampler sampler, SplitMix explore,
            long totalSteps, String dataset, Intervals intervals) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>(trainer.model().state());
            Ema ema = trainer.ema();
            if (ema != null) ema.weights().forEach((k, t) -> tensors.put("ema." + k, t));
            ObjectNode optimSteps = TrainConfig.JSON.createObjectNode();
            AdamATan2 adam = trainer.optimizer();
            for (String name : adam.names()) {
                AdamATan2.Moments m = adam.moments(name);
                tensors.put("optim." + name + ".m", m.m());
                tensors.put("optim." + name + ".v", m.v());
                optimSteps.put(name, m.step());
            }
            tensors.putAll(carry);

            TrainingSampler.Position pos = sampler.position();
            ObjectNode samplerJson = TrainConfig.JSON.createObjectNode()
                    .put("epoch", pos.epoch()).put("cursor", pos.cursor()).put("rng", pos.rngState());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put(Checkpoint.CONFIG, trainer.model().config().toJson());
            meta.put("train_config", trainer.config().toJson());
            meta.put(Checkpoint.STEP, Long.toString(trainer.step()));
            meta.put("total_steps", Long.toString(totalSteps));
            meta.put("sampler", samplerJson.toString());
            meta.put("explore_rng", Long.toString(explore.state()));
            meta.put("optimizer_steps", optimSteps.toString());
            meta.put(Checkpoint.DATASET, dataset);
            meta.put("intervals", intervals.toJson());
            meta.put(Checkpoint.TRM4J_VERSION, Checkpoint.trm4jVersion());
            meta.put(Checkpoint.CREATED_AT, Instant.now().toString());
            Safetensors.write(runDir.resolve(LAST), tensors, meta, true);
        }
        writeModel(runDir, MODEL, trainer, dataset, Map.of());
    }

    /** The inference weights (EMA when on, else raw) as {@code runDir/file}, with provenance and {@code extra} metadata. */
    static void writeModel(Path runDir, String file, TrainStep trainer, String dataset, Map<String, String> extra) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Ema ema = trainer.ema();
            Map<String, Tensor> inference = new LinkedHashMap<>(trainer.model().state());
            if (ema != null) inference.putAll(ema.weights());
            Map<String, String> provenance = new LinkedHashMap<>(extra);
            provenance.put(Checkpoint.CONFIG, trainer.model().config().toJson());
            provenance.put(Checkpoint.TRM4J_VERSION, Checkpoint.trm4jVersion());
            provenance.put(Checkpoint.SOURCE, "trm train, run " + Provenance.name(runDir)
                    + (ema != null ? " (EMA weights)" : " (raw weights)"));
            provenance.put(Checkpoint.STEP, Long.toString(trainer.step()));
            provenance.put(Checkpoint.DATASET, dataset);
            provenance.put(Checkpoint.CREATED_AT, Instant.now().toString());
            provenance.put("train_config", trainer.config().toJson());
            Safetensors.write(runDir.resolve(file), inference, provenance, true);
        }
    }

    /** The raw weights of a training state: every tensor but the EMA, optimizer and carry ones. */
    static Map<String, Tensor> rawWeights(Map<String, Tensor> state) {
        Map<String, Tensor> raw = new LinkedHashMap<>();
        state.forEach((k, t) -> {
            if (!k.startsWith("ema.") && !k.startsWith("optim.") && !k.startsWith("carry.")) raw.put(k, t);
        });
        return raw;
    }

    /** Deletes temporary files a killed writer left beside the run files (they never replace a good file). */
    static void clearTemporaryFiles(Path runDir) {
        try (var files = java.nio.file.Files.list(runDir)) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("." + LAST + ".tmp-") || n.startsWith("." + MODEL + ".tmp-");
            }).forEach(AtomicOutput::abandon);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + runDir, e);
        }
    }

    /** Reads {@code runDir/last.safetensors}; tensors keep their stored dtypes and belong to the caller. */
    static Saved read(Path runDir) {
        Path file = runDir.resolve(LAST);
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format")))
            throw new InputException(file + ": not a trm4j training state (metadata 'format' is " + meta.get("format") + ")");
        ModelConfig model = ModelConfig.fromJson(field(meta, Checkpoint.CONFIG, file));
        TrainConfig train = TrainConfig.fromJson(field(meta, "train_config", file), file.toString());
        JsonNode s = json(field(meta, "sampler", file), file, "sampler");
        TrainingSampler.Position pos = new TrainingSampler.Position(s.path("epoch").asLong(), s.path("cursor").asInt(),
                s.path("rng").asLong());
        Map<String, Long> optimSteps = new LinkedHashMap<>();
        json(field(meta, "optimizer_steps", file), file, "optimizer_steps").fields()
                .forEachRemaining(e -> optimSteps.put(e.getKey(), e.getValue().asLong()));
        Intervals intervals = null;
        if (meta.containsKey("intervals")) {
            JsonNode iv = json(meta.get("intervals"), file, "intervals");
            intervals = new Intervals(iv.path("eval_interval").asLong(), iv.path("checkpoint_interval").asLong(),
                    iv.path("eval_limit").asLong(Training.DEFAULT_EVAL_LIMIT));
        }
        return new Saved(model, train, number(meta, Checkpoint.STEP, file), number(meta, "total_steps", file), pos,
                number(meta, "explore_rng", file), optimSteps, meta.getOrDefault(Checkpoint.DATASET, ""), intervals, c.tensors());
    }

    private static String field(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) throw new InputException(file + ": metadata field '" + key + "' is missing");
        return v;
    }

    private static long number(Map<String, String> meta, String key, Path file) {
        String v = field(meta, key, file);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InputException(file + ": metadata field '" + key + "' is '" + v + "', not an integer");
        }
    }

    private static JsonNode json(String text, Path file, String key) {
        try {
            return TrainConfig.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": metadata field '" + key + "' is not valid JSON");
        }
    }
}
