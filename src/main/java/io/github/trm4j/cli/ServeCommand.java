package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.serve.Limits;
import io.github.trm4j.serve.Serve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm serve}: the web page and REST API, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Serve a web page that shows TRM solving a puzzle step by step, and a REST API "
                + "(POST /api/solve, GET /api/models, GET /api/generate, GET /health). One log line per request."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A trm4j .safetensors model; repeat to serve several (default: the shipped Sudoku and maze models).")
    List<Path> checkpoints;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 = any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind; 0.0.0.0 exposes the server to the network.")
    String host;

    @Option(names = "--workers", paramLabel = "N", description = "Solves running at once (default: the number of cores).")
    Integer workers;

    @Option(names = "--queue", paramLabel = "N", defaultValue = Limits.DEFAULT_QUEUE + "", description = "Requests waiting for a worker; beyond it, 503 with Retry-After.")
    int queue;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = Limits.DEFAULT_TIME_LIMIT_SECONDS + "", description = "Per request, queue wait included; beyond it, 503.")
    double timeLimit;

    @Option(names = "--connections-per-client", paramLabel = "N", defaultValue = Limits.DEFAULT_CONNECTIONS_PER_CLIENT + "",
            description = "Open connections one client address may hold; beyond it, 429.")
    int connectionsPerClient;

    @Mixin DtypeOption dtype;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) throw new InputException("--port " + port + ": must be 0..65535");
        if (!(timeLimit > 0)) throw new InputException("--time-limit " + timeLimit + ": must be a positive number of seconds");
        int cores = Runtime.getRuntime().availableProcessors();
        Limits limits = Limits.defaults(workers == null ? cores : workers).withQueue(queue)
                .withTimeLimit(Duration.ofMillis(Math.round(timeLimit * 1000))).withConnectionsPerClient(connectionsPerClient);
        List<Path> models = checkpoints == null ? List.of() : checkpoints; // none: the shipped models
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new InputException("--host " + host + ": not an address of this machine or a name that resolves");
        }
        // a port in use is found here in a millisecond, before the models load (and before the server logs its start)
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
            }
        }
        Backend.init(Integer.getInteger("trm.threads", 0));
        DtypeChoice choice = dtype.resolve(ComputeDevice.CPU, spec.commandLine().getErr());
        Serve.Running server;
        try {
            server = Serve.start(new Serve.Settings(models, host, port, limits, choice));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException b) throw new UncheckedIOException("cannot listen on " + host + ":" + port, b);
            }
            throw e;
        }
        spec.commandLine().getOut().println(choice.line());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "trm-serve-stop"));
        spec.commandLine().getOut().printf("trm serve: %s at %s (%d workers, queue %d, %.0f s per request); Ctrl-C to stop%n",
                String.join(", ", server.models()), server.url(), limits.workers(), limits.queue(), timeLimit);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
