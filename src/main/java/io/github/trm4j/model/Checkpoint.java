package io.github.trm4j.model;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Model weights loaded from either a trm4j safetensors file or an official PyTorch {@code step_N}
 * checkpoint; the format is recognised from the file's first bytes.
 *
 * <p>{@code tensors} are keyed by the official names without prefix
 * ({@code embed_tokens.embedding_weight}, {@code L_level.layers.0.mlp.gate_up_proj.weight},
 * {@code puzzle_emb.weights}, {@code H_init}, ...), in file order, on the CPU; floating tensors are
 * fp32. They belong to the caller and are attached to no {@link PointerScope}: close this record to
 * free them at once, or keep them (the GC frees them once unreachable).
 *
 * <p>{@code metadata} is the safetensors metadata (the model config as JSON under {@link #CONFIG},
 * and provenance) or, for an official checkpoint, provenance made up from the file.
 * {@code officialConfig} is the official {@code all_config.yaml}, when there is one.
 *
 * <p>Every load is validated before any tensor data is read: the model config (from the YAML or
 * the metadata) must be valid, and every tensor's name, shape and dtype must match it
 * ({@link WeightLayout#check}, the one check every reader of weights goes through). A training
 * state ({@code last.safetensors}) may hold more tensors than the model (optimizer moments, EMA).
 */
public record Checkpoint(
        Path file,
        Format format,
        Map<String, Tensor> tensors,
        Map<String, String> metadata,
        Optional<OfficialCheckpoint.Config> officialConfig)
        implements AutoCloseable {

    /** Metadata key: the model configuration as JSON text. */
    public static final String CONFIG = "config";
    /** Metadata key: the trm4j version that wrote the file. */
    public static final String TRM4J_VERSION = "trm4j_version";
    /** Metadata key: where the weights came from (a file, or a training run). */
    public static final String SOURCE = "source";
    /** Metadata key: the training step (decimal). */
    public static final String STEP = "step";
    /** Metadata key: the dataset the weights were trained on. */
    public static final String DATASET = "dataset";
    /** Metadata key: when a file was converted from another format (ISO-8601). */
    public static final String CONVERTED_AT = "converted_at";
    /** Metadata key: when the file was written (ISO-8601). */
    public static final String CREATED_AT = "created_at";

    /** What a file holds, judged from its first bytes. */
    public enum Format {
        /** safetensors (trm4j's own format, or official names saved as safetensors). */
        SAFETENSORS,
        /** A zip written by {@code torch.save} (PyTorch 1.6 and later), as the official trainer writes. */
        TORCH_ZIP,
        /** A {@code torch.save} file from before PyTorch 1.6 (a bare pickle); not supported. */
        LEGACY_TORCH,
        UNKNOWN
    }

    public Checkpoint {
        tensors = Collections.unmodifiableMap(tensors);
        metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Loads {@code file}; for an official checkpoint, {@value OfficialCheckpoint#CONFIG_FILE} is
     * taken from beside it when present. Needs {@link Backend#init()}.
     */
    public static Checkpoint load(Path file) {
        return load(file, null);
    }

    /** Loads {@code file} with an explicit official {@code all_config.yaml} (null: look beside the file). */
    public static Checkpoint load(Path file, Path officialConfig) {
        Format format = sniff(file);
        Optional<OfficialCheckpoint.Config> config = officialConfig(file, format, officialConfig);
        Head head = head(file, format);
        config(file, config, head.metadata(), head.found(), OptionalInt.empty(), true); // before any tensor is read
        if (format == Format.SAFETENSORS) {
            Safetensors.Contents c = Safetensors.readAsFloat32(file);
            return new Checkpoint(file, format, stripped(file, c.tensors()), c.metadata(), config);
        }
        OfficialCheckpoint.Contents c = OfficialCheckpoint.read(file);
        return new Checkpoint(file, format, c.tensors(), head.metadata(), config);
    }

    /**
     * The model config of {@code file}, checked against every tensor's name, shape and dtype as
     * {@link #load} does, without reading any tensor data. Needs no {@link Backend#init()}.
     */
    public static ModelConfig inspect(Path file, Path officialConfig) {
        Format format = sniff(file);
        Optional<OfficialCheckpoint.Config> config = officialConfig(file, format, officialConfig);
        Head head = head(file, format);
        return config(file, config, head.metadata(), head.found(), OptionalInt.empty(), false);
    }

    private static Optional<OfficialCheckpoint.Config> officialConfig(Path file, Format format, Path given) {
        return Optional.ofNullable(given)
                .or(() -> format == Format.TORCH_ZIP ? OfficialCheckpoint.configBeside(file) : Optional.empty())
                .map(OfficialCheckpoint::readConfig);
    }

    private static Map<String, String> provenance(Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SOURCE, io.github.trm4j.Provenance.name(file));
        OfficialCheckpoint.step(file).ifPresent(s -> meta.put(STEP, Long.toString(s)));
        return meta;
    }

    /** What a file says before its tensors are read: names (without prefix), dtypes, shapes, metadata. */
    private record Head(Map<String, WeightLayout.Found> found, Map<String, String> metadata) {}

    private static Head head(Path file, Format format) {
        return switch (format) {
            case SAFETENSORS -> {
                Safetensors.Header h = Safetensors.readHeader(file);
                Map<String, WeightLayout.Found> found = new LinkedHashMap<>();
                h.entries().forEach((k, e) ->
                        found.put(k, new WeightLayout.Found(e.dtype().safetensorsName(), e.dtype().isFloat(), e.shape())));
                yield new Head(stripped(file, found), h.metadata());
            }
            case TORCH_ZIP -> new Head(OfficialCheckpoint.found(file), provenance(file));
            case LEGACY_TORCH -> throw new InputException(
                    file + ": a pre-1.6 torch.save file (not a zip); re-save it with a recent PyTorch");
            default -> throw new InputException(file + ": neither a safetensors file nor a PyTorch checkpoint");
        };
    }

    /**
     * The config of a checkpoint, checked against its tensors. Errors name the file. With
     * {@code anySeqLen}, an official attention config without a sequence length is checked with a
     * placeholder (no tensor depends on it); callers that run the model pass {@code false}.
     */
    private static ModelConfig config(Path file, Optional<OfficialCheckpoint.Config> official, Map<String, String> meta,
            Map<String, WeightLayout.Found> found, OptionalInt seqLen, boolean anySeqLen) {
        try {
            ModelConfig c;
            if (official.isPresent()) {
                Map<String, long[]> shapes = new LinkedHashMap<>();
                found.forEach((k, f) -> shapes.put(k, f.shape()));
                c = OfficialConfig.map(official.get().arch(), shapes, seqLen, anySeqLen);
            } else {
                String json = meta.get(CONFIG);
                if (json == null)
                    throw new InputException("no model config; put " + OfficialCheckpoint.CONFIG_FILE + " beside it or pass --config");
                c = ModelConfig.fromJson(json);
                if (seqLen.isPresent() && seqLen.getAsInt() != c.seqLen())
                    throw new InputException("the model's seq_len is " + c.seqLen() + " but the data given (--data or --inputs) has " + seqLen.getAsInt());
            }
            // a training state also holds optimizer moments, the EMA and the carry (train.RunState)
            boolean trainingState = meta.getOrDefault("format", "").startsWith("trm4j-training-state");
            WeightLayout.check(c, found, trainingState, "");
            return c;
        } catch (InputException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        }
    }

    /** The model configuration JSON stored by trm4j, if the file has one. */
    public Optional<String> config() {
        return Optional.ofNullable(metadata.get(CONFIG));
    }

    /**
     * The model configuration, from the official {@code all_config.yaml} when there is one (mapped
     * once, by {@link ModelConfig#fromOfficial}), else from the trm4j metadata. {@code seqLen} is the
     * sequence length of the data at hand, needed when the weights do not fix it (attention models);
     * when both are known they must agree.
     */
    public ModelConfig modelConfig(OptionalInt seqLen) {
        return config(file, officialConfig, metadata, Weights.found(tensors), seqLen, false);
    }

    /** The training step, from the metadata or the {@code step_N} file name. */
    public OptionalLong step() {
        String s = metadata.get(STEP);
        if (s == null) return OfficialCheckpoint.step(file);
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new InputException(file + ": metadata field 'step' is " + io.github.trm4j.Printable.quote(s) + ", not an integer");
        }
    }

    /** Tensor shapes by name, for inferring config fields (vocabulary size, puzzle count, ...). */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /** Frees the tensors now (at most once each). */
    @Override
    public void close() {
        release(tensors);
    }

    /** The version of trm4j running now, as written into provenance. */
    public static String trm4jVersion() {
        String v = Checkpoint.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Recognises a file by its first bytes; a missing file is an {@link InputException}. */
    public static Format sniff(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) >= 0) {}
            head.flip();
            int n = head.remaining();
            if (n >= 4 && head.getInt(0) == 0x04034b50) return Format.TORCH_ZIP; // "PK\3\4"
            if (n >= 2 && (head.get(0) & 0xff) == 0x80 && head.get(1) <= 5) return Format.LEGACY_TORCH;
            if (n == 9 && head.get(8) == '{' && head.getLong(0) > 0 && head.getLong(0) <= ch.size() - 8)
                return Format.SAFETENSORS;
            return Format.UNKNOWN;
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Safetensors names with any official prefixes removed (checked on the header first). */
    private static <V> Map<String, V> stripped(Path file, Map<String, V> in) {
        Map<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : in.entrySet()) {
            if (out.put(OfficialCheckpoint.strip(e.getKey()), e.getValue()) != null)
                throw new InputException(file + ": tensor " + io.github.trm4j.Printable.quote(e.getKey())
                        + " repeats another name once prefixes are removed");
        }
        return out;
    }

    /**
     * Gives the caller ownership of tensors made inside a reader's own {@link PointerScope}: one
     * extra reference survives that scope's close, and the tensors are attached to no other scope.
     */
    static void handOut(Collection<Tensor> tensors) {
        for (Tensor t : tensors) t.retainReference();
    }

    /** Frees tensors handed out by {@link #handOut}, at most once each. */
    static void release(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) if (!t.isNull()) t.close();
    }
}
