package io.github.trm4j.bench;

import io.github.trm4j.data.SudokuGenerator;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.serve.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load benchmark of {@code trm serve} (not a test). Starts {@code ./trm serve} as a child process on a
 * loopback port and runs three phases of {@code --seconds} each against the same server:
 * <ol>
 *   <li><b>one client</b> solving generated Sudokus back to back: the baseline solves/s;
 *   <li><b>flood</b>: {@code --clients} clients doing the same at once, over {@code --addresses}
 *       loopback source addresses (127.0.0.1, 127.0.0.2, ...; each is a client address for the
 *       server's per-address connection cap), honouring Retry-After unless {@code --no-backoff};
 *   <li><b>slow uploads</b>: {@code --slow} connections from 127.0.0.200-219 that each send a
 *       {@code Content-Length: 60000} request head and then one byte every 5 s (and start again on a
 *       new connection when the server cuts them off), while one client solves from 127.0.0.1.
 * </ol>
 * Throughout, a prober on 127.0.0.250 asks {@code /health} every 250 ms (1 s timeout). It reports
 * solves/s of each phase and its ratio to the one-client baseline, every status code, latencies,
 * /health latencies and failures, the server's thread count and RSS. Run from the repo root:
 *
 * <pre>
 * nice -n 10 mvn -B -q -o test-compile
 * nice -n 10 java -cp "target/classes:target/test-classes:target/lib/*" io.github.trm4j.bench.ServeBench --clients 200 --seconds 20 -- --dtype fp32
 * </pre>
 *
 * {@code --steps N} asks for N supervision steps per solve (default: the model's N_sup), for a quicker
 * solve on a loaded machine. Extra arguments after {@code --} go to {@code trm serve} (e.g.
 * {@code -- --workers 1 --queue 32}).
 * Status -1 counts a connection that failed or was closed without an answer.
 */
public final class ServeBench {
    private static final String PROBE = "127.0.0.250";
    /** Slow uploads come from 127.0.0.200-219: 300 of them are 15 per address, under the default cap of 16. */
    private static final int SLOW_ADDRESSES = 20;

    private record Sample(int status, long nanos) {}

    /** What one phase saw. */
    private record Phase(String name, int clients, double seconds, List<Sample> samples, List<Long> health, int healthFailures, int peakThreads) {
        long solved() {
            return samples.stream().filter(s -> s.status() == 200).count();
        }

        double solvesPerSecond() {
            return solved() / seconds;
        }
    }

    private final int port;
    private final Process server;
    private final List<String> bodies;

    private ServeBench(int port, Process server, int steps) {
        this.port = port;
        this.server = server;
        this.bodies = puzzles(64, steps);
    }

    public static void main(String[] args) throws Exception {
        int clients = 200, seconds = 20, port = 18090, addresses = 1, slow = 300, steps = 0;
        boolean backoff = true;
        List<String> serveArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--addresses" -> addresses = Integer.parseInt(args[++i]);
                case "--slow" -> slow = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--no-backoff" -> backoff = false;
                case "--" -> serveArgs.addAll(Arrays.asList(args).subList(i + 1, args.length));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            if (args[i].equals("--")) break;
        }
        if (addresses < 1 || addresses > 199) throw new IllegalArgumentException("--addresses must be 1..199");
        List<String> command = new ArrayList<>(List.of("./trm", "serve", "--port", Integer.toString(port)));
        command.addAll(serveArgs);
        Path log = Files.createTempFile("trm-serve-bench", ".log");
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy)); // also when the benchmark itself is stopped
        boolean ok;
        try {
            ServeBench b = new ServeBench(port, server, steps);
            b.awaitHealthy(log);
            System.out.printf("server: %s (%d cores); each phase %d s; solves of %s; /health probed every 250 ms from %s%n",
                    String.join(" ", command), Runtime.getRuntime().availableProcessors(), seconds,
                    steps > 0 ? steps + " supervision steps" : "the model's N_sup steps", PROBE);
            ok = b.run(clients, seconds, addresses, slow, backoff);
            System.out.println("server log: " + log);
        } finally {
            server.destroy(); // SIGTERM: the server's shutdown hook stops Jetty
            server.waitFor(30, TimeUnit.SECONDS);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run(int clients, int seconds, int addresses, int slow, boolean backoff) throws Exception {
        for (int i = 0; i < 3; i++) solveOnce("127.0.0.1", i); // warm-up: JIT and libtorch
        long rssBefore = status("VmRSS"), threadsBefore = status("Threads");
        Phase one = phase("one client", 1, seconds, 1, 0, true);
        Phase flood = phase("flood, " + (backoff ? "honouring Retry-After" : "no backoff") + ", " + addresses + " address" + (addresses > 1 ? "es" : ""),
                clients, seconds, addresses, 0, backoff);
        Phase slowPhase = slow > 0 ? phase(slow + " slow uploads + one client", 1, seconds, 1, slow, true) : null;
        boolean healthy = health() > 0;
        long rssAfter = status("VmRSS"), rssPeak = status("VmHWM"), threadsAfter = status("Threads");

        System.out.printf("%n| phase | clients | solves/s | vs one client | responses | status codes | 200s p50 / p99 | /health p50 / max | /health failures | server threads (peak) |%n");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        boolean onlyAllowed = true;
        for (Phase p : slowPhase == null ? List.of(one, flood) : List.of(one, flood, slowPhase)) {
            Map<Integer, Integer> codes = new TreeMap<>();
            List<Long> ok = new ArrayList<>();
            for (Sample s : p.samples()) {
                codes.merge(s.status(), 1, Integer::sum);
                if (s.status() == 200) ok.add(s.nanos());
            }
            onlyAllowed &= codes.keySet().stream().allMatch(c -> c == 200 || c == 503 || c == 429 || c == -1);
            System.out.printf("| %s | %d | %.2f | %.2f | %d | %s | %.0f / %.0f ms | %.0f / %.0f ms | %d of %d | %d |%n", p.name(), p.clients(),
                    p.solvesPerSecond(), p.solvesPerSecond() / one.solvesPerSecond(), p.samples().size(), codes, pct(ok, 50), pct(ok, 99),
                    pct(p.health(), 50), pct(p.health(), 100), p.healthFailures(), p.health().size() + p.healthFailures(), p.peakThreads());
        }
        System.out.printf("%nflood solves/s / one-client solves/s = %.2f%n", flood.solvesPerSecond() / one.solvesPerSecond());
        System.out.printf("server threads: %d before, %d after; RSS: %d MB before, %d MB after, peak %d MB%n",
                threadsBefore, threadsAfter, rssBefore / 1024, rssAfter / 1024, rssPeak / 1024);
        System.out.printf("only 200, 429, 503 or refused connections: %s; healthy after: %s%n", onlyAllowed ? "yes" : "NO", healthy ? "yes" : "NO");
        return onlyAllowed && healthy;
    }

    /**
     * {@code clients} solving clients over {@code addresses} source addresses and {@code slow} slow
     * uploaders, for {@code seconds}, with the /health prober.
     */
    private Phase phase(String name, int clients, int seconds, int addresses, int slow, boolean backoff) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients + slow + 1);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        List<Long> health = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger healthFailures = new AtomicInteger(), peakThreads = new AtomicInteger();
        AtomicInteger slowOpen = new AtomicInteger(), slowRefused = new AtomicInteger(), slowCut = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            String from = "127.0.0." + (1 + c % addresses);
            int first = c;
            pool.submit(() -> solveLoop(from, first, deadline, backoff, samples));
        }
        for (int s = 0; s < slow; s++) {
            String from = "127.0.0." + (200 + s % SLOW_ADDRESSES);
            pool.submit(() -> slowUpload(from, deadline, slowOpen, slowRefused, slowCut));
        }
        pool.submit(() -> {
            while (System.nanoTime() < deadline) {
                long s = System.nanoTime();
                if (health() > 0) health.add(System.nanoTime() - s);
                else healthFailures.incrementAndGet();
                peakThreads.accumulateAndGet((int) status("Threads"), Math::max);
                sleep(250);
            }
            return null;
        });
        pool.shutdown();
        if (!pool.awaitTermination(seconds + 180L, TimeUnit.SECONDS)) pool.shutdownNow();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (slow > 0)
            System.out.printf("%s: %d slow connections opened, %d failed to open, %d answered or closed by the server within the phase%n",
                    name, slowOpen.get(), slowRefused.get(), slowCut.get());
        return new Phase(name, clients, wall, new ArrayList<>(samples), new ArrayList<>(health), healthFailures.get(), peakThreads.get());
    }

    private Void solveLoop(String from, int first, long deadline, boolean backoff, List<Sample> samples) {
        RawClient c = null;
        for (int k = first; System.nanoTime() < deadline; k++) {
            long s = System.nanoTime();
            try {
                if (c == null) c = new RawClient(from, port, 120_000);
                RawClient.Response r = c.send("/api/solve", bodies.get(k % bodies.size()));
                samples.add(new Sample(r.status(), System.nanoTime() - s));
                if ("close".equalsIgnoreCase(r.headers().get("connection"))) c = closeQuietly(c);
                if (backoff && (r.status() == 503 || r.status() == 429)) sleepSeconds(r.headers().getOrDefault("retry-after", "1"));
            } catch (IOException e) {
                samples.add(new Sample(-1, System.nanoTime() - s));
                c = closeQuietly(c);
                if (backoff) sleep(1000);
            }
        }
        closeQuietly(c);
        return null;
    }

    /**
     * One slow uploader: the head of a 60,000-byte body, then a byte every 5 s until the server answers
     * or closes; then again on a new connection, until the phase ends.
     */
    private Void slowUpload(String from, long deadline, AtomicInteger open, AtomicInteger refused, AtomicInteger cut) {
        while (System.nanoTime() < deadline) {
            boolean opened = false;
            try (RawClient c = new RawClient(from, port, 5_000)) {
                c.write("POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{");
                opened = true;
                open.incrementAndGet();
                while (System.nanoTime() < deadline) {
                    // serverSpoke waits up to the read timeout (5 s) for an answer or a close: the trickle's pace.
                    if (c.serverSpoke()) {
                        cut.incrementAndGet();
                        break;
                    }
                    c.write(" ");
                }
            } catch (IOException e) {
                if (opened) cut.incrementAndGet();
                else refused.incrementAndGet();
                sleep(100);
            }
        }
        return null;
    }

    private void solveOnce(String from, int k) throws IOException {
        try (RawClient c = new RawClient(from, port, 120_000)) {
            c.send("/api/solve", bodies.get(k % bodies.size()));
        }
    }

    /** /health's status, or -1 when it fails or takes over 1 s. */
    private int health() {
        try (RawClient c = new RawClient(PROBE, port, 1_000)) {
            return c.send("/health", null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private void awaitHealthy(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // the first ./trm builds the jar
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("trm serve exited: " + Files.readString(log));
            if (health() == 200) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("trm serve not healthy after 5 minutes: " + Files.readString(log));
    }

    /** Solve bodies for {@code n} seeded generated Sudokus with 30 givens; {@code steps} 0 leaves the model's N_sup. */
    private static List<String> puzzles(int n, int steps) {
        SudokuGenerator gen = new SudokuGenerator(2026);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String q = SudokuPuzzle.toLine(gen.next(SudokuGenerator.Target.givens(30, 30)).puzzle().question(), '.');
            out.add("{\"kind\":\"sudoku\",\"puzzle\":\"" + q + "\"" + (steps > 0 ? ",\"steps\":" + steps : "") + "}");
        }
        return out;
    }

    private static RawClient closeQuietly(RawClient c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a socket the server already closed
            }
        }
        return null;
    }

    private static void sleepSeconds(String s) {
        try {
            sleep(1000L * Math.max(1, Math.min(60, Integer.parseInt(s.trim()))));
        } catch (NumberFormatException e) {
            sleep(1000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A field of the server's /proc/PID/status (VmRSS and VmHWM in kB, Threads a count); -1 once it has exited. */
    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) return Double.NaN;
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[(int) Math.max(0, Math.min(a.length - 1, Math.ceil(p / 100.0 * a.length) - 1))] / 1e6;
    }
}
