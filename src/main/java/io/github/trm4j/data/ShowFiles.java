package io.github.trm4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puzzle files for {@link DataShow}: an ARC task JSON, a maze CSV, a Sudoku CSV or a file of
 * 81-character Sudoku lines. The kind is told from the content: {@code .json}, else a first line
 * with a comma is a CSV (a maze CSV if its first question has {@code #}, {@code S} or {@code G},
 * else Sudoku), else Sudoku lines.
 *
 * <p>Each format is parsed by the one reader that {@code data build} and {@code solve} use
 * ({@link SudokuReader}, {@link MazeCsv}), so show accepts exactly the rows they accept.
 */
final class ShowFiles {
    private ShowFiles() {}

    /** The items to draw, the kind of file, and how many examples the file holds. */
    record Loaded(String kind, long total, List<DataShow.Item> items) {}

    static Loaded load(Path file, long index, int count) {
        if (file.getFileName().toString().toLowerCase().endsWith(".json")) return arcTask(file, index, count);
        String first = firstLine(file);
        if (first.indexOf(',') >= 0) return csv(file, index, count);
        return sudoku(file, index, count);
    }

    // ---- ARC task JSON: {"train": [{"input", "output"}...], "test": [...]} ----

    private static Loaded arcTask(Path file, long index, int count) {
        JsonNode root;
        try {
            root = DatasetMetadata.JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("train").isArray())
            throw new InputException(file + ": expected an ARC task object {\"train\": [...], \"test\": [...]}");
        List<String> names = new ArrayList<>();
        List<JsonNode> pairs = new ArrayList<>();
        for (String part : List.of("train", "test")) {
            JsonNode list = root.path(part);
            if (list.isMissingNode()) continue;
            if (!list.isArray()) throw new InputException(file + ": field '" + part + "' is not a list");
            for (int i = 0; i < list.size(); i++) {
                names.add(part + "[" + i + "]");
                pairs.add(list.get(i));
            }
        }
        int n = DataShow.clamp(file, index, count, pairs.size(), "pairs in the task");
        List<DataShow.Item> items = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String name = names.get((int) index + k);
            JsonNode pair = pairs.get((int) index + k);
            List<GridView.Panel> panels = new ArrayList<>(2);
            panels.add(arcPanel(file, name + ".input", pair.path("input")));
            if (pair.has("output")) panels.add(arcPanel(file, name + ".output", pair.get("output")));
            items.add(new DataShow.Item("ARC task " + file.getFileName() + ", " + name, panels));
        }
        return new Loaded("ARC task", pairs.size(), items);
    }

    /** A grid of colours 0..9, 1 to 30 rows of equal length 1 to 30. */
    private static GridView.Panel arcPanel(Path file, String field, JsonNode grid) {
        String at = file + ": field '" + field + "'";
        if (!grid.isArray() || grid.isEmpty()) throw new InputException(at + " is not a non-empty list of rows");
        if (grid.size() > 30) throw new InputException(at + " has " + grid.size() + " rows; ARC grids are at most 30x30");
        int w = grid.get(0).size();
        int[][] rows = new int[grid.size()][];
        for (int r = 0; r < grid.size(); r++) {
            JsonNode row = grid.get(r);
            if (!row.isArray() || row.size() != w || w == 0)
                throw new InputException(at + " row " + r + " has " + row.size() + " cells, row 0 has " + w + " (grids are rectangular, non-empty)");
            if (w > 30) throw new InputException(at + " has " + w + " columns; ARC grids are at most 30x30");
            rows[r] = new int[w];
            for (int c = 0; c < w; c++) {
                JsonNode v = row.get(c);
                if (!v.isInt() || v.asInt() < 0 || v.asInt() > 9)
                    throw new InputException(at + " cell (" + r + "," + c + ") is " + v + ", not a colour 0..9");
                rows[r][c] = v.asInt();
            }
        }
        return new GridView.Panel(field.substring(field.lastIndexOf('.') + 1) + " (" + rows.length + "x" + w + ")", rows, GridView.Style.ARC, null);
    }

    // ---- CSV: source,question,answer,rating (Sudoku-Extreme or Maze-Hard) ----

    private static Loaded csv(Path file, long index, int count) {
        if (isSudokuCsv(file)) return sudoku(file, index, count);
        List<MazeCsv.Entry> mazes = MazeCsv.read(file);
        int n = DataShow.clamp(file, index, count, mazes.size(), "mazes in the file");
        List<DataShow.Item> items = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            MazeCsv.Entry e = mazes.get((int) index + k);
            List<GridView.Panel> panels = new ArrayList<>(2);
            panels.add(new GridView.Panel("question", e.maze().question().toRows(), GridView.Style.MAZE, null));
            e.maze().answer().ifPresent(a -> panels.add(new GridView.Panel("answer", a.toRows(), GridView.Style.MAZE, null)));
            String title = String.format("maze %d (line %d, %dx%d, source %s, rating %s)", index + k, e.line(), e.maze().side(),
                    e.maze().side(), Printable.of(e.source()), Printable.of(e.rating()));
            items.add(new DataShow.Item(title, panels));
        }
        return new Loaded("maze CSV", mazes.size(), items);
    }

    /** A puzzle CSV is a maze file when its first question has a wall, start or goal; else a Sudoku file. */
    private static boolean isSudokuCsv(Path file) {
        try (CsvRows rows = CsvRows.open(file)) {
            rows.next();
            CsvRows.Row row = rows.next();
            return row == null || row.fields().size() < 2 || row.fields().get(1).chars().noneMatch(c -> c == '#' || c == 'S' || c == 'G');
        }
    }

    /**
     * A Sudoku CSV or line file, read by {@link SudokuReader} as {@code data build} and
     * {@code solve} read it: the same rows are shown that they accept, with the same errors.
     */
    private static Loaded sudoku(Path file, long index, int count) {
        List<DataShow.Item> shown = new ArrayList<>();
        long total = 0;
        boolean csv;
        try (SudokuReader in = SudokuReader.open(file)) {
            csv = in.isCsv();
            for (SudokuPuzzle p = in.next(); p != null; p = in.next(), total++) {
                if (total < index || total >= index + count) continue;
                List<GridView.Panel> panels = new ArrayList<>(2);
                int[][] q = p.question().toRows();
                panels.add(new GridView.Panel(csv ? "question" : "puzzle", q, GridView.Style.SUDOKU, null));
                if (p.hasAnswer()) panels.add(new GridView.Panel("answer", p.answer().toRows(), GridView.Style.SUDOKU, q));
                shown.add(new DataShow.Item("sudoku " + total + " (line " + in.lineNumber() + ")", panels));
            }
        }
        if (total == 0) throw new InputException(file + ": no puzzles (expected 81-character lines, a CSV, or an ARC .json task)");
        DataShow.clamp(file, index, count, total, "puzzles in the file");
        return new Loaded(csv ? "sudoku CSV" : "sudoku lines", total, shown);
    }

    private static String firstLine(Path file) {
        try (BufferedReader in = reader(file)) {
            String line = in.readLine();
            return line == null ? "" : line;
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()));
    }
}
