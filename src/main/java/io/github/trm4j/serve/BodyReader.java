package io.github.trm4j.serve;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body with non-blocking servlet reads, so that no thread waits for a slow client:
 * the bytes are collected as they arrive. The future fails with a 413 {@link ApiError} past
 * {@code limit} bytes and with a 408 when the body is not complete by the deadline or arrives slower
 * than Jetty's minimum request data rate ({@link Limits#MIN_BODY_BYTES_PER_SECOND}).
 * Call only once the request is asynchronous (inside {@code ctx.future}).
 */
final class BodyReader implements ReadListener {
    private final ServletInputStream in;
    private final int limit;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[4096];
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();

    private BodyReader(ServletInputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The body of a request; {@code deadlineNanos} is a System.nanoTime() value. */
    static CompletableFuture<byte[]> read(ServletInputStream in, int limit, long deadlineNanos, long timeoutMillis, ScheduledExecutorService timer) {
        BodyReader r = new BodyReader(in, limit);
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        ScheduledFuture<?> alarm = timer.schedule(() -> r.done.completeExceptionally(ApiError.slowBody("not received within " + timeoutMillis + " ms")), left, TimeUnit.NANOSECONDS);
        r.done.whenComplete((b, e) -> alarm.cancel(false));
        in.setReadListener(r);
        return r.done;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done.isDone() && in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) return; // onAllDataRead follows
            if (body.size() + n > limit) {
                done.completeExceptionally(ApiError.tooLarge(limit));
                return;
            }
            body.write(chunk, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        done.complete(body.toByteArray());
    }

    @Override
    public void onError(Throwable t) {
        Throwable c = t instanceof BadMessageException ? t : t.getCause();
        if (c instanceof BadMessageException b && b.getCode() == 408)
            done.completeExceptionally(ApiError.slowBody("arriving slower than " + Limits.MIN_BODY_BYTES_PER_SECOND + " bytes per second"));
        else done.completeExceptionally(ApiError.badField("body", "could not be read (the connection failed)"));
    }
}
