package io.github.trm4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What {@code trm info} reports about a configuration; pure arithmetic, no libtorch.
 *
 * @param preset the preset name, or null
 * @param parameters trainable parameters, puzzle table excluded (the paper's count)
 * @param puzzleTableRows rows of the puzzle-embedding table (a buffer, not counted)
 * @param puzzleTableValues rows × puzzleEmbNdim
 * @param config the resolved configuration
 */
public record ModelInfo(String preset, long parameters, long puzzleTableRows, long puzzleTableValues, ModelConfig config) {
    public static ModelInfo of(String preset, ModelConfig config) {
        long rows = config.puzzleTableRows();
        return new ModelInfo(preset, config.parameterCount(), rows, rows * config.puzzleEmbNdim(), config);
    }

    /** Indented JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
