package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.trm4j.InputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config completion from tensor shapes (no torch needed). */
class CheckpointConverterTest {
    private static final Path CKPT = Path.of("runs/step_1");

    private static OfficialCheckpoint.Config config(String archJson) throws Exception {
        return new OfficialCheckpoint.Config(Path.of("all_config.yaml"),
                new ObjectMapper().readTree("{\"arch\": " + archJson + "}"));
    }

    @Test
    void sudokuMlpGetsVocabPuzzlesAndSequenceLength() throws Exception {
        var shapes = Map.of(
                "embed_tokens.embedding_weight", new long[] {11, 512},
                "puzzle_emb.weights", new long[] {1, 512},
                "L_level.layers.0.mlp_t.gate_up_proj.weight", new long[] {1024, 97});
        ObjectNode arch = CheckpointConverter.officialArch(CKPT,
                config("{\"hidden_size\": 512, \"puzzle_emb_ndim\": 512, \"puzzle_emb_len\": 16, \"mlp_t\": true}"), shapes);
        assertEquals(11, arch.get("vocab_size").asLong());
        assertEquals(1, arch.get("num_puzzle_identifiers").asLong());
        assertEquals(81, arch.get("seq_len").asLong());
    }

    @Test
    void prefixLengthZeroMeansCeilOfNdimOverHidden() throws Exception {
        var shapes = Map.of(
                "embed_tokens.embedding_weight", new long[] {6, 512},
                "embed_pos.embedding_weight", new long[] {901, 512});
        ObjectNode arch = CheckpointConverter.officialArch(CKPT,
                config("{\"hidden_size\": 512, \"puzzle_emb_ndim\": 512, \"puzzle_emb_len\": 0}"), shapes);
        assertEquals(900, arch.get("seq_len").asLong());
        assertFalse(arch.has("num_puzzle_identifiers"));
    }

    @Test
    void yamlValuesWinAndMissingEmbeddingIsNamed() throws Exception {
        var shapes = Map.of("embed_tokens.embedding_weight", new long[] {12, 512});
        assertEquals(99, CheckpointConverter.officialArch(CKPT, config("{\"vocab_size\": 99}"), shapes).get("vocab_size").asLong());
        InputException e = assertThrows(InputException.class,
                () -> CheckpointConverter.officialArch(CKPT, config("{}"), Map.of("lm_head.weight", new long[] {12, 512})));
        assertTrue(e.getMessage().startsWith("runs/step_1: tensor 'embed_tokens.embedding_weight' is missing"), e.getMessage());
    }
}
