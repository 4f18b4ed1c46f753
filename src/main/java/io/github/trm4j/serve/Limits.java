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
 * @param readTimeout the time a client has to send a whole request, head and body; 408 beyond
 * @param connectionsPerClient open connections one client address may hold; 429 on the next
 */
public record Limits(int maxBodyBytes, int workers, int queue, Duration timeLimit, int maxSteps, Duration readTimeout, int connectionsPerClient) {
    /** 64 KB: the largest request body by default. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_QUEUE = 16;
    public static final int DEFAULT_TIME_LIMIT_SECONDS = 30;
    public static final int MAX_STEPS = 64;
    /** The most candidates (trajectories × augment) one request may ask for: 64 runs of the puzzle in one batch. */
    public static final int MAX_CANDIDATES = 64;
    public static final int DEFAULT_READ_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_CONNECTIONS_PER_CLIENT = 16;
    /**
     * A body that arrives slower than this, averaged from its first byte, is cut off with 408 (Jetty's
     * minimum request data rate): a client trickling a byte every few seconds is dropped at its second byte.
     */
    public static final int MIN_BODY_BYTES_PER_SECOND = 1024;
    /**
     * A refusal (503 busy, 429 over the per-address cap) is answered after this long, without holding a
     * thread: a client that retries at once in a loop then costs one request a second per connection
     * instead of thousands, and the CPU stays with the solves.
     */
    public static final long REFUSAL_DELAY_MS = 1000;
    /** At most this many delayed refusals of each kind wait at once; beyond, they are answered at once. */
    public static final int MAX_DELAYED_REFUSALS = 256;

    public Limits {
        if (maxBodyBytes < 1024) throw new InputException("max body " + maxBodyBytes + " bytes: must be at least 1024");
        if (workers < 1 || workers > 64) throw new InputException("--workers " + workers + ": must be 1..64");
        if (queue < 0 || queue > 10_000) throw new InputException("--queue " + queue + ": must be 0..10000");
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new InputException("--time-limit " + timeLimit.toMillis() + " ms: must be positive");
        if (maxSteps < 1) throw new InputException("max steps " + maxSteps + ": must be at least 1");
        if (readTimeout.isNegative() || readTimeout.isZero()) throw new InputException("read timeout " + readTimeout.toMillis() + " ms: must be positive");
        if (connectionsPerClient < 1 || connectionsPerClient > 10_000)
            throw new InputException("--connections-per-client " + connectionsPerClient + ": must be 1..10000");
    }

    /**
     * The defaults of {@code trm serve} with {@code workers} workers: 64 KB bodies, 16 waiting
     * requests (a few seconds of work on 2 cores, so a refused client learns at once rather than after
     * a long wait), 30 s per request, at most 64 supervision steps, 10 s to send a request, 16
     * connections per client address.
     */
    public static Limits defaults(int workers) {
        return new Limits(MAX_BODY_BYTES, workers, DEFAULT_QUEUE, Duration.ofSeconds(DEFAULT_TIME_LIMIT_SECONDS), MAX_STEPS,
                Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS), DEFAULT_CONNECTIONS_PER_CLIENT);
    }

    public Limits withWorkers(int n) {
        return new Limits(maxBodyBytes, n, queue, timeLimit, maxSteps, readTimeout, connectionsPerClient);
    }

    public Limits withQueue(int n) {
        return new Limits(maxBodyBytes, workers, n, timeLimit, maxSteps, readTimeout, connectionsPerClient);
    }

    public Limits withTimeLimit(Duration d) {
        return new Limits(maxBodyBytes, workers, queue, d, maxSteps, readTimeout, connectionsPerClient);
    }

    public Limits withReadTimeout(Duration d) {
        return new Limits(maxBodyBytes, workers, queue, timeLimit, maxSteps, d, connectionsPerClient);
    }

    public Limits withConnectionsPerClient(int n) {
        return new Limits(maxBodyBytes, workers, queue, timeLimit, maxSteps, readTimeout, n);
    }
}
