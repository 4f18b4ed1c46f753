package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InfoCommandTest {


    @Test
    void printsParametersAndConfig() throws Exception {
        CliRun r = CliRun.of("info", "--preset", "arc1-att");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(6_829_058, json.get("parameters").asLong());
        assertEquals(876_406, json.get("puzzleTableRows").asLong());
        assertEquals(4, json.get("config").get("latentSteps").asInt());
        assertEquals("ATTENTION", json.get("config").get("mixer").asText());
    }

    @Test
    void unknownPresetIsAUserError() {
        CliRun r = CliRun.of("info", "--preset", "sudoku-xl");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("trm: --preset: unknown preset 'sudoku-xl'"), r.err());
    }

    @Test
    void describesACheckpoint() throws Exception {
        CliRun r = CliRun.of("info", "--checkpoint", "models/sudoku/model.safetensors");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(694_274, json.get("parameters").asLong());
        assertEquals(128, json.get("config").get("hiddenSize").asInt());
        assertEquals(2, json.get("config").get("recursions").asInt());
        assertEquals(2, CliRun.of("info", "--checkpoint", "models/none.safetensors").exitCode());
        assertEquals(2, CliRun.of("info", "--preset", "sudoku-mlp", "--checkpoint", "models/sudoku/model.safetensors").exitCode());
    }
}
