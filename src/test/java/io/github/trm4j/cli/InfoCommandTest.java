package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void printsParametersAndConfig() throws Exception {
        Run r = run("info", "--preset", "arc1-att");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(6_829_058, json.get("parameters").asLong());
        assertEquals(876_406, json.get("puzzleTableRows").asLong());
        assertEquals(4, json.get("config").get("latentSteps").asInt());
        assertEquals("ATTENTION", json.get("config").get("mixer").asText());
    }

    @Test
    void unknownPresetIsAUserError() {
        Run r = run("info", "--preset", "sudoku-xl");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("trm: --preset: unknown preset 'sudoku-xl'"), r.err());
    }

    @Test
    void describesACheckpoint() throws Exception {
        Run r = run("info", "--checkpoint", "models/sudoku/model.safetensors");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(694_274, json.get("parameters").asLong());
        assertEquals(128, json.get("config").get("hiddenSize").asInt());
        assertEquals(2, json.get("config").get("recursions").asInt());
        assertEquals(2, run("info", "--checkpoint", "models/none.safetensors").code());
        assertEquals(2, run("info", "--preset", "sudoku-mlp", "--checkpoint", "models/sudoku/model.safetensors").code());
    }
}
