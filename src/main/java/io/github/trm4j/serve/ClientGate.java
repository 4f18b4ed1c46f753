package io.github.trm4j.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The server's HTTP/1.1 connection factory, with two guards in front of Jetty's own:
 * <ul>
 *   <li>at most {@code connectionsPerClient} open connections per client address: the next one is
 *       answered with a fixed 429 (written straight to the socket, no request parsed, no thread held)
 *       and closed. The answer comes after {@link Limits#REFUSAL_DELAY_MS}, so that a client retrying
 *       at once in a loop costs the machine one connection a second instead of thousands; at most
 *       {@link Limits#MAX_DELAYED_REFUSALS} wait at a time, beyond that they are answered at once;
 *   <li>a connection that has been in the middle of a request (head or body) for longer than the read
 *       timeout plus 2 s is closed. The body reader answers 408 at the read timeout itself; this
 *       catches what it cannot see: a request head trickled a byte at a time.
 * </ul>
 */
final class ClientGate extends HttpConnectionFactory {
    /** Slack after the read timeout, so that the body reader's 408 normally comes first. */
    private static final long STALL_SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int perClient;
    private final long stallNanos;
    private final Refusals refusals;
    private final ByteBuffer tooMany;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final AtomicInteger delayed = new AtomicInteger();
    /** Each tracked connection and the nanoTime it was first seen mid-request (0: between requests). */
    private final Map<HttpConnection, long[]> midRequestSince = new ConcurrentHashMap<>();

    ClientGate(HttpConfiguration config, Limits limits, Refusals refusals, ScheduledExecutorService timer) {
        super(config);
        this.perClient = limits.connectionsPerClient();
        this.stallNanos = limits.readTimeout().toNanos() + STALL_SLACK_NANOS;
        this.refusals = refusals;
        String body = "{\"error\":\"too many connections from your address (at most " + perClient + " at once); try again shortly\"}";
        tooMany = BufferUtil.toBuffer(("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        long tick = Math.max(50, Math.min(500, limits.readTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(this::closeStalled, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        InetAddress client = address(endPoint.getRemoteSocketAddress());
        if (client != null && open.merge(client, 1, Integer::sum) > perClient) {
            release(client);
            refusals.overCap.increment();
            return new Refusal(endPoint, connector.getExecutor(), tooMany.duplicate(), connector.getScheduler(), delayed);
        }
        HttpConnection c = (HttpConnection) super.newConnection(connector, endPoint);
        midRequestSince.put(c, new long[1]);
        c.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {}

            @Override
            public void onClosed(Connection connection) {
                midRequestSince.remove(c);
                if (client != null) release(client);
            }
        });
        return c;
    }

    /** Open connections from {@code client} (for tests). */
    int openFrom(InetAddress client) {
        return open.getOrDefault(client, 0);
    }

    private void release(InetAddress client) {
        open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static InetAddress address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress() : null;
    }

    /** Runs on the timer: closes each connection that has been mid-request for too long. */
    private void closeStalled() {
        long now = System.nanoTime();
        midRequestSince.forEach((c, since) -> {
            HttpParser.State s = c.getParser().getState();
            boolean mid = s.ordinal() > HttpParser.State.START.ordinal() && s.ordinal() < HttpParser.State.END.ordinal();
            if (!mid) since[0] = 0;
            else if (since[0] == 0) since[0] = now;
            else if (now - since[0] > stallNanos) {
                refusals.stalled.increment();
                midRequestSince.remove(c);
                c.getEndPoint().close();
            }
        });
    }

    /**
     * A connection over the per-address cap: writes the fixed 429 (after the delay, while fewer than
     * {@link Limits#MAX_DELAYED_REFUSALS} wait), then discards what the client sends (closing with unread input would
     * reset the connection before the client reads the answer) until it closes, at most 2 s more.
     */
    private static final class Refusal extends AbstractConnection {
        private final ByteBuffer answer;
        private final Scheduler scheduler;
        private final AtomicInteger delayed;
        private volatile boolean counted;

        Refusal(EndPoint endPoint, Executor executor, ByteBuffer answer, Scheduler scheduler, AtomicInteger delayed) {
            super(endPoint, executor);
            this.answer = answer;
            this.scheduler = scheduler;
            this.delayed = delayed;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            counted = delayed.incrementAndGet() <= Limits.MAX_DELAYED_REFUSALS;
            if (!counted) delayed.decrementAndGet();
            long delay = counted ? Limits.REFUSAL_DELAY_MS : 0;
            scheduler.schedule(getEndPoint()::close, delay + 2000, TimeUnit.MILLISECONDS);
            if (delay == 0) answer();
            else scheduler.schedule(this::answer, delay, TimeUnit.MILLISECONDS);
        }

        private void answer() {
            EndPoint e = getEndPoint();
            e.write(Callback.from(() -> {
                e.shutdownOutput();
                fillInterested();
            }, failure -> e.close()), answer);
        }

        @Override
        public void onClose(Throwable cause) {
            if (counted) delayed.decrementAndGet();
            counted = false;
            super.onClose(cause);
        }

        @Override
        public void onFillable() {
            ByteBuffer sink = BufferUtil.allocate(1024);
            try {
                while (true) {
                    BufferUtil.clear(sink);
                    int n = getEndPoint().fill(sink);
                    if (n < 0) {
                        getEndPoint().close();
                        return;
                    }
                    if (n == 0) break;
                }
                fillInterested();
            } catch (IOException e) {
                getEndPoint().close();
            }
        }
    }
}
