package io.github.trm4j.bench;

import io.github.trm4j.data.SudokuGenerator;
import io.github.trm4j.data.SudokuPuzzle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Load test of {@code trm serve} (not a test): starts {@code ./trm serve} as a child process on a
 * loopback port, then {@code --clients} threads POST generated Sudokus to {@code /api/solve} for
 * {@code --seconds}. Reports responses/s, solves/s, p50/p99 latency, every status code (only 200 and
 * 503 are acceptable) and the server's RSS before and after (and its peak). Clients honour
 * Retry-After on a 503, as a polite HTTP client does; {@code --no-backoff} retries at once.
 * Run from the repo root (it builds the jar through ./trm when stale):
 *
 * <pre>
 * nice -n 10 mvn -B -q -o test-compile
 * nice -n 10 java -cp "target/classes:target/test-classes:target/lib/*" io.github.trm4j.bench.ServeBench --clients 200 --seconds 60
 * </pre>
 *
 * Extra arguments after {@code --} go to {@code trm serve} (e.g. {@code -- --workers 1 --queue 32}).
 */
public final class ServeBench {
    private record Sample(int status, long nanos) {}

    public static void main(String[] args) throws Exception {
        int clients = 200, seconds = 60, port = 18090;
        boolean backoff = true;
        List<String> serveArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--no-backoff" -> backoff = false;
                case "--" -> serveArgs.addAll(Arrays.asList(args).subList(i + 1, args.length));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            if (args[i].equals("--")) break;
        }
        List<String> command = new ArrayList<>(List.of("./trm", "serve", "--port", Integer.toString(port)));
        command.addAll(serveArgs);
        Path log = Files.createTempFile("trm-serve-bench", ".log");
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ok;
        try {
            ok = run(server, log, URI.create("http://127.0.0.1:" + port), clients, seconds, backoff, String.join(" ", command));
        } finally {
            server.destroy(); // SIGTERM: the server's shutdown hook stops Jetty
            server.waitFor(30, TimeUnit.SECONDS);
        }
        System.exit(ok ? 0 : 1); // the HTTP client's threads would keep the JVM alive
    }

    private static boolean run(Process server, Path log, URI base, int clients, int seconds, boolean backoff, String command) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4)).build();
        awaitHealthy(http, base, server, log);
        List<String> bodies = puzzles(64);
        for (int i = 0; i < 10; i++) post(http, base, bodies.get(i)); // warm-up: JIT and libtorch
        long rssBefore = rssKb(server.pid(), "VmRSS");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<List<Sample>> perClient = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            List<Sample> samples = new ArrayList<>();
            perClient.add(samples);
            int first = c;
            pool.submit(() -> {
                for (int k = first; System.nanoTime() < deadline; k++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = post(http, base, bodies.get(k % bodies.size()));
                    samples.add(new Sample(r == null ? -1 : r.statusCode(), System.nanoTime() - s));
                    if (backoff && r != null && r.statusCode() == 503) sleepSeconds(r.headers().firstValue("Retry-After").orElse("1"));
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        double wall = (System.nanoTime() - t0) / 1e9;
        long rssAfter = rssKb(server.pid(), "VmRSS"), rssPeak = rssKb(server.pid(), "VmHWM");
        boolean healthy = get(http, base.resolve("/health")) == 200;

        Map<Integer, Integer> codes = new TreeMap<>();
        List<Long> all = new ArrayList<>(), ok = new ArrayList<>();
        for (List<Sample> samples : perClient) {
            for (Sample s : samples) {
                codes.merge(s.status(), 1, Integer::sum);
                all.add(s.nanos());
                if (s.status() == 200) ok.add(s.nanos());
            }
        }
        System.out.printf("server: %s (%d cores)%n", command, Runtime.getRuntime().availableProcessors());
        System.out.printf("load: %d clients for %d s on loopback (%.1f s until the last reply), %s%n", clients, seconds, wall,
                backoff ? "honouring Retry-After" : "no backoff");
        System.out.printf("responses: %d (%.1f/s); solved (200): %d (%.1f/s)%n", all.size(), all.size() / wall, ok.size(), ok.size() / wall);
        System.out.printf("latency all: p50 %.0f ms, p99 %.0f ms; latency of 200s: p50 %.0f ms, p99 %.0f ms%n",
                pct(all, 50), pct(all, 99), pct(ok, 50), pct(ok, 99));
        System.out.printf("status codes: %s (-1 = connection error)%n", codes);
        boolean onlyAllowed = codes.keySet().stream().allMatch(c -> c == 200 || c == 503);
        System.out.printf("only 200 and 503: %s; healthy after: %s%n", onlyAllowed ? "yes" : "NO", healthy ? "yes" : "NO");
        System.out.printf("server RSS: before %d MB, after %d MB, peak %d MB%n", rssBefore / 1024, rssAfter / 1024, rssPeak / 1024);
        return onlyAllowed && healthy;
    }

    /** Solve bodies for {@code n} seeded generated Sudokus with 30 givens. */
    private static List<String> puzzles(int n) {
        SudokuGenerator gen = new SudokuGenerator(2026);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String q = SudokuPuzzle.toLine(gen.next(SudokuGenerator.Target.givens(30, 30)).puzzle().question(), '.');
            out.add("{\"kind\":\"sudoku\",\"puzzle\":\"" + q + "\"}");
        }
        return out;
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String body) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/solve")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int get(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitHealthy(HttpClient http, URI base, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // the first ./trm builds the jar
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("trm serve exited: " + Files.readString(log));
            if (get(http, base.resolve("/health")) == 200) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("trm serve not healthy after 5 minutes: " + Files.readString(log));
    }

    private static void sleepSeconds(String s) {
        try {
            Thread.sleep(1000L * Math.max(1, Math.min(60, Integer.parseInt(s.trim()))));
        } catch (NumberFormatException e) {
            sleepQuietly(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A field of /proc/PID/status in kB (VmRSS now, VmHWM the peak). */
    private static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) return Double.NaN;
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[(int) Math.min(a.length - 1, Math.ceil(p / 100.0 * a.length) - 1)] / 1e6;
    }
}
