package io.github.trm4j.serve;

import io.github.trm4j.model.ModelConfig;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.List;

/** {@code trm serve}: the web page and REST API over one or more models. */
public final class Serve {
    private Serve() {}

    /**
     * @param checkpoints model files to load (each named after its file); empty: the shipped Sudoku model
     * @param host the address to bind: 127.0.0.1 unless the user asks otherwise
     * @param port the port, 0 for any free one
     * @param dtype the forward dtype of every model; null keeps each checkpoint's
     */
    public record Settings(List<Path> checkpoints, String host, int port, Limits limits, io.github.trm4j.model.DtypeChoice dtype) {}

    /** A started server; close it to stop. */
    public static final class Running implements AutoCloseable {
        private final Javalin app;
        private final String host;
        private final List<String> models;

        private Running(Javalin app, String host, List<String> models) {
            this.app = app;
            this.host = host;
            this.models = models;
        }

        public int port() {
            return app.port();
        }

        public String url() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return "http://" + h + ":" + port() + "/";
        }

        /** The names clients use to pick a model. */
        public List<String> models() {
            return models;
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    /** Loads the models (Backend.init() first) and starts the server. */
    public static Running start(Settings s) {
        Models models = Models.load(s.checkpoints(), s.dtype());
        Javalin app = WebApp.create(models, s.limits(), s.host(), s.port()).start();
        return new Running(app, s.host(), models.all().stream().map(Engine::name).toList());
    }
}
