package io.github.trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server against hostile clients (timeouts are generous, 30 s, except the 1 s that /health must
 * meet), on 127.0.0.1 with raw sockets from several loopback source
 * addresses (each a client for the per-address cap): slow uploads, a trickled request head, too many
 * connections from one address, malformed HTTP. Bounded loops, a few seconds each.
 */
class ServerLimitsTest {
    private static final String HEAD = "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n";

    private static Javalin app(Limits limits) {
        return WebApp.create(new Models(List.of(FakeEngine.instant())), limits, "127.0.0.1", 0);
    }

    private static String solveBody() {
        return "{\"kind\":\"sudoku\",\"puzzle\":\"" + FakeEngine.PUZZLE + "\"}";
    }

    /**
     * 30 slow clients: 10 send a 60,000-byte request's head and then a byte every 250 ms, 10 send the
     * head and nothing more, 10 trickle the head itself. Meanwhile /health answers within 1 s every
     * time, a solve from another address succeeds, and the HTTP threads stay within their bound. The
     * tricklers get 408 at their second byte (minimum data rate), the silent and slow-head ones are
     * closed once the read timeout (1 s here) plus 2 s has passed.
     */
    @Test
    void slowClientsNeitherBlockHealthNorHoldThreads() {
        JavalinTest.test(app(Limits.defaults(2).withReadTimeout(Duration.ofSeconds(1))), (server, http) -> {
            int port = server.port();
            List<RawClient> trickle = new ArrayList<>(), silent = new ArrayList<>(), slowHead = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    RawClient t = new RawClient("127.0.0.2", port, 10_000);
                    t.write(HEAD + "{");
                    trickle.add(t);
                    RawClient s = new RawClient("127.0.0.3", port, 10_000);
                    s.write(HEAD);
                    silent.add(s);
                    RawClient h = new RawClient("127.0.0.4", port, 10_000);
                    h.write("POST /api/solve HTTP/1.1\r\nHo");
                    slowHead.add(h);
                }
                long t0 = System.nanoTime();
                for (int round = 0; round < 16; round++) { // 4 s: the silent and slow-head ones are cut at about 3 s
                    for (RawClient t : trickle) if (!t.hasInput()) writeQuietly(t, " "); // stop once answered
                    for (RawClient h : slowHead) writeQuietly(h, "s");
                    long s = System.nanoTime();
                    try (RawClient probe = new RawClient("127.0.0.1", port, 1_000)) {
                        assertEquals(200, probe.send("/health", null).status());
                    }
                    long ms = (System.nanoTime() - s) / 1_000_000;
                    assertTrue(ms < 1000, "/health took " + ms + " ms");
                    assertTrue(httpThreads() <= WebApp.HTTP_THREADS, httpThreads() + " HTTP threads");
                    if (round == 2) {
                        try (RawClient solver = new RawClient("127.0.0.5", port, 30_000)) {
                            assertEquals(200, solver.send("/api/solve", solveBody()).status());
                        }
                    }
                    Thread.sleep(Math.max(0, 250 - ms));
                }
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
                for (RawClient t : trickle) {
                    RawClient.Response r = t.read();
                    assertEquals(408, r.status());
                    assertTrue(r.body().contains("body: arriving slower than 1024 bytes per second"), r.body());
                    assertEquals("close", r.headers().get("connection"));
                }
                for (RawClient c : silent) assertTrue(c.serverSpoke(), "a silent upload still open after 4 s");
                for (RawClient c : slowHead) assertTrue(c.serverSpoke(), "a trickled request head still open after 4 s");
            } finally {
                for (List<RawClient> list : List.of(trickle, silent, slowHead)) for (RawClient c : list) c.close();
            }
        });
    }

    /** A body that keeps up the minimum rate but is not complete within the read timeout: 408 at the deadline. */
    @Test
    void aBodyNotCompleteWithinTheReadTimeoutIs408() {
        JavalinTest.test(app(Limits.defaults(2).withReadTimeout(Duration.ofMillis(1500))), (server, http) -> {
            try (RawClient c = new RawClient("127.0.0.2", server.port(), 30_000)) {
                c.write("POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n\r\n");
                long t0 = System.nanoTime();
                for (int i = 0; i < 20 && (System.nanoTime() - t0) < TimeUnit.SECONDS.toNanos(3); i++) {
                    writeQuietly(c, " ".repeat(1500)); // 15 KB/s: fast enough, but 60,000 bytes would take 4 s
                    Thread.sleep(100);
                }
                RawClient.Response r = c.read();
                assertEquals(408, r.status());
                assertEquals("body: not received within 1500 ms", error(r.body()));
            }
        });
    }

    /** Three connections allowed per address: the fourth gets the fixed 429 after 1 s and is closed; other addresses are served. */
    @Test
    void connectionsPerAddressAreCapped() {
        JavalinTest.test(app(Limits.defaults(2).withConnectionsPerClient(3)), (server, http) -> {
            int port = server.port();
            List<RawClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient c = new RawClient("127.0.0.7", port, 30_000);
                    assertEquals(200, c.send("/health", null).status()); // keep-alive: still open afterwards
                    held.add(c);
                }
                try (RawClient fourth = new RawClient("127.0.0.7", port, 30_000)) {
                    long t0 = System.nanoTime();
                    RawClient.Response r = fourth.send("/health", null);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertTrue(ms >= Limits.REFUSAL_DELAY_MS - 100, "answered after " + ms + " ms: a client retrying in a loop is slowed down");
                    assertEquals(429, r.status());
                    assertEquals("1", r.headers().get("retry-after"));
                    assertEquals("too many connections from your address (at most 3 at once); try again shortly", error(r.body()));
                    assertTrue(fourth.serverSpoke(), "closed after the 429");
                }
                try (RawClient other = new RawClient("127.0.0.8", port, 30_000)) {
                    assertEquals(200, other.send("/health", null).status());
                }
                held.remove(0).close();
                int status = 0;
                for (int i = 0; i < 50 && status != 200; i++) { // the server counts the close a moment later
                    Thread.sleep(20);
                    try (RawClient again = new RawClient("127.0.0.7", port, 30_000)) {
                        status = again.send("/health", null).status();
                    }
                }
                assertEquals(200, status, "a freed slot is usable again");
            } finally {
                for (RawClient c : held) c.close();
            }
        });
    }

    /** Malformed HTTP gets Jetty's 400 as JSON naming only the status, never an HTML page or the request. */
    @Test
    void malformedHttpIsAJson400() {
        JavalinTest.test(app(Limits.defaults(2)), (server, http) -> {
            try (RawClient c = new RawClient("127.0.0.2", server.port(), 30_000)) {
                c.write("GET /<script> HTTP/1.1\r\nHost x\r\n\r\n"); // a header without its colon
                RawClient.Response r = c.read();
                assertEquals(400, r.status());
                assertEquals("application/json", r.headers().get("content-type"));
                assertEquals("Bad Request", error(r.body()));
                assertFalse(r.body().contains("script"));
            }
        });
    }

    /** Starting the server prints no Javalin chatter (banner, "your Javalin version is N days old"). */
    @Test
    void startingPrintsNoJavalinVersionLine() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            app(Limits.defaults(1)).start().stop(); // not JavalinTest, which captures the output itself
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Started Server"), "the capture missed Jetty's own lines: " + log);
        assertFalse(log.contains("days old"), log);
        assertFalse(log.contains("javalin.io/documentation"), log);
    }

    private static void writeQuietly(RawClient c, String s) {
        try {
            c.write(s);
        } catch (IOException e) {
            // the server cut this client off: what the test expects sooner or later
        }
    }

    private static int httpThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("trm-http")).count();
    }

    /** The "error" field of a JSON error body. */
    private static String error(String body) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("error").asText();
    }
}
