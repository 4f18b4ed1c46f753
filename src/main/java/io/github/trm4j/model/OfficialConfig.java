package io.github.trm4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.model.ModelConfig.Mixer;
import io.github.trm4j.model.ModelConfig.PosEncoding;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The one place where the official names ({@code H_cycles}, {@code L_cycles}, {@code mlp_t}, ...)
 * become the paper's. Reads the {@code arch:} section of {@code all_config.yaml}; the dataset sizes
 * the YAML lacks come from tensor shapes.
 */
final class OfficialConfig {
    private OfficialConfig() {}

    static ModelConfig map(JsonNode arch, Map<String, long[]> shapes, OptionalInt seqLenHint) {
        return map(arch, shapes, seqLenHint, false);
    }

    /**
     * With {@code anySeqLen}, a sequence length that nothing determines (an attention model
     * without learned positions) is taken as 1: enough to check the weights, whose shapes do not
     * depend on it, and never used to run the model.
     */
    static ModelConfig map(JsonNode arch, Map<String, long[]> shapes, OptionalInt seqLenHint, boolean anySeqLen) {
        if (arch == null || !arch.isObject()) {
            throw new InputException("arch: expected the arch: section of all_config.yaml (a mapping)");
        }
        String name = arch.path("name").asText("");
        if (!name.isEmpty() && !name.startsWith("recursive_reasoning.trm@")) {
            throw new InputException("arch.name: only recursive_reasoning.trm@... models are supported, got " + Printable.quote(name));
        }
        if (!bool(arch, "no_ACT_continue", true)) {
            throw new InputException("arch.no_ACT_continue: false is not supported (the official TRM code crashes on it)");
        }
        int hidden = integer(arch, "hidden_size", null);
        int ndim = integer(arch, "puzzle_emb_ndim", 0);
        int embLen = integer(arch, "puzzle_emb_len", 16);
        if (embLen == 0 || ndim == 0) {
            embLen = (ndim + hidden - 1) / hidden; // official: 0 means ceil(ndim / D); no table means no prefix
        }
        boolean mlpT = bool(arch, "mlp_t", false);
        PosEncoding pos = switch (text(arch, "pos_encodings", null)) {
            case "rope" -> PosEncoding.ROPE;
            case "learned" -> PosEncoding.LEARNED;
            default -> PosEncoding.NONE;
        };
        ForwardDtype dtype = ForwardDtype.parse(text(arch, "forward_dtype", "bfloat16"), "arch.forward_dtype");
        long[] embed = shape(shapes, WeightLayout.EMBED_TOKENS, 2);
        if (embed[1] != hidden) {
            throw new InputException(WeightLayout.EMBED_TOKENS + ": shape " + Arrays.toString(embed)
                    + " does not match arch.hidden_size " + hidden);
        }
        int vocab = optional(arch, "vocab_size").orElse((int) embed[0]);
        int ids = optional(arch, "num_puzzle_identifiers").orElse(
                ndim > 0 ? (int) shape(shapes, WeightLayout.PUZZLE_EMB, 2)[0] : 1);
        int seqLen = seqLen(arch, shapes, seqLenHint, embLen, mlpT, pos, anySeqLen);
        return new ModelConfig(hidden, integer(arch, "num_heads", null), number(arch, "expansion", null),
                integer(arch, "L_layers", null), integer(arch, "L_cycles", null), integer(arch, "H_cycles", null),
                integer(arch, "halt_max_steps", null), number(arch, "halt_exploration_prob", null), ndim, embLen,
                pos, number(arch, "rope_theta", 10000.0), number(arch, "rms_norm_eps", 1e-5),
                mlpT ? Mixer.MLP : Mixer.ATTENTION, dtype, vocab, seqLen, ids);
    }

    /** S from the YAML, else from L = S + P in the token-mixing or learned-position weights, else the hint. */
    private static int seqLen(JsonNode arch, Map<String, long[]> shapes, OptionalInt hint, int embLen,
            boolean mlpT, PosEncoding pos, boolean anySeqLen) {
        OptionalInt fromShapes = OptionalInt.empty();
        String mixing = WeightLayout.block(0, "mlp_t.gate_up_proj.weight");
        if (mlpT) {
            fromShapes = OptionalInt.of((int) shape(shapes, mixing, 2)[1] - embLen);
        } else if (pos == PosEncoding.LEARNED) {
            fromShapes = OptionalInt.of((int) shape(shapes, WeightLayout.EMBED_POS, 2)[0] - embLen);
        }
        OptionalInt known = optional(arch, "seq_len");
        if (known.isEmpty()) {
            known = fromShapes.isPresent() ? fromShapes : hint;
        }
        if (known.isEmpty() && anySeqLen) {
            known = OptionalInt.of(1);
        }
        if (known.isEmpty()) {
            throw new InputException("seq_len: cannot be inferred from an attention checkpoint without learned "
                    + "positions; pass --seq-len S (81 for Sudoku, 900 for mazes and ARC)");
        }
        if (fromShapes.isPresent() && fromShapes.getAsInt() != known.getAsInt()) {
            throw new InputException("seq_len: the checkpoint's shapes give " + fromShapes.getAsInt()
                    + " but " + known.getAsInt() + " was given");
        }
        if (hint.isPresent() && hint.getAsInt() != known.getAsInt()) {
            throw new InputException("seq_len: the checkpoint says " + known.getAsInt() + " but "
                    + hint.getAsInt() + " was given");
        }
        return known.getAsInt();
    }

    private static long[] shape(Map<String, long[]> shapes, String name, int rank) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new InputException(name + ": missing from the checkpoint");
        }
        if (s.length != rank) {
            throw new InputException(name + ": expected " + rank + " dimensions, got " + Arrays.toString(s));
        }
        return s;
    }

    private static JsonNode field(JsonNode arch, String key, Object fallback) {
        JsonNode v = arch.get(key);
        if ((v == null || v.isNull()) && fallback == null) {
            throw new InputException("arch." + key + ": missing");
        }
        return v == null || v.isNull() ? null : v;
    }

    private static int integer(JsonNode arch, String key, Integer fallback) {
        JsonNode v = field(arch, key, fallback);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.asText().matches("-?\\d+"))) {
            throw new InputException("arch." + key + ": expected an integer, got " + Printable.quote(v.asText()));
        }
        return v.asInt();
    }

    private static OptionalInt optional(JsonNode arch, String key) {
        return arch.hasNonNull(key) ? OptionalInt.of(integer(arch, key, null)) : OptionalInt.empty();
    }

    private static double number(JsonNode arch, String key, Double fallback) {
        JsonNode v = field(arch, key, fallback);
        if (v == null) {
            return fallback;
        }
        try {
            return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new InputException("arch." + key + ": expected a number, got " + Printable.quote(v.asText()));
        }
    }

    private static boolean bool(JsonNode arch, String key, boolean fallback) {
        JsonNode v = arch.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        return switch (v.asText().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InputException("arch." + key + ": expected true or false, got " + Printable.quote(v.asText()));
        };
    }

    private static String text(JsonNode arch, String key, String fallback) {
        JsonNode v = field(arch, key, fallback);
        return v == null ? fallback : v.asText();
    }
}
