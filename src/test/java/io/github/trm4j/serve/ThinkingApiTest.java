package io.github.trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Solution;
import io.github.trm4j.solve.SolveOptions;
import io.github.trm4j.solve.Thinking;
import io.javalin.testtools.JavalinTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The thinking fields of POST /api/solve: passed to the solver, bounded by the server, 400 naming the field. */
class ThinkingApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode[] post(io.javalin.testtools.HttpClient client, String extra) throws java.io.IOException {
        String body = "{\"kind\":\"sudoku\",\"puzzle\":\"" + FakeEngine.PUZZLE + "\"" + extra + "}";
        try (Response r = client.request("/api/solve", b -> b.post(RequestBody.create(body, MediaType.get("application/json"))))) {
            return new JsonNode[] {JSON.valueToTree(r.code()), JSON.readTree(r.body().string())};
        }
    }

    @Test
    void theFieldsReachTheSolver() {
        AtomicReference<SolveOptions> seen = new AtomicReference<>();
        FakeEngine fake = FakeEngine.instant();
        Engine recording = new Engine() {
            public String name() {
                return fake.name();
            }

            public PuzzleKind kind() {
                return fake.kind();
            }

            public int cells() {
                return fake.cells();
            }

            public Models.Info info() {
                return fake.info();
            }

            public Solution solve(PuzzleKind kind, String puzzle, SolveOptions options) {
                seen.set(options);
                return fake.solve(kind, puzzle, options);
            }
        };
        JavalinTest.test(WebApp.create(new Models(List.of(recording)), Limits.defaults(1), "127.0.0.1", 0), (server, client) -> {
            JsonNode[] r = post(client, ",\"trajectories\":8,\"noise\":0.5,\"augment\":2,\"select\":\"vote\"");
            assertEquals(200, r[0].asInt(), r[1].toString());
            Thinking t = seen.get().thinking();
            assertEquals(8, t.trajectories());
            assertEquals(2, t.augment());
            assertEquals(0.5, t.noise());
            assertEquals(Thinking.Select.VOTE, t.select());
            post(client, "");
            assertEquals(1, seen.get().thinking().candidates(), "no fields: the plain run");
            assertEquals(Thinking.DEFAULT_NOISE, seen.get().thinking().noise());
        });
    }

    @Test
    void badValuesAre400NamingTheField() {
        String[][] cases = {
            {",\"trajectories\":0", "trajectories"},
            {",\"trajectories\":-3", "trajectories"},
            {",\"trajectories\":65", "trajectories"},
            {",\"trajectories\":\"4\"", "trajectories"},
            {",\"trajectories\":16,\"augment\":8", "trajectories"},
            {",\"augment\":0", "augment"},
            {",\"augment\":1.5", "augment"},
            {",\"noise\":-0.1", "noise"},
            {",\"noise\":\"high\"", "noise"},
            {",\"noise\":1e9", "noise"},
            {",\"select\":\"best\"", "select"},
            {",\"select\":3", "select"},
        };
        JavalinTest.test(WebApp.create(new Models(List.of(FakeEngine.instant())), Limits.defaults(1), "127.0.0.1", 0), (server, client) -> {
            for (String[] c : cases) {
                JsonNode[] r = post(client, c[0]);
                assertEquals(400, r[0].asInt(), c[0]);
                assertEquals(c[1], r[1].get("field").asText(), c[0] + " -> " + r[1]);
                assertTrue(r[1].get("error").asText().startsWith(c[1] + ": "), r[1].toString());
            }
        });
    }
}
