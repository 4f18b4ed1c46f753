package io.github.trm4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private final long startNanos = System.nanoTime();

    Api(Models models, WorkQueue work, Limits limits, ObjectMapper json) {
        this.models = models;
        this.work = work;
        this.limits = limits;
        this.json = json;
    }

    /** {@code POST /api/solve}. */
    void solve(Context ctx) {
        SolveRequest r = SolveRequest.parse(json, body(ctx), models, limits.maxSteps());
        respond(ctx, work.submit(() -> SolveResponse.of(r.kind(), r.puzzle(), r.engine().solve(r.kind(), r.puzzle(), r.options()))));
    }

    /** {@code GET /api/generate?kind=sudoku&givens=30&seed=N}. */
    void generate(Context ctx) {
        respond(ctx, work.submit(Generate.job(ctx.queryParam("kind"), ctx.queryParam("givens"), ctx.queryParam("seed"))));
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

    /** The body, at most {@code maxBodyBytes}: a larger declared or actual length is a 413, read no further. */
    private byte[] body(Context ctx) {
        int limit = limits.maxBodyBytes();
        if (ctx.req().getContentLengthLong() > limit) throw ApiError.tooLarge(limit);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) throw ApiError.tooLarge(limit);
            return b;
        } catch (IOException e) {
            throw ApiError.badField("body", "could not be read: " + e.getMessage());
        }
    }

    private static void respond(Context ctx, CompletableFuture<?> result) {
        ctx.future(() -> result.handle((value, error) -> {
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
