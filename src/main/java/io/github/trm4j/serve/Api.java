package io.github.trm4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST handlers: parse and check the request, hand the heavy part to the {@link WorkQueue}, answer JSON. */
final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final Pattern FIELD = Pattern.compile("(kind|puzzle|steps|adaptive|model|trajectories|noise|augment|select): ");

    record ModelList(List<Models.Info> models) {}

    record Health(String status, List<String> models, int running, int waiting, long uptimeSeconds) {}

    private final Models models;
    private final WorkQueue work;
    private final Limits limits;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger delayedRefusals = new AtomicInteger();

    Api(Models models, WorkQueue work, Limits limits, ObjectMapper json, ScheduledExecutorService timer) {
        this.models = models;
        this.work = work;
        this.limits = limits;
        this.json = json;
        this.timer = timer;
    }

    /**
     * {@code POST /api/solve}. A full queue is refused before the body is read ({@link #refuseBusy}); the body is read
     * without holding a thread (a slow client costs a connection, not a thread), then parsed and queued.
     */
    void solve(Context ctx) {
        if (!work.hasRoom()) {
            refuseBusy(ctx);
            return;
        }
        int limit = limits.maxBodyBytes();
        if (ctx.req().getContentLengthLong() > limit) throw ApiError.tooLarge(limit);
        long deadline = startNanos(ctx) + limits.readTimeout().toNanos();
        respond(ctx, () -> {
            try {
                return BodyReader.read(ctx.req().getInputStream(), limit, deadline, limits.readTimeout().toMillis(), timer)
                        .thenCompose(body -> {
                            SolveRequest r = SolveRequest.parse(json, body, models, limits.maxSteps());
                            return work.submit(() -> SolveResponse.of(r.kind(), r.puzzle(), r.engine().solve(r.kind(), r.puzzle(), r.options())));
                        });
            } catch (IOException e) {
                return CompletableFuture.failedFuture(ApiError.badField("body", "could not be read"));
            }
        });
    }

    /** {@code GET /api/generate?kind=sudoku&givens=30&seed=N}, {@code ?kind=maze&size=15&seed=N}. */
    void generate(Context ctx) {
        if (!work.hasRoom()) {
            refuseBusy(ctx);
            return;
        }
        var job = Generate.job(ctx.queryParam("kind"), ctx.queryParam("givens"), ctx.queryParam("size"), ctx.queryParam("seed"), models.mazeSide());
        respond(ctx, () -> work.submit(job));
    }

    /** {@code GET /api/models}. */
    void models(Context ctx) {
        ctx.json(new ModelList(models.all().stream().map(Engine::info).toList()));
    }

    /** {@code GET /health}. */
    void health(Context ctx) {
        long up = (System.nanoTime() - startNanos) / 1_000_000_000L;
        ctx.json(new Health("ok", models.all().stream().map(Engine::name).toList(), work.running(), work.waiting(), up));
    }

    /**
     * A 503 for a full queue, answered after {@link Limits#REFUSAL_DELAY_MS} without holding a thread
     * (at once when {@link Limits#MAX_DELAYED_REFUSALS} already wait): a client that ignores
     * Retry-After and asks again at once is slowed to one request a second per connection.
     */
    private void refuseBusy(Context ctx) {
        if (delayedRefusals.incrementAndGet() > Limits.MAX_DELAYED_REFUSALS) {
            delayedRefusals.decrementAndGet();
            throw work.busy();
        }
        respond(ctx, () -> {
            CompletableFuture<Object> refusal = new CompletableFuture<>();
            timer.schedule(() -> refusal.completeExceptionally(work.busy()), Limits.REFUSAL_DELAY_MS, TimeUnit.MILLISECONDS);
            return refusal.whenComplete((v, e) -> delayedRefusals.decrementAndGet());
        });
    }

    /** When Jetty began the request (its head complete), so that the body's deadline counts from there. */
    private static long startNanos(Context ctx) {
        Request r = Request.getBaseRequest(ctx.req());
        return r == null ? System.nanoTime() : r.getBeginNanoTime();
    }

    private void respond(Context ctx, Supplier<CompletableFuture<?>> result) {
        ctx.future(() -> result.get().handle((value, error) -> {
            if (error == null) ctx.json(value);
            else fail(ctx, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return null;
        }));
    }

    /**
     * Writes the error response for {@code e}: its own status for an ApiError, 400 for bad input the
     * solver found, else 500 with no detail (the stack trace goes to the log, never to the client).
     */
    static void fail(Context ctx, Throwable e) {
        if (e instanceof ApiError a) {
            if (a.retryAfterSeconds > 0) ctx.header("Retry-After", Integer.toString(a.retryAfterSeconds));
            if (a.status == 408) ctx.header("Connection", "close"); // the rest of the body is not worth waiting for
            ctx.status(a.status).json(a.body());
        } else if (e instanceof InputException) {
            // The solver's messages start with the field they blame ("puzzle: ...", "steps: ...").
            Matcher m = FIELD.matcher(e.getMessage());
            String field = m.lookingAt() ? m.group(1) : "puzzle";
            ctx.status(400).json(new ApiError.Body(m.lookingAt() ? e.getMessage() : "puzzle: " + e.getMessage(), field));
        } else {
            LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new ApiError.Body("internal error (see the server log)", null));
        }
    }
}
