package io.github.trm4j.serve;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU-heavy work of the server (model solves, puzzle generation): {@code workers} threads and a
 * queue of {@code queue} waiting jobs. A job that finds the queue full is refused at once (503); a
 * job not finished within the time limit, queue wait included, fails with a 503 too, and if it is
 * still waiting it never runs. A running solve cannot be interrupted inside libtorch: its worker
 * finishes it and drops the result.
 */
final class WorkQueue implements AutoCloseable {
    private final Limits limits;
    private final ThreadPoolExecutor pool;
    private volatile double meanMillis; // moving average of a job's run time; racy updates are fine for an estimate

    WorkQueue(Limits limits) {
        this.limits = limits;
        AtomicInteger n = new AtomicInteger();
        // A SynchronousQueue when queue = 0: only idle workers take jobs.
        BlockingQueue<Runnable> waiting = limits.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.queue());
        pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS, waiting, r -> {
            Thread t = new Thread(r, "trm-solve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code job} on a worker; the future completes with its result, its exception, or an
     * {@link ApiError} 503 when the time limit passes.
     *
     * @throws ApiError 503 when all workers are busy and the queue is full
     */
    <T> CompletableFuture<T> submit(Callable<T> job) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = pool.submit(() -> {
                if (result.isDone()) return; // timed out while waiting
                long start = System.nanoTime();
                try {
                    result.complete(job.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
                double ms = (System.nanoTime() - start) / 1e6;
                meanMillis = meanMillis == 0 ? ms : 0.9 * meanMillis + 0.1 * ms;
            });
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        long ms = limits.timeLimit().toMillis();
        return result.orTimeout(ms, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            if (!(e instanceof TimeoutException)) return CompletableFuture.failedFuture(e);
            task.cancel(false); // a running job finishes in the background; a waiting one never runs...
            pool.remove((Runnable) task); // ...and frees its queue slot now
            return CompletableFuture.failedFuture(ApiError.busy("time limit of " + ms + " ms exceeded (queue wait included); try again later", retryAfterSeconds()));
        });
    }

    /**
     * Whether a job would be taken now; false when every worker is busy and the queue is full, so that
     * a request can be refused before its body is even read. (A racy check: {@link #submit} still
     * refuses what slips by.)
     */
    boolean hasRoom() {
        return pool.getActiveCount() < limits.workers() || pool.getQueue().remainingCapacity() > 0;
    }

    ApiError busy() {
        return ApiError.busy("busy: " + limits.workers() + " solving and " + limits.queue() + " waiting; try again shortly", retryAfterSeconds());
    }

    /** Jobs running now. */
    int running() {
        return pool.getActiveCount();
    }

    /** Jobs waiting for a worker. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** A client's pause before trying again: the time to drain today's backlog at the mean job time, 1..60 s. */
    int retryAfterSeconds() {
        double backlogMs = (double) (running() + waiting()) / limits.workers() * meanMillis;
        return (int) Math.max(1, Math.min(60, Math.ceil(backlogMs / 1000)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
