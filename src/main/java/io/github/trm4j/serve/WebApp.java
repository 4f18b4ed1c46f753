package io.github.trm4j.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.InputStream;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web app: routes to {@link Api} method references, the static page from the jar
 * ({@code io/github/trm4j/serve/web}), one log line per request, JSON errors without stack traces.
 */
final class WebApp {
    private static final Logger LOG = LoggerFactory.getLogger("trm.serve");
    static final String WEB_ROOT = "/io/github/trm4j/serve/web";

    private WebApp() {}

    /** An unstarted Javalin app serving {@code models} within {@code limits}; stopping it closes its work queue. */
    static Javalin create(Models models, Limits limits) {
        ObjectMapper json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        WorkQueue work = new WorkQueue(limits);
        Api api = new Api(models, work, limits, json);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = limits.maxBodyBytes();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB_ROOT;
                files.location = Location.CLASSPATH;
            });
            config.requestLogger.http(WebApp::logRequest);
            config.jetty.modifyServer(server -> server.setErrorHandler(quietErrors()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(quietErrors()));
            config.events(events -> events.serverStopped(work::close));
        });
        app.before(WebApp::securityHeaders);
        app.get("/", WebApp::index); // not Jetty's welcome-file forward, which would log "/" twice
        app.post("/api/solve", api::solve);
        app.get("/api/generate", api::generate);
        app.get("/api/models", api::models);
        app.get("/health", api::health);
        app.exception(Exception.class, (e, ctx) -> Api.fail(ctx, e));
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/")) ctx.json(new ApiError.Body("no such endpoint: " + ctx.method() + " " + Models.clip(ctx.path()), null));
        });
        return app;
    }

    private static void index(Context ctx) {
        InputStream page = WebApp.class.getResourceAsStream(WEB_ROOT + "/index.html");
        if (page == null) throw new IllegalStateException("index.html missing from the jar");
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(page);
    }

    /** One line per request: method, path and query, status, milliseconds, client. */
    private static void logRequest(Context ctx, Float ms) {
        String query = ctx.queryString();
        LOG.info("{} {}{} {} {} ms {}", ctx.method(), Models.clip(ctx.path()), query == null ? "" : "?" + Models.clip(query),
                ctx.statusCode(), String.format("%.1f", ms), ctx.ip());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    }

    /** Jetty's own error pages (malformed HTTP, headers too large) without stack traces. */
    private static ErrorHandler quietErrors() {
        ErrorHandler h = new ErrorHandler();
        h.setShowStacks(false);
        h.setShowServlet(false);
        h.setShowMessageInTitle(false);
        return h;
    }
}
