package io.github.trm4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The architecture of one TRM (spec section 1.1), in the paper's names.
 *
 * <p>The official HRM-era names ({@code H_cycles}, {@code L_cycles}, {@code halt_max_steps}, ...)
 * are mapped once, in {@link #fromOfficial}. Every checkpoint carries this record as JSON
 * ({@link #toJson()}).
 *
 * @param hiddenSize D, the width of every token vector
 * @param numHeads attention heads (head size D / numHeads); unused by the MLP mixer
 * @param expansion SwiGLU expansion factor (inner size rounded as in section 1.5)
 * @param layers blocks in the single network (official {@code L_layers})
 * @param latentSteps n, latent updates per recursion (official {@code L_cycles})
 * @param recursions T, deep recursions per supervision step (official {@code H_cycles})
 * @param supervisionSteps N_sup, the supervision steps of one example (official {@code halt_max_steps})
 * @param haltExplorationProb probability of drawing a minimum step count while training (ACT)
 * @param puzzleEmbNdim width of one puzzle-embedding row; 0 disables puzzle embeddings
 * @param puzzleEmbLen P, prefix positions reserved for the puzzle embedding (already resolved: never
 *     the official "0 means ceil(ndim / D)")
 * @param posEncodings positional signal added to the attention (or none)
 * @param ropeTheta RoPE base
 * @param rmsNormEps RMSNorm epsilon
 * @param mixer token mixing: attention or an MLP over the sequence axis (official {@code mlp_t})
 * @param forwardDtype compute dtype of the forward pass (master weights stay fp32)
 * @param vocabSize V, tokens of the dataset
 * @param seqLen S, tokens per example (the network sees L = S + P)
 * @param numPuzzleIdentifiers rows of the puzzle-embedding table
 */
public record ModelConfig(
        int hiddenSize,
        int numHeads,
        double expansion,
        int layers,
        int latentSteps,
        int recursions,
        int supervisionSteps,
        double haltExplorationProb,
        int puzzleEmbNdim,
        int puzzleEmbLen,
        PosEncoding posEncodings,
        double ropeTheta,
        double rmsNormEps,
        Mixer mixer,
        ForwardDtype forwardDtype,
        int vocabSize,
        int seqLen,
        int numPuzzleIdentifiers) {

    /** Positional encoding (official {@code pos_encodings}: "rope", "learned", anything else). */
    public enum PosEncoding { ROPE, LEARNED, NONE }

    /** Token mixing inside a block: the variant of the network is this field. */
    public enum Mixer { ATTENTION, MLP }

    /** Compute dtype of the forward pass (section 1.9). */
    public enum ForwardDtype {
        FLOAT32, BFLOAT16;

        /** Parses {@code fp32|float32|bf16|bfloat16}; {@code field} names the flag or config key in the error. */
        public static ForwardDtype parse(String name, String field) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "fp32", "float32" -> FLOAT32;
                case "bf16", "bfloat16" -> BFLOAT16;
                default -> throw new InputException(field + ": expected bf16 or fp32, got " + io.github.trm4j.Printable.quote(name));
            };
        }

        /** The short name trm4j prints: {@code bf16} or {@code fp32}. */
        public String label() {
            return this == BFLOAT16 ? "bf16" : "fp32";
        }

        /** The name PyTorch and the official config use: {@code bfloat16} or {@code float32}. */
        public String torchName() {
            return this == BFLOAT16 ? "bfloat16" : "float32";
        }
    }

    /** Most latent updates per recursion, n (official {@code L_cycles}); the paper uses 6. */
    public static final int MAX_LATENT_STEPS = 64;
    /** Most deep recursions per supervision step, T (official {@code H_cycles}); the paper uses 3. */
    public static final int MAX_RECURSIONS = 64;
    /**
     * Most supervision steps, N_sup (official {@code halt_max_steps}), and the bound on every
     * {@code --steps} (trace, eval, solve); the paper uses 16.
     */
    public static final int MAX_SUPERVISION_STEPS = 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    public ModelConfig {
        positive("hiddenSize", hiddenSize);
        positive("numHeads", numHeads);
        positive("layers", layers);
        bounded("latentSteps", latentSteps, MAX_LATENT_STEPS, "MAX_LATENT_STEPS");
        bounded("recursions", recursions, MAX_RECURSIONS, "MAX_RECURSIONS");
        bounded("supervisionSteps", supervisionSteps, MAX_SUPERVISION_STEPS, "MAX_SUPERVISION_STEPS");
        positive("vocabSize", vocabSize);
        positive("seqLen", seqLen);
        positive("numPuzzleIdentifiers", numPuzzleIdentifiers);
        require(expansion > 0 && expansion <= 64, "expansion", "must be in (0, 64], got " + expansion);
        require(hiddenSize % numHeads == 0, "numHeads",
                "must divide hiddenSize " + hiddenSize + ", got " + numHeads);
        require(haltExplorationProb >= 0 && haltExplorationProb <= 1, "haltExplorationProb",
                "must be in [0, 1], got " + haltExplorationProb);
        require(puzzleEmbNdim >= 0, "puzzleEmbNdim", "must be >= 0, got " + puzzleEmbNdim);
        require(puzzleEmbLen >= 0, "puzzleEmbLen", "must be >= 0, got " + puzzleEmbLen);
        require(puzzleEmbNdim > 0 || puzzleEmbLen == 0, "puzzleEmbLen",
                "must be 0 when puzzleEmbNdim is 0, got " + puzzleEmbLen);
        require((long) puzzleEmbLen * hiddenSize >= puzzleEmbNdim, "puzzleEmbLen",
                "puzzleEmbLen * hiddenSize must hold puzzleEmbNdim " + puzzleEmbNdim + ", got " + puzzleEmbLen);
        require(ropeTheta > 0 && Double.isFinite(ropeTheta), "ropeTheta", "must be positive and finite, got " + ropeTheta);
        require(rmsNormEps > 0 && rmsNormEps < 1, "rmsNormEps", "must be in (0, 1), got " + rmsNormEps);
        require(posEncodings != null, "posEncodings", "is missing");
        require(mixer != null, "mixer", "is missing");
        require(forwardDtype != null, "forwardDtype", "is missing");
        require(posEncodings != PosEncoding.ROPE || (hiddenSize / numHeads) % 2 == 0, "numHeads",
                "RoPE needs an even head size, got " + hiddenSize / numHeads);
    }

    private static void positive(String field, int value) {
        require(value > 0, field, "must be positive, got " + value);
    }

    private static void bounded(String field, int value, int max, String name) {
        require(value > 0 && value <= max, field, "must be between 1 and " + max + " (ModelConfig." + name + "), got " + value);
    }

    /** Checks a supervision step count asked for at run time ({@code --steps}, a request's steps). */
    public static int checkSteps(String field, int steps) {
        if (steps < 1 || steps > MAX_SUPERVISION_STEPS)
            throw new InputException(field + ": must be between 1 and " + MAX_SUPERVISION_STEPS
                    + " (ModelConfig.MAX_SUPERVISION_STEPS), got " + steps);
        return steps;
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InputException("model config " + field + ": " + message);
        }
    }

    // ---- presets (section 5) ------------------------------------------------------------------

    private static final Map<String, Supplier<ModelConfig>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("sudoku-mlp", () -> paper(Mixer.MLP, PosEncoding.NONE, 6, 11, 81, 1));
        PRESETS.put("sudoku-att", () -> paper(Mixer.ATTENTION, PosEncoding.ROPE, 6, 11, 81, 1));
        PRESETS.put("maze-att", () -> paper(Mixer.ATTENTION, PosEncoding.ROPE, 4, 6, 900, 1));
        PRESETS.put("maze-mlp", () -> paper(Mixer.MLP, PosEncoding.NONE, 4, 6, 900, 1));
        PRESETS.put("arc1-att", () -> paper(Mixer.ATTENTION, PosEncoding.ROPE, 4, 12, 900, 876_406));
        PRESETS.put("arc2-att", () -> paper(Mixer.ATTENTION, PosEncoding.ROPE, 4, 12, 900, 1_191_730));
        PRESETS.put("sudoku-mlp-small", ModelConfig::sudokuMlpSmall);
        PRESETS.put("sudoku-mlp-tiny", () -> tiny(Mixer.MLP, PosEncoding.NONE));
        PRESETS.put("sudoku-att-tiny", () -> tiny(Mixer.ATTENTION, PosEncoding.ROPE));
    }

    /** The paper's shared recipe: D 512, 8 heads, expansion 4, 2 layers, T 3, N_sup 16, bf16. */
    private static ModelConfig paper(Mixer mixer, PosEncoding pos, int n, int vocab, int seqLen, int ids) {
        return new ModelConfig(512, 8, 4, 2, n, 3, 16, 0.1, 512, 16, pos, 10000, 1e-5, mixer,
                ForwardDtype.BFLOAT16, vocab, seqLen, ids);
    }

    /**
     * {@code sudoku-mlp-small}: the Sudoku MLP model at a quarter of the width (D 256, 1.48M
     * parameters, about 4x cheaper per step) with the paper's recursion (n 6, T 3, N_sup 16). It is
     * for training on a CPU in hours instead of days.
     */
    private static ModelConfig sudokuMlpSmall() {
        return new ModelConfig(256, 4, 4, 2, 6, 3, 16, 0.1, 256, 16, PosEncoding.NONE, 10000, 1e-5,
                Mixer.MLP, ForwardDtype.BFLOAT16, 11, 81, 1);
    }

    /**
     * {@code sudoku-mlp-tiny} / {@code sudoku-att-tiny}: Sudoku-shaped (V 11, S 81) but D 64, n 2,
     * T 2, N_sup 4, P 2 (a padded puzzle prefix), fp32. For tests and quick smoke runs only.
     */
    private static ModelConfig tiny(Mixer mixer, PosEncoding pos) {
        return new ModelConfig(64, 4, 4, 2, 2, 2, 4, 0.1, 64, 2, pos, 10000, 1e-5, mixer,
                ForwardDtype.FLOAT32, 11, 81, 1);
    }

    /** The names of all presets, paper configurations first. */
    public static Iterable<String> presetNames() {
        return PRESETS.keySet();
    }

    /** A preset by name; an unknown name is an {@link InputException} listing the known ones. */
    public static ModelConfig preset(String name) {
        Supplier<ModelConfig> p = PRESETS.get(name);
        if (p == null) {
            throw new InputException("--preset: unknown preset '" + name + "'; known: "
                    + String.join(", ", PRESETS.keySet()));
        }
        return p.get();
    }

    // ---- derived sizes ---------------------------------------------------------------------

    /** L = S + P, the sequence length the network sees. */
    public int fullSeqLen() {
        return seqLen + puzzleEmbLen;
    }

    /** Head size D / numHeads. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Trainable parameters, puzzle table excluded (section 1.10). */
    public long parameterCount() {
        return WeightLayout.of(this).stream().filter(WeightLayout.Entry::trainable)
                .mapToLong(WeightLayout.Entry::numel).sum();
    }

    /** Rows of the puzzle-embedding table (0 when puzzle embeddings are disabled). */
    public long puzzleTableRows() {
        return puzzleEmbNdim > 0 ? numPuzzleIdentifiers : 0;
    }

    /** This config with another forward dtype. */
    public ModelConfig withForwardDtype(ForwardDtype dtype) {
        return new ModelConfig(hiddenSize, numHeads, expansion, layers, latentSteps, recursions,
                supervisionSteps, haltExplorationProb, puzzleEmbNdim, puzzleEmbLen, posEncodings,
                ropeTheta, rmsNormEps, mixer, dtype, vocabSize, seqLen, numPuzzleIdentifiers);
    }

    /** This config for another dataset shape (vocabulary, sequence length, puzzle identifiers). */
    public ModelConfig withData(int vocabSize, int seqLen, int numPuzzleIdentifiers) {
        return new ModelConfig(hiddenSize, numHeads, expansion, layers, latentSteps, recursions,
                supervisionSteps, haltExplorationProb, puzzleEmbNdim, puzzleEmbLen, posEncodings,
                ropeTheta, rmsNormEps, mixer, forwardDtype, vocabSize, seqLen, numPuzzleIdentifiers);
    }

    // ---- JSON (checkpoint metadata) ------------------------------------------------------------

    /** Compact JSON with the record's component names. */
    public String toJson() {
        return toJsonNode().toString();
    }

    /** This config as a Jackson tree. */
    public JsonNode toJsonNode() {
        return JSON.valueToTree(this);
    }

    /** Reads {@link #toJson()} output; anything else is an {@link InputException} naming the field. */
    public static ModelConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ModelConfig.class);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InputException ie) {
                    throw ie;
                }
            }
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? " field '" + m.getPath().get(m.getPath().size() - 1).getFieldName() + "'" : "";
            String why = e.getOriginalMessage().lines().findFirst().orElse("").replaceAll(" \\((but could|set Deserialization).*", "");
            throw new InputException("model config JSON" + field + ": " + why, e);
        }
    }

    // ---- official configs ----------------------------------------------------------------------

    /**
     * Maps the {@code arch:} section of an official {@code all_config.yaml}. The YAML lacks
     * {@code vocab_size}, {@code seq_len} and {@code num_puzzle_identifiers}; they are inferred from
     * the checkpoint's tensor shapes (names without the {@code _orig_mod.model.inner.} prefix).
     * The sequence length of an attention model without learned positions cannot be inferred:
     * use {@link #fromOfficial(JsonNode, Map, OptionalInt)} with the dataset's seq_len.
     */
    public static ModelConfig fromOfficial(JsonNode arch, Map<String, long[]> tensorShapes) {
        return OfficialConfig.map(arch, tensorShapes, OptionalInt.empty());
    }

    /**
     * As {@link #fromOfficial(JsonNode, Map)}, with the sequence length S supplied by the caller
     * (dataset metadata or {@code --seq-len}); when the shapes also determine S, both must agree.
     */
    public static ModelConfig fromOfficial(JsonNode arch, Map<String, long[]> tensorShapes, OptionalInt seqLen) {
        return OfficialConfig.map(arch, tensorShapes, seqLen);
    }
}
