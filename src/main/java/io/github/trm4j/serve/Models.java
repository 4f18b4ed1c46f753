package io.github.trm4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.data.Maze;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.solve.ModelLoader;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Solution;
import io.github.trm4j.solve.SolveOptions;
import io.github.trm4j.solve.ShippedModel;
import io.github.trm4j.solve.Solver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** The models one server offers, by name, in the order given; the first of a kind is that kind's default. */
final class Models {
    /**
     * What {@code GET /api/models} tells about one model. Files and folders are named, never their
     * paths: the file is its name, and every path in the provenance is cut to its last name.
     *
     * @param config the architecture (ModelConfig JSON)
     * @param provenance the checkpoint's metadata other than the config (how it was trained)
     */
    record Info(String name, String kind, int cells, String file, JsonNode config, Map<String, String> provenance) {
        Info {
            file = namesOnly(file);
            Map<String, String> names = new LinkedHashMap<>();
            provenance.forEach((k, v) -> names.put(k, namesOnly(v)));
            provenance = names;
        }
    }

    /** The part of a path (or URL) up to its last separator, '/' or '\\', which {@link #namesOnly} drops. */
    private static final Pattern PATH = Pattern.compile("[^\\s\"'(),;=]*[/\\\\]");

    /** {@code text} with every path in it cut to its last name: "run /work/x/run-main (EMA)" → "run run-main (EMA)". */
    static String namesOnly(String text) {
        return text == null ? null : PATH.matcher(text.replaceAll("[/\\\\]+(?=[\\s\"'(),;=]|$)", "")).replaceAll("");
    }

    private final Map<String, Engine> byName = new LinkedHashMap<>();

    Models(List<Engine> engines) {
        if (engines.isEmpty()) throw new InputException("no model to serve");
        for (Engine e : engines) {
            if (byName.putIfAbsent(e.name(), e) != null) throw new InputException("two models named '" + e.name() + "'");
        }
    }

    /**
     * Loads each checkpoint as a Solver named after its file ({@code model.safetensors} → {@code model};
     * a repeated name gets {@code -2}, {@code -3}, ...); no checkpoint means every shipped model
     * (Sudoku, then maze). {@code dtype} null means auto.
     */
    static Models load(List<Path> checkpoints, io.github.trm4j.model.DtypeChoice dtype) {
        List<Engine> engines = new ArrayList<>();
        if (checkpoints.isEmpty()) {
            for (ShippedModel m : ShippedModel.ALL) engines.add(new SolverEngine(m.solver(dtype)));
            return new Models(engines);
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Path file : checkpoints) {
            String base = file.getFileName().toString().replaceFirst("\\.safetensors$", "");
            int n = seen.merge(base, 1, Integer::sum);
            String name = n == 1 ? base : base + "-" + n;
            engines.add(new SolverEngine(Solver.of(ModelLoader.load(file, null, OptionalInt.empty(), dtype, ComputeDevice.CPU), name)));
        }
        return new Models(engines);
    }

    List<Engine> all() {
        return List.copyOf(byName.values());
    }

    /** The side of the mazes the default maze model solves; Maze-Hard's 30 when no maze model is loaded. */
    int mazeSide() {
        for (Engine e : byName.values()) if (e.kind() == PuzzleKind.MAZE) return Maze.squareSide(e.cells());
        return Generate.MAZE_HARD_SIDE;
    }

    /**
     * The model a request names, else the first one of its kind.
     *
     * @throws ApiError 400 naming {@code model} or {@code kind}
     */
    Engine pick(PuzzleKind kind, String name) {
        if (name != null) {
            Engine e = byName.get(name);
            if (e == null) throw ApiError.badField("model", "no model named '" + clip(name) + "' (loaded: " + String.join(", ", byName.keySet()) + ")");
            if (e.kind() != kind) throw ApiError.badField("kind", "model '" + name + "' solves " + e.kind().label() + ", not " + kind.label());
            return e;
        }
        for (Engine e : byName.values()) if (e.kind() == kind) return e;
        throw ApiError.badField("kind", "no loaded model solves " + kind.label() + " (loaded: " + describeKinds() + ")");
    }

    private String describeKinds() {
        List<String> parts = new ArrayList<>();
        for (Engine e : byName.values()) parts.add(e.name() + " (" + e.kind().label() + ")");
        return String.join(", ", parts);
    }

    /** At most 60 characters of a client's string, for error messages. */
    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** A loaded checkpoint behind the shared Solver. */
    private record SolverEngine(Solver solver) implements Engine {
        @Override
        public String name() {
            return solver.name();
        }

        @Override
        public PuzzleKind kind() {
            return solver.kind();
        }

        @Override
        public int cells() {
            return solver.loaded().config().seqLen();
        }

        @Override
        public Info info() {
            ModelLoader.Loaded loaded = solver.loaded();
            Map<String, String> provenance = new LinkedHashMap<>(loaded.provenance());
            provenance.remove(Checkpoint.CONFIG); // shown parsed, as config
            return new Info(name(), kind().label(), cells(), loaded.file().getFileName().toString(), loaded.config().toJsonNode(), provenance);
        }

        @Override
        public Solution solve(PuzzleKind kind, String puzzle, SolveOptions options) {
            return solver.solve(kind, puzzle, options);
        }
    }
}
