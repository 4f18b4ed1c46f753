package io.github.trm4j.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads ARC tasks from the layouts they are published in:
 * <ul>
 *   <li>a folder of per-task files, searched recursively ({@code arc-agi-1/training},
 *       ConceptARC's {@code corpus/<Concept>/*.json}); task id = file name without {@code .json};</li>
 *   <li>a Kaggle {@code *_challenges.json} ({task_id: {"train", "test": [{"input"}]}}) with the
 *       {@code *_solutions.json} beside it ({task_id: [output grid per test input]});</li>
 *   <li>any other {@code .json}: one task ({"train": [...], "test": [...]}) or several tasks keyed by
 *       id with test outputs inline, as in a build's {@code test_puzzles.json}.</li>
 * </ul>
 * Every problem is one {@link InputException} line naming the file, the task, the pair and the fault.
 */
public final class ArcReader {
    /** Largest grid side in ARC, and the side of the encoding canvas. */
    public static final int MAX_SIDE = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHALLENGES = "_challenges.json";
    private static final String SOLUTIONS = "_solutions.json";

    private ArcReader() {}

    /**
     * Reads a task folder or a JSON file. With {@code requireTestOutputs} every test pair must carry
     * its output (a build needs them); otherwise unknown outputs are null.
     */
    public static ArcSubset read(Path path, boolean requireTestOutputs) {
        if (Files.isDirectory(path)) return readFolder(path, requireTestOutputs);
        if (!Files.isRegularFile(path)) throw new InputException(path + ": no such file or folder");
        String name = path.getFileName().toString();
        if (name.endsWith(CHALLENGES)) return readKaggle(path, requireTestOutputs);
        if (!name.endsWith(".json")) throw new InputException(path + ": expected a task folder, a *_challenges.json or a .json task file");
        JsonNode root = parse(path);
        List<ArcTask> tasks = new ArrayList<>();
        if (isTask(root)) {
            tasks.add(task(root, stem(name), path));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                tasks.add(task(e.getValue(), e.getKey(), path));
            }
        }
        return checked(new ArcSubset(stem(name), path, tasks), requireTestOutputs);
    }

    /** A task object rather than tasks keyed by id: its "train" or "test" is a list. */
    private static boolean isTask(JsonNode root) {
        return root.path("train").isArray() || root.path("test").isArray();
    }

    private static ArcSubset readFolder(Path dir, boolean requireTestOutputs) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        if (files.isEmpty()) throw new InputException(dir + ": no *.json task files in this folder or below");
        Map<String, Path> seen = new HashMap<>();
        List<ArcTask> tasks = new ArrayList<>(files.size());
        for (Path f : files) {
            String id = stem(f.getFileName().toString());
            Path other = seen.putIfAbsent(id, f);
            if (other != null) throw new InputException(f + ": task id '" + id + "' also comes from " + other);
            tasks.add(task(parse(f), id, f));
        }
        return checked(new ArcSubset(dir.getFileName().toString(), dir, tasks), requireTestOutputs);
    }

    private static ArcSubset readKaggle(Path challenges, boolean requireTestOutputs) {
        String name = challenges.getFileName().toString();
        String prefix = name.substring(0, name.length() - CHALLENGES.length());
        Path solutionsFile = challenges.resolveSibling(prefix + SOLUTIONS);
        JsonNode root = parse(challenges);
        List<ArcTask> tasks = new ArrayList<>(root.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tasks.add(task(e.getValue(), e.getKey(), challenges));
        }
        String subset = prefix.startsWith("arc-agi_") ? prefix.substring("arc-agi_".length()) : prefix;
        if (Files.isRegularFile(solutionsFile)) {
            tasks = withSolutions(tasks, parse(solutionsFile), solutionsFile);
        } else if (requireTestOutputs) {
            throw new InputException(challenges + ": solutions file " + solutionsFile.getFileName() + " not found beside it (a build needs the test outputs)");
        }
        return checked(new ArcSubset(subset, challenges, tasks), requireTestOutputs);
    }

    /** The tasks with their test outputs taken from a Kaggle solutions file. */
    private static List<ArcTask> withSolutions(List<ArcTask> tasks, JsonNode solutions, Path file) {
        List<ArcTask> out = new ArrayList<>(tasks.size());
        for (ArcTask t : tasks) {
            JsonNode grids = solutions.get(t.id());
            if (grids == null) throw new InputException(file + ": task " + t.id() + ": missing (the challenges file has it)");
            if (!grids.isArray()) throw new InputException(file + ": task " + t.id() + ": expected a list of output grids, got " + kind(grids));
            if (grids.size() != t.test().size())
                throw new InputException(file + ": task " + t.id() + ": " + grids.size() + " solution grid(s) for " + t.test().size() + " test input(s)");
            List<ArcPair> test = new ArrayList<>(grids.size());
            for (int k = 0; k < grids.size(); k++) {
                test.add(new ArcPair(t.test().get(k).input(), grid(grids.get(k), file + ": task " + t.id() + ", solution " + k)));
            }
            out.add(new ArcTask(t.id(), t.train(), test));
        }
        return out;
    }

    private static ArcSubset checked(ArcSubset subset, boolean requireTestOutputs) {
        if (subset.tasks().isEmpty()) throw new InputException(subset.source() + ": contains no tasks");
        if (!requireTestOutputs) return subset;
        for (ArcTask t : subset.tasks()) {
            for (int k = 0; k < t.test().size(); k++) {
                if (!t.test().get(k).hasOutput())
                    throw new InputException(subset.source() + ": task " + t.id() + ", test[" + k + "]: missing 'output' (a build needs the test outputs)");
            }
        }
        return subset;
    }

    /** One task object; demonstration outputs are required, test outputs optional. */
    private static ArcTask task(JsonNode node, String id, Path file) {
        String where = file + ": task " + id;
        if (!node.isObject()) throw new InputException(where + ": expected an object with 'train' and 'test', got " + kind(node));
        return new ArcTask(id, pairs(node, "train", true, where), pairs(node, "test", false, where));
    }

    private static List<ArcPair> pairs(JsonNode task, String key, boolean outputRequired, String where) {
        JsonNode list = task.get(key);
        if (list == null) throw new InputException(where + ": missing '" + key + "'");
        if (!list.isArray()) throw new InputException(where + ": '" + key + "' must be a list of pairs, got " + kind(list));
        if (list.isEmpty()) throw new InputException(where + ": '" + key + "' is empty");
        List<ArcPair> pairs = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
            String at = where + ", " + key + "[" + k + "]";
            JsonNode pair = list.get(k);
            if (!pair.isObject()) throw new InputException(at + ": expected an object with 'input' and 'output', got " + kind(pair));
            JsonNode in = pair.get("input");
            if (in == null) throw new InputException(at + ": missing 'input'");
            JsonNode out = pair.get("output");
            if (out == null && outputRequired) throw new InputException(at + ": missing 'output'");
            pairs.add(new ArcPair(grid(in, at + ".input"), out == null ? null : grid(out, at + ".output")));
        }
        return pairs;
    }

    /** A grid: a non-empty rectangular list of rows, each side at most 30, values 0..9. */
    static Grid grid(JsonNode node, String where) {
        if (!node.isArray()) throw new InputException(where + ": expected a list of rows, got " + kind(node));
        int h = node.size();
        if (h == 0) throw new InputException(where + ": empty grid");
        if (h > MAX_SIDE) throw new InputException(where + ": " + h + " rows, more than " + MAX_SIDE);
        JsonNode first = node.get(0);
        if (!first.isArray()) throw new InputException(where + ": row 0 is not a list but " + kind(first));
        int w = first.size();
        if (w == 0) throw new InputException(where + ": row 0 is empty");
        if (w > MAX_SIDE) throw new InputException(where + ": " + w + " columns, more than " + MAX_SIDE);
        byte[] cells = new byte[h * w];
        for (int r = 0; r < h; r++) {
            JsonNode row = node.get(r);
            if (!row.isArray()) throw new InputException(where + ": row " + r + " is not a list but " + kind(row));
            if (row.size() != w)
                throw new InputException(where + ": grid not rectangular, row " + r + " has " + row.size() + " cells but row 0 has " + w);
            for (int c = 0; c < w; c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 9)
                    throw new InputException(where + ": bad value " + v + " at row " + r + ", column " + c + " (colours are integers 0..9)");
                cells[r * w + c] = (byte) v.intValue();
            }
        }
        return Grid.of(h, w, cells);
    }

    private static JsonNode parse(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String what = e instanceof JsonEOFException ? "truncated JSON" : "invalid JSON";
            String line = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InputException(file + ": " + what + line + " (" + firstLine(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || root.isMissingNode()) throw new InputException(file + ": empty file");
        if (!root.isObject()) throw new InputException(file + ": expected a JSON object, got " + kind(root));
        return root;
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "a list" : n.isObject() ? "an object" : n.isNull() ? "null" : n.isTextual() ? "a string" : n.isNumber() ? "a number " + n : n.getNodeType().toString().toLowerCase();
    }

    private static String stem(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
