package io.github.trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

/** The REST API with fake models (no libtorch): shapes, every error code, the limits. */
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Limits LIMITS = Limits.defaults(2);

    private static Javalin app(Limits limits, Engine... engines) {
        return WebApp.create(new Models(List.of(engines)), limits, "127.0.0.1", 0);
    }

    record Reply(int status, JsonNode body, Response raw) {}

    private static Reply post(HttpClient client, String body) throws IOException {
        try (Response r = client.request("/api/solve", b -> b.post(RequestBody.create(body, JSON_TYPE)))) {
            return new Reply(r.code(), JSON.readTree(r.body().string()), r);
        }
    }

    private static Reply get(HttpClient client, String path) throws IOException {
        try (Response r = client.get(path)) {
            return new Reply(r.code(), JSON.readTree(r.body().string()), r);
        }
    }

    private static String solveBody(String puzzle, String extra) {
        return "{\"kind\":\"sudoku\",\"puzzle\":\"" + puzzle + "\"" + extra + "}";
    }

    @Test
    void solvesWithATraceOfStepsUsedAndTheExactAnswer() {
        JavalinTest.test(app(LIMITS, FakeEngine.instant()), (server, client) -> {
            Reply r = post(client, solveBody(FakeEngine.PUZZLE, ",\"steps\":6,\"adaptive\":false"));
            assertEquals(200, r.status(), r.body().toString());
            JsonNode b = r.body();
            assertEquals(FakeEngine.ANSWER, b.get("answer").asText());
            assertTrue(b.get("valid").asBoolean());
            assertEquals(6, b.get("stepsUsed").asInt());
            assertEquals(b.get("stepsUsed").asInt(), b.get("trace").size());
            assertEquals("fake", b.get("model").asText());
            JsonNode step1 = b.get("trace").get(0);
            assertEquals(1, step1.get("step").asInt());
            assertEquals(81, step1.get("grid").asText().length());
            assertEquals(-1.0, step1.get("qHalt").asDouble());
            assertEquals(51, step1.get("changed").size()); // the 51 blanks of PUZZLE
            assertTrue(b.get("millis").isIntegralNumber());
            assertTrue(b.get("confidence").asDouble() > 0.5);
            assertEquals(FakeEngine.ANSWER, b.get("exact").get("answer").asText());
            assertTrue(b.get("exact").get("agrees").asBoolean());
            assertEquals("unique solution", b.get("exact").get("detail").asText());
        });
    }

    @Test
    void zeroBlanksAndTheDefaultStepsWork() {
        JavalinTest.test(app(LIMITS, FakeEngine.instant()), (server, client) -> {
            Reply r = post(client, "{\"kind\":\"sudoku\",\"puzzle\":\"" + FakeEngine.PUZZLE.replace('.', '0') + "\",\"model\":\"fake\"}");
            assertEquals(200, r.status());
            assertEquals(4, r.body().get("stepsUsed").asInt());
            assertEquals(4, r.body().get("trace").size());
        });
    }

    /** Each malformed request: 400, and the error names the field. */
    @Test
    void badRequestsAre400NamingTheField() {
        String ok = FakeEngine.PUZZLE;
        String[][] cases = {
            {"{\"kind\":\"sudoku\",", "body"},
            {"", "body"},
            {"[1,2]", "body"},
            {"{} {}", "body"},
            {"{\"puzzle\":\"" + ok + "\"}", "kind"},
            {"{\"kind\":\"chess\",\"puzzle\":\"" + ok + "\"}", "kind"},
            {"{\"kind\":7,\"puzzle\":\"" + ok + "\"}", "kind"},
            {"{\"kind\":\"arc\",\"puzzle\":\"" + ok + "\"}", "kind"},
            {"{\"kind\":\"maze\",\"puzzle\":\"" + ok + "\"}", "kind"},
            {"{\"kind\":\"sudoku\"}", "puzzle"},
            {solveBody(ok.substring(1), ""), "puzzle"},
            {solveBody(ok + ".", ""), "puzzle"},
            {solveBody("x" + ok.substring(1), ""), "puzzle"},
            {"{\"kind\":\"sudoku\",\"puzzle\":81}", "puzzle"},
            {solveBody(ok, ",\"steps\":0"), "steps"},
            {solveBody(ok, ",\"steps\":65"), "steps"},
            {solveBody(ok, ",\"steps\":\"8\""), "steps"},
            {solveBody(ok, ",\"steps\":2.5"), "steps"},
            {solveBody(ok, ",\"adaptive\":\"yes\""), "adaptive"},
            {solveBody(ok, ",\"model\":\"other\""), "model"},
            {solveBody(ok, ",\"model\":\"../models/sudoku/model.safetensors\""), "model"},
            {solveBody(ok, ",\"checkpoint\":\"/etc/passwd\""), "checkpoint"},
            {solveBody(ok, ",\"steps\":3,\"steps\":4"), "body"},
        };
        JavalinTest.test(app(LIMITS, FakeEngine.instant()), (server, client) -> {
            for (String[] c : cases) {
                Reply r = post(client, c[0]);
                assertEquals(400, r.status(), c[0]);
                assertEquals(c[1], r.body().get("field").asText(), c[0] + " -> " + r.body());
                assertTrue(r.body().get("error").asText().startsWith(c[1] + ": "), r.body().toString());
            }
        });
    }

    @Test
    void theSolversOwnInputErrorsAre400NamingItsField() {
        Engine picky = new FakeEngine("picky", () -> {
            throw new InputException("puzzle: row 1 has two 5s");
        });
        JavalinTest.test(app(LIMITS, picky), (server, client) -> {
            Reply r = post(client, solveBody(FakeEngine.PUZZLE, ""));
            assertEquals(400, r.status());
            assertEquals("puzzle", r.body().get("field").asText());
            assertEquals("puzzle: row 1 has two 5s", r.body().get("error").asText());
        });
    }

    @Test
    void internalErrorsAre500WithoutDetailsOrStackTraces() {
        Engine broken = new FakeEngine("broken", () -> {
            throw new IllegalStateException("secret /root/internal/path");
        });
        JavalinTest.test(app(LIMITS, broken), (server, client) -> {
            try (Response r = client.request("/api/solve", b -> b.post(RequestBody.create(solveBody(FakeEngine.PUZZLE, ""), JSON_TYPE)))) {
                String text = r.body().string();
                assertEquals(500, r.code());
                assertFalse(text.contains("secret"), text);
                assertFalse(text.contains("at io.github"), text);
                assertFalse(text.contains("Exception"), text);
            }
        });
    }

    @Test
    void bodiesOver64KbAre413WithOrWithoutContentLength() {
        String big = solveBody(FakeEngine.PUZZLE, ",\"pad\":\"" + "x".repeat(70_000) + "\"");
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON_TYPE;
            }

            @Override
            public long contentLength() {
                return -1; // chunked transfer: the server must count
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(big);
            }
        };
        JavalinTest.test(app(LIMITS, FakeEngine.instant()), (server, client) -> {
            Reply r = post(client, big);
            assertEquals(413, r.status());
            assertEquals("body", r.body().get("field").asText());
            try (Response c = client.request("/api/solve", b -> b.post(chunked))) {
                assertEquals(413, c.code());
            }
            // Just under the limit is read (and then judged on its content).
            String padded = "{\"kind\":\"sudoku\",\"puzzle\":\"" + FakeEngine.PUZZLE + "\"}" + " ".repeat(Limits.MAX_BODY_BYTES - 200);
            assertEquals(200, post(client, padded).status());
        });
    }

    /** One worker busy, one request queued: the next is refused with 503 and Retry-After, after the refusal delay. */
    @Test
    void aFullQueueIs503WithRetryAfter() {
        CountDownLatch release = new CountDownLatch(1);
        Engine slow = new FakeEngine("slow", () -> release.await(20, TimeUnit.SECONDS));
        Limits tiny = Limits.defaults(1).withQueue(1).withTimeLimit(Duration.ofSeconds(20));
        JavalinTest.test(app(tiny, slow), (server, client) -> {
            String body = solveBody(FakeEngine.PUZZLE, "");
            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> unchecked(() -> post(client, body)));
            awaitHealth(client, 1, 0);
            CompletableFuture<Reply> second = CompletableFuture.supplyAsync(() -> unchecked(() -> post(client, body)));
            awaitHealth(client, 1, 1);
            long t0 = System.nanoTime();
            try (Response third = client.request("/api/solve", b -> b.post(RequestBody.create(body, JSON_TYPE)))) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= Limits.REFUSAL_DELAY_MS - 100, "refused after " + ms + " ms: a client retrying at once is slowed down");
                assertEquals(503, third.code());
                String retry = third.header("Retry-After");
                assertNotNull(retry);
                assertTrue(Integer.parseInt(retry) >= 1);
                assertTrue(JSON.readTree(third.body().string()).get("error").asText().startsWith("busy"));
            }
            release.countDown();
            assertEquals(200, first.get(20, TimeUnit.SECONDS).status());
            assertEquals(200, second.get(20, TimeUnit.SECONDS).status());
            awaitHealth(client, 0, 0);
        });
    }

    /** One request running past the limit, one waiting past it: both 503 at once; the waiting one never runs. */
    @Test
    void aRequestOverTheTimeLimitIs503WithRetryAfter() {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        Engine stuck = new FakeEngine("stuck", () -> {
            started.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
        });
        Limits quick = Limits.defaults(1).withQueue(4).withTimeLimit(Duration.ofMillis(300));
        JavalinTest.test(app(quick, stuck), (server, client) -> {
            String body = solveBody(FakeEngine.PUZZLE, "");
            long t0 = System.nanoTime();
            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> unchecked(() -> post(client, body)));
            try (Response r = client.request("/api/solve", b -> b.post(RequestBody.create(body, JSON_TYPE)))) {
                assertEquals(503, r.code());
                assertNotNull(r.header("Retry-After"));
                assertTrue(JSON.readTree(r.body().string()).get("error").asText().contains("time limit of 300 ms"));
            }
            assertEquals(503, waiting.get(10, TimeUnit.SECONDS).status());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5000, "answered after " + ms + " ms");
            awaitHealth(client, 1, 0); // the waiting job left the queue; the running one cannot be interrupted
            release.countDown();
            awaitHealth(client, 0, 0); // the abandoned job finishes and frees its worker
            assertEquals(1, started.get(), "the job that timed out while waiting never ran");
        });
    }

    @Test
    void generatesSudokusAndMazesAndChecksTheParameters() {
        JavalinTest.test(app(LIMITS, FakeEngine.instant()), (server, client) -> {
            Reply s = get(client, "/api/generate?kind=sudoku&givens=30&seed=5");
            assertEquals(200, s.status());
            String p = s.body().get("puzzle").asText();
            assertEquals(81, p.length());
            assertEquals(30, p.chars().filter(c -> c != '.').count());
            assertEquals(30, s.body().get("givens").asInt());
            assertEquals(p, get(client, "/api/generate?kind=sudoku&givens=30&seed=5").body().get("puzzle").asText(), "same seed, same puzzle");
            assertEquals(81, get(client, "/api/generate").body().get("puzzle").asText().length());

            Reply m = get(client, "/api/generate?kind=maze&seed=3");
            assertEquals(200, m.status());
            String maze = m.body().get("puzzle").asText();
            assertEquals(900, maze.length());
            assertEquals(1, maze.chars().filter(c -> c == 'S').count());
            assertTrue(m.body().get("moves").asInt() > 110);
            Reply m15 = get(client, "/api/generate?kind=maze&size=15&seed=3");
            assertEquals(225, m15.body().get("puzzle").asText().length());
            assertTrue(m15.body().get("moves").asInt() > 30);

            String[][] bad = {{"kind=sudoku&givens=21", "givens"}, {"givens=81", "givens"}, {"givens=abc", "givens"}, {"givens=99999999999", "givens"},
                {"kind=chess", "kind"}, {"kind=maze&givens=30", "givens"}, {"seed=x", "seed"}, {"kind=maze&size=6", "size"},
                {"kind=maze&size=61", "size"}, {"kind=maze&size=x", "size"}, {"kind=sudoku&size=15", "size"}};
            for (String[] c : bad) {
                Reply r = get(client, "/api/generate?" + c[0]);
                assertEquals(400, r.status(), c[0]);
                assertEquals(c[1], r.body().get("field").asText(), c[0]);
            }
        });
    }

    @Test
    void listsModelsReportsHealthAndServesThePage() {
        JavalinTest.test(app(LIMITS, FakeEngine.instant(), new FakeEngine("second", () -> {})), (server, client) -> {
            Reply models = get(client, "/api/models");
            assertEquals(200, models.status());
            assertEquals(2, models.body().get("models").size());
            assertEquals("fake", models.body().get("models").get(0).get("name").asText());
            assertEquals("sudoku", models.body().get("models").get(0).get("kind").asText());
            JsonNode first = models.body().get("models").get(0);
            assertEquals("trm train, run x (EMA weights)", first.get("provenance").get("source").asText());
            assertEquals("sudoku-extreme", first.get("provenance").get("dataset").asText());
            assertEquals("fake.safetensors", first.get("file").asText());
            assertFalse(models.body().toString().contains("/"), "a path in " + models.body());

            Reply health = get(client, "/health");
            assertEquals("ok", health.body().get("status").asText());
            assertEquals(2, health.body().get("models").size());

            try (Response page = client.get("/")) {
                assertEquals(200, page.code());
                assertTrue(page.header("Content-Type").startsWith("text/html"));
                assertNotNull(page.header("Content-Security-Policy"));
                assertTrue(page.body().string().contains("watch TRM think"));
            }
            for (String asset : new String[] {"/app.js", "/style.css"}) {
                try (Response r = client.get(asset)) {
                    assertEquals(200, r.code(), asset);
                }
            }
            try (Response r = client.get("/%2e%2e/%2e%2e/etc/passwd")) {
                assertTrue(r.code() >= 400, "got " + r.code());
                assertFalse(r.body().string().contains("root:"));
            }
            for (String path : new String[] {"/api/nothing", "/nothing.html"}) {
                Reply missing = get(client, path); // JSON like every other error, page or API
                assertEquals(404, missing.status());
                assertEquals("no such page: GET " + path, missing.body().get("error").asText());
                assertTrue(missing.raw().header("Content-Type").startsWith("application/json"));
            }
        });
    }

    private static void awaitHealth(HttpClient client, int running, int waiting) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode h = null;
        while (System.nanoTime() < deadline) {
            h = get(client, "/health").body();
            if (h.get("running").asInt() == running && h.get("waiting").asInt() == waiting) return;
            Thread.sleep(20);
        }
        throw new AssertionError("health never showed running=" + running + ", waiting=" + waiting + ": " + h);
    }

    interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T unchecked(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
