package io.github.trm4j.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/** Runs W ranks of a Gloo group on 127.0.0.1 as threads of this JVM (tests). */
public final class Ranks {
    private Ranks() {}

    /** A free TCP port on this machine. */
    public static int freePort() {
        return Launcher.freePort();
    }

    /** What each rank returned, or threw (wrapped in ExecutionException), in rank order. */
    public static <T> List<Future<T>> run(int world, BiFunction<Integer, Group, T> body) {
        int port = freePort();
        ExecutorService pool = Executors.newFixedThreadPool(world);
        List<Future<T>> out = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            int rank = r;
            out.add(pool.submit(() -> {
                try (Group g = Group.join(new DistEnv(rank, world, rank, world, "127.0.0.1", port), Group.Kind.GLOO,
                        Duration.ofMinutes(5))) {
                    T result = body.apply(rank, g);
                    g.finish();
                    return result;
                }
            }));
        }
        pool.shutdown();
        for (Future<T> f : out) {
            try {
                f.get();
            } catch (ExecutionException | InterruptedException e) {
                // the caller inspects each result
            }
        }
        return out;
    }

    /** Each rank's result, failing on the first rank that threw. */
    public static <T> List<T> results(List<Future<T>> futures) {
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw new AssertionError("a rank failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
