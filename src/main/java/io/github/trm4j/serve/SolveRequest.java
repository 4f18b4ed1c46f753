package io.github.trm4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.data.Maze;
import io.github.trm4j.InputException;
import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.SolveOptions;
import io.github.trm4j.solve.Thinking;
import java.io.IOException;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A checked {@code POST /api/solve} body:
 * {@code {"kind":"sudoku","puzzle":"<81 chars>","steps":16,"adaptive":false,"model":"<name>",
 * "trajectories":8,"noise":0.3,"augment":2,"select":"q"}}. Only {@code kind} and {@code puzzle} are
 * required; trajectories × augment is at most {@link Limits#MAX_CANDIDATES}. Every problem is a 400
 * naming its field.
 */
record SolveRequest(Engine engine, PuzzleKind kind, String puzzle, SolveOptions options) {
    private static final Set<String> FIELDS = Set.of("kind", "puzzle", "steps", "adaptive", "model", "trajectories", "noise", "augment", "select");
    private static final String SUDOKU_CHARS = ".0123456789";
    private static final String MAZE_CHARS = "# SG";

    static SolveRequest parse(ObjectMapper json, byte[] body, Models models, int maxSteps) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ApiError.badField("body", "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw ApiError.badField("body", "unreadable");
        }
        if (root == null || root.isMissingNode()) throw ApiError.badField("body", "empty; expected a JSON object with kind and puzzle");
        if (!root.isObject()) throw ApiError.badField("body", "expected a JSON object, got " + root.getNodeType().toString().toLowerCase());
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw ApiError.badField(Models.clip(f), "unknown field (allowed: kind, puzzle, steps, adaptive, model, trajectories, noise, augment, select)");
        }
        PuzzleKind kind = kind(root.get("kind"));
        String modelName = optionalText(root, "model");
        Engine engine = models.pick(kind, modelName);
        String puzzle = puzzle(root.get("puzzle"), kind, engine);
        OptionalInt steps = steps(root.get("steps"), maxSteps);
        boolean adaptive = adaptive(root.get("adaptive"));
        return new SolveRequest(engine, kind, puzzle, new SolveOptions(steps, adaptive, thinking(root, kind)));
    }

    /** trajectories, noise, augment, select; their product bounded by the server's {@link Limits#MAX_CANDIDATES}. */
    static Thinking thinking(JsonNode root, PuzzleKind kind) {
        int trajectories = count(root.get("trajectories"), "trajectories", Limits.MAX_CANDIDATES);
        int maxAugment = kind == PuzzleKind.MAZE ? 8 : Limits.MAX_CANDIDATES;
        int augment = count(root.get("augment"), "augment", maxAugment);
        if (trajectories * augment > Limits.MAX_CANDIDATES)
            throw ApiError.badField("trajectories", "trajectories × augment must be at most " + Limits.MAX_CANDIDATES + " on this server, got "
                    + trajectories + " × " + augment);
        JsonNode n = root.get("noise");
        double noise = Thinking.DEFAULT_NOISE;
        if (n != null && !n.isNull()) {
            if (!n.isNumber() || !(n.asDouble() >= 0) || n.asDouble() > 10)
                throw ApiError.badField("noise", "expected a number 0..10 (σ of the trajectories' noise), got " + Models.clip(n.toString()));
            noise = n.asDouble();
        }
        JsonNode s = root.get("select");
        Thinking.Select select = Thinking.Select.Q;
        if (s != null && !s.isNull()) {
            if (!s.isTextual()) throw ApiError.badField("select", "expected \"q\", \"vote\" or \"rules\", got " + Models.clip(s.toString()));
            try {
                select = Thinking.Select.parse(s.asText(), "select");
            } catch (InputException e) {
                throw ApiError.badField("select", "expected \"q\", \"vote\" or \"rules\", got '" + Models.clip(s.asText()) + "'");
            }
        }
        return Thinking.trajectories(trajectories, select).withAugment(augment).withNoise(noise);
    }

    private static int count(JsonNode node, String field, int max) {
        if (node == null || node.isNull()) return 1;
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > max)
            throw ApiError.badField(field, "expected an integer 1.." + max + ", got " + Models.clip(node.toString()));
        return node.asInt();
    }

    private static PuzzleKind kind(JsonNode node) {
        if (node == null || node.isNull()) throw ApiError.badField("kind", "missing; expected \"sudoku\" or \"maze\"");
        if (!node.isTextual()) throw ApiError.badField("kind", "expected a string, \"sudoku\" or \"maze\"");
        PuzzleKind kind;
        try {
            kind = PuzzleKind.parse(node.asText(), "kind");
        } catch (InputException e) {
            throw ApiError.badField("kind", "expected \"sudoku\" or \"maze\", got '" + Models.clip(node.asText()) + "'");
        }
        if (kind == PuzzleKind.ARC)
            throw ApiError.badField("kind", "arc is not served: an ARC model knows a task only through its trained puzzle embedding (use trm solve --arc)");
        return kind;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) throw ApiError.badField(field, "expected a string");
        return node.asText();
    }

    /**
     * The puzzle string: exactly as many characters of the kind's alphabet as {@code engine} has
     * cells; a maze has one S and one G. A square maze of another size is named as such.
     */
    static String puzzle(JsonNode node, PuzzleKind kind, Engine engine) {
        int cells = engine.cells();
        String allowed = kind == PuzzleKind.SUDOKU ? SUDOKU_CHARS : MAZE_CHARS;
        String what = kind == PuzzleKind.SUDOKU ? "digits 1-9, with '.' or '0' for blanks" : "'#' wall, ' ' open, 'S' start, 'G' goal";
        if (node == null || node.isNull()) throw ApiError.badField("puzzle", "missing; expected " + cells + " characters (" + what + ")");
        if (!node.isTextual()) throw ApiError.badField("puzzle", "expected a string of " + cells + " characters (" + what + ")");
        String p = node.asText();
        int side = Maze.squareSide(cells), given = Maze.squareSide(p.length());
        if (kind == PuzzleKind.MAZE && p.length() != cells && given > 1)
            throw ApiError.badField("puzzle", "a " + given + "x" + given + " maze, but model '" + engine.name() + "' solves " + side + "x" + side
                    + " mazes (" + cells + " characters)");
        if (p.length() != cells) throw ApiError.badField("puzzle", "expected " + cells + " characters (" + what + "), got " + p.length());
        for (int i = 0; i < p.length(); i++) {
            if (allowed.indexOf(p.charAt(i)) < 0)
                throw ApiError.badField("puzzle", "character " + (i + 1) + " is " + describe(p.charAt(i)) + "; allowed: " + what);
        }
        if (kind == PuzzleKind.MAZE) {
            for (char c : new char[] {'S', 'G'}) {
                long n = p.chars().filter(ch -> ch == c).count();
                if (n != 1) throw ApiError.badField("puzzle", "a maze needs exactly one '" + c + "', got " + n);
            }
        }
        return p;
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static OptionalInt steps(JsonNode node, int maxSteps) {
        if (node == null || node.isNull()) return OptionalInt.empty();
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > maxSteps)
            throw ApiError.badField("steps", "expected an integer 1.." + maxSteps + ", got " + Models.clip(node.toString()));
        return OptionalInt.of(node.asInt());
    }

    private static boolean adaptive(JsonNode node) {
        if (node == null || node.isNull()) return false;
        if (!node.isBoolean()) throw ApiError.badField("adaptive", "expected true or false, got " + Models.clip(node.toString()));
        return node.asBoolean();
    }
}
