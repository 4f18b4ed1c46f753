package io.github.trm4j.serve;

import io.github.trm4j.InputException;
import java.time.Duration;

/**
 * What one server accepts, so that it stays up under any client.
 *
 * @param maxBodyBytes largest request body; 413 beyond
 * @param workers solves (and puzzle generations) running at once
 * @param queue requests waiting for a worker; 503 with Retry-After when full
 * @param timeLimit per request, queue wait included; 503 with Retry-After when exceeded
 * @param maxSteps largest {@code steps} a client may ask for
 */
public record Limits(int maxBodyBytes, int workers, int queue, Duration timeLimit, int maxSteps) {
    /** 64 KB bodies, 64 waiting requests, 30 s per request, at most 64 supervision steps. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public Limits {
        if (maxBodyBytes < 1024) throw new InputException("max body " + maxBodyBytes + " bytes: must be at least 1024");
        if (workers < 1 || workers > 64) throw new InputException("--workers " + workers + ": must be 1..64");
        if (queue < 0 || queue > 10_000) throw new InputException("--queue " + queue + ": must be 0..10000");
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new InputException("--time-limit " + timeLimit.toMillis() + " ms: must be positive");
        if (maxSteps < 1) throw new InputException("max steps " + maxSteps + ": must be at least 1");
    }

    /** The defaults of {@code trm serve} with {@code workers} workers. */
    public static Limits defaults(int workers) {
        return new Limits(MAX_BODY_BYTES, workers, 64, Duration.ofSeconds(30), 64);
    }

    public Limits withWorkers(int n) {
        return new Limits(maxBodyBytes, n, queue, timeLimit, maxSteps);
    }

    public Limits withQueue(int n) {
        return new Limits(maxBodyBytes, workers, n, timeLimit, maxSteps);
    }

    public Limits withTimeLimit(Duration d) {
        return new Limits(maxBodyBytes, workers, queue, d, maxSteps);
    }
}
