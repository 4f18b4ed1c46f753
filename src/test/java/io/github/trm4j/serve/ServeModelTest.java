package io.github.trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.TestConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API end to end on the shipped Sudoku and maze models (real libtorch solves). */
class ServeModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Models models;
    /** JavalinTest's client with a read timeout to match the time limit (its default is 10 s). */
    private static final TestConfig PATIENT = new TestConfig(true, true,
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(160)).build());

    @BeforeAll
    static void load() {
        Backend.init();
        models = Models.load(List.of(), io.github.trm4j.model.DtypeChoice.fixed(ModelConfig.ForwardDtype.FLOAT32, "test")); // the shipped models in fp32
    }

    private static Javalin app() {
        return WebApp.create(models, Limits.defaults(2).withTimeLimit(Duration.ofSeconds(150)), "127.0.0.1", 0); // generous: a loaded CI machine
    }

    private static JsonNode solve(HttpClient client, String body, int status) throws IOException {
        try (Response r = client.request("/api/solve", b -> b.post(RequestBody.create(body, MediaType.get("application/json"))))) {
            JsonNode json = JSON.readTree(r.body().string());
            assertEquals(status, r.code(), json.toString());
            return json;
        }
    }

    @Test
    void solvesAGeneratedSudokuWithOneTraceEntryPerStep() {
        JavalinTest.test(app(), PATIENT, (server, client) -> {
            String puzzle;
            try (Response g = client.get("/api/generate?kind=sudoku&givens=30&seed=7")) {
                puzzle = JSON.readTree(g.body().string()).get("puzzle").asText();
            }
            int nSup = JSON.readTree(client.get("/api/models").body().string()).get("models").get(0).get("config").get("supervisionSteps").asInt();

            JsonNode r = solve(client, "{\"kind\":\"sudoku\",\"puzzle\":\"" + puzzle + "\"}", 200);
            assertEquals(nSup, r.get("stepsUsed").asInt());
            assertEquals(r.get("stepsUsed").asInt(), r.get("trace").size());
            assertTrue(r.get("answer").asText().matches("[0-9]{81}"), r.get("answer").asText());
            assertEquals(r.get("answer").asText(), r.get("trace").get(nSup - 1).get("grid").asText());
            double q = r.get("trace").get(nSup - 1).get("qHalt").asDouble();
            assertEquals(1 / (1 + Math.exp(-q)), r.get("confidence").asDouble(), 1e-9);
            assertEquals(81, r.get("exact").get("answer").asText().length());
            assertEquals(r.get("exact").get("answer").asText().equals(r.get("answer").asText()), r.get("exact").get("agrees").asBoolean());

            JsonNode three = solve(client, "{\"kind\":\"sudoku\",\"puzzle\":\"" + puzzle + "\",\"steps\":3}", 200);
            assertEquals(3, three.get("stepsUsed").asInt());
            assertEquals(3, three.get("trace").size());

            JsonNode adaptive = solve(client, "{\"kind\":\"sudoku\",\"puzzle\":\"" + puzzle + "\",\"steps\":5,\"adaptive\":true}", 200);
            int used = adaptive.get("stepsUsed").asInt();
            assertTrue(used >= 1 && used <= 5, "steps used " + used);
            assertEquals(used, adaptive.get("trace").size());

        });
    }

    @Test
    void listsBothShippedModelsAndSolvesA11x11MazeWithTheMazeModel() {
        JavalinTest.test(app(), PATIENT, (server, client) -> {
            JsonNode list = JSON.readTree(client.get("/api/models").body().string()).get("models");
            assertEquals(2, list.size(), list.toString());
            assertEquals("shipped-sudoku", list.get(0).get("name").asText());
            assertEquals("sudoku", list.get(0).get("kind").asText());
            assertEquals("shipped-maze", list.get(1).get("name").asText());
            assertEquals("maze", list.get(1).get("kind").asText());
            assertEquals(121, list.get(1).get("cells").asInt());
            assertEquals("model.safetensors", list.get(1).get("file").asText());

            JsonNode g;
            try (Response r = client.get("/api/generate?kind=maze&seed=4")) {
                g = JSON.readTree(r.body().string());
            }
            String maze = g.get("puzzle").asText();
            assertEquals(121, maze.length(), "the default maze size is the maze model's");
            assertTrue(g.get("moves").asInt() > 16, g.toString());

            JsonNode r = solve(client, "{\"kind\":\"maze\",\"puzzle\":\"" + maze + "\"}", 200);
            assertEquals("shipped-maze", r.get("model").asText());
            assertEquals(r.get("stepsUsed").asInt(), r.get("trace").size());
            assertTrue(r.get("answer").asText().matches("[# SGo?]{121}"), r.get("answer").asText());
            assertEquals(r.get("exact").get("answer").asText().equals(r.get("answer").asText()), r.get("exact").get("agrees").asBoolean());

            String big = "S" + " ".repeat(898) + "G";
            JsonNode refused = solve(client, "{\"kind\":\"maze\",\"puzzle\":\"" + big + "\"}", 400);
            assertEquals("puzzle", refused.get("field").asText());
            assertEquals("puzzle: a 30x30 maze, but model 'shipped-maze' solves 11x11 mazes (121 characters)", refused.get("error").asText());
        });
    }
}
