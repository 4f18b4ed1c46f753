package io.github.trm4j.dist;

import io.github.trm4j.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * {@code --nproc-per-node N}: starts N worker JVMs on this machine the way {@code torchrun
 * --standalone} does (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR 127.0.0.1 and a
 * free MASTER_PORT unless one is set; one GPU each through CUDA_VISIBLE_DEVICES), forwards their output line by line with a {@code [rank R]}
 * prefix, and when one fails gives the others a moment to report, then ends them.
 */
public final class Launcher {
    private Launcher() {}

    /**
     * Runs {@code args} (a trm command line) in {@code n} workers and returns the exit code: 0 when all
     * succeed, else the code of the first rank that failed.
     *
     * @param grace how long the other ranks get to notice a failed rank and exit on their own (their
     *     collective timeout and a little more) before they are ended
     */
    public static int run(int n, List<String> args, Duration grace, PrintWriter out, PrintWriter err) {
        if (n < 1) throw new InputException("--nproc-per-node: must be at least 1, got " + n);
        String port = System.getenv(DistEnv.MASTER_PORT);
        if (port == null || port.isBlank()) port = Integer.toString(freePort());
        int cores = Integer.getInteger("trm.threads", Runtime.getRuntime().availableProcessors());
        List<Process> workers = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Signal.handle(new Signal("TERM"), s -> workers.forEach(Process::destroy));
        try {
            for (int r = 0; r < n; r++) {
                ProcessBuilder pb = new ProcessBuilder(command(args));
                Map<String, String> env = pb.environment();
                env.put(DistEnv.RANK, Integer.toString(r));
                env.put(DistEnv.LOCAL_RANK, Integer.toString(r));
                env.put(DistEnv.WORLD_SIZE, Integer.toString(n));
                env.put(DistEnv.LOCAL_WORLD_SIZE, Integer.toString(n));
                env.put(DistEnv.MASTER_ADDR, "127.0.0.1");
                env.put(DistEnv.MASTER_PORT, port);
                env.put("OMP_NUM_THREADS", Integer.toString(Math.max(1, cores / n)));
                env.put("CUDA_VISIBLE_DEVICES", gpu(System.getenv("CUDA_VISIBLE_DEVICES"), r));
                Process p = pb.start();
                workers.add(p);
                pumps.add(pump(p.getInputStream(), "[rank " + r + "] ", out));
                pumps.add(pump(p.getErrorStream(), "[rank " + r + "] ", err));
            }
            int code = await(workers, grace, err);
            for (Thread t : pumps) t.join(5000);
            return code;
        } catch (IOException e) {
            workers.forEach(Process::destroyForcibly);
            throw new UncheckedIOException("cannot start a worker JVM", e);
        } catch (InterruptedException e) {
            workers.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Waits for every worker; after the first failure, the others get {@code grace}, then are ended. */
    private static int await(List<Process> workers, Duration grace, PrintWriter err) throws InterruptedException {
        int failedRank = -1;
        int code = 0;
        long deadline = Long.MAX_VALUE;
        while (workers.stream().anyMatch(Process::isAlive)) {
            for (int r = 0; r < workers.size() && failedRank < 0; r++) {
                Process p = workers.get(r);
                if (!p.isAlive() && p.exitValue() != 0) {
                    failedRank = r;
                    code = p.exitValue();
                    deadline = System.nanoTime() + grace.toNanos();
                }
            }
            if (System.nanoTime() > deadline) {
                synchronized (err) {
                    err.println("trm: ending the ranks still running " + grace.toSeconds() + " s after rank " + failedRank + " failed");
                    err.flush();
                }
                for (Process p : workers) p.destroy();
                for (Process p : workers) if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
                break;
            }
            Thread.sleep(100);
        }
        if (failedRank < 0) {
            for (int r = 0; r < workers.size(); r++) {
                if (workers.get(r).exitValue() != 0) {
                    failedRank = r;
                    code = workers.get(r).exitValue();
                    break;
                }
            }
        }
        if (failedRank >= 0) {
            synchronized (err) {
                err.println("trm: rank " + failedRank + (code > 128 ? " was killed by signal " + (code - 128) : " exited with code " + code));
                err.flush();
            }
        }
        return code;
    }

    /** This JVM's java, flags and class path, running the trm main class with {@code args}. */
    private static List<String> command(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp")) c.add(a);
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("io.github.trm4j.cli.Main");
        c.addAll(args);
        return c;
    }

    private static Thread pump(InputStream in, String prefix, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the worker is gone; its exit code tells the rest
            }
        }, "trm-rank-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One GPU per rank (ignored on CPU): the rank-th of the visible ones, as given or all. */
    static String gpu(String visible, int rank) {
        if (visible == null || visible.isBlank()) return Integer.toString(rank);
        String[] ids = visible.split(",");
        return ids[rank % ids.length].trim();
    }

    /** A port nobody listens on now (the rendezvous of a standalone run). */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the rendezvous", e);
        }
    }
}
