package io.github.trm4j.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinLogger;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web app: routes to {@link Api} method references, the static page from the jar
 * ({@code io/github/trm4j/serve/web}), one log line per request (refusals counted instead), JSON
 * errors without stack traces, a bounded HTTP thread pool and the {@link ClientGate} connector.
 */
final class WebApp {
    private static final Logger LOG = LoggerFactory.getLogger("trm.serve");
    static final String WEB_ROOT = "/io/github/trm4j/serve/web";
    /**
     * Jetty's threads (acceptor, selector, request handling). No request holds one for long: bodies
     * are read without blocking, solves run on the work queue's own threads. Idle ones end after 10 s.
     */
    static final int HTTP_THREADS = 16;
    private static final int REFUSAL_LOG_SECONDS = 10;

    private WebApp() {}

    /**
     * An unstarted Javalin app serving {@code models} within {@code limits} on {@code host}:{@code port}
     * (start it with {@code start()}); stopping it closes its work queue and timer.
     */
    static Javalin create(Models models, Limits limits, String host, int port) {
        ObjectMapper json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        WorkQueue work = new WorkQueue(limits);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trm-serve-timer");
            t.setDaemon(true);
            return t;
        });
        Refusals refusals = new Refusals();
        timer.scheduleAtFixedRate(() -> refusals.logAndReset(LOG, REFUSAL_LOG_SECONDS), REFUSAL_LOG_SECONDS, REFUSAL_LOG_SECONDS, TimeUnit.SECONDS);
        Api api = new Api(models, work, limits, json, timer);
        JavalinLogger.startupInfo = false; // Javalin's start-up chatter, including its "version is N days old" line
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS, 2, 10_000);
            threads.setName("trm-http");
            config.jetty.threadPool = threads;
            config.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(Limits.MIN_BODY_BYTES_PER_SECOND));
            config.jetty.addConnector((server, http) -> {
                ServerConnector c = new ServerConnector(server, new ClientGate(http, limits, refusals, timer));
                c.setHost(host);
                c.setPort(port);
                return c;
            });
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = limits.maxBodyBytes();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB_ROOT;
                files.location = Location.CLASSPATH;
            });
            config.requestLogger.http((ctx, ms) -> logRequest(ctx, ms, refusals));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrors()));
            config.events(events -> events.serverStopped(() -> {
                work.close();
                timer.shutdownNow();
            }));
        });
        app.before(WebApp::securityHeaders);
        app.get("/", WebApp::index); // not Jetty's welcome-file forward, which would log "/" twice
        app.post("/api/solve", api::solve);
        app.get("/api/generate", api::generate);
        app.get("/api/models", api::models);
        app.get("/health", api::health);
        app.exception(Exception.class, (e, ctx) -> Api.fail(ctx, e));
        app.error(404, ctx -> ctx.json(new ApiError.Body("no such page: " + ctx.method() + " " + Models.clip(ctx.path()), null)));
        return app;
    }

    private static void index(Context ctx) {
        InputStream page = WebApp.class.getResourceAsStream(WEB_ROOT + "/index.html");
        if (page == null) throw new IllegalStateException("index.html missing from the jar");
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(page);
    }

    /** One line per request: method, path and query, status, milliseconds, client; 503s and 408s are only counted. */
    private static void logRequest(Context ctx, Float ms, Refusals refusals) {
        if (ctx.statusCode() == 503) {
            refusals.busy.increment();
            return;
        }
        if (ctx.statusCode() == 408) {
            refusals.slow.increment();
            return;
        }
        String query = ctx.queryString();
        LOG.info("{} {}{} {} {} ms {}", ctx.method(), Models.clip(ctx.path()), query == null ? "" : "?" + Models.clip(query),
                ctx.statusCode(), String.format("%.1f", ms), ctx.ip());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    }

    /**
     * Jetty's own error answers (malformed HTTP, headers too large, errors outside Javalin) as JSON
     * naming only the status, like the API's: no stack trace, no echo of the request.
     */
    private static final class JsonErrors extends ErrorHandler {
        JsonErrors() {
            setShowStacks(false);
            setShowServlet(false);
            setShowMessageInTitle(false);
        }

        private static byte[] body(int status) {
            String reason = HttpStatus.getMessage(status);
            return ("{\"error\":\"" + (reason == null ? "error " + status : reason) + "\"}").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return BufferUtil.toBuffer(body(status));
        }

        @Override
        protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
                throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            response.getOutputStream().write(body(code));
        }
    }
}
