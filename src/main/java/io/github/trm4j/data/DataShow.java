package io.github.trm4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * {@code trm data show}: renders examples of a dataset folder (official layout) or of a puzzle
 * file (Sudoku CSV or 81-character lines, maze CSV, ARC task JSON) in the terminal, input and label
 * side by side.
 */
public final class DataShow {
    /** Terminal colour: none, the 256-colour palette, or 24-bit. */
    public enum Color { NONE, ANSI256, TRUECOLOR }

    /**
     * What to show: examples [index, index + count) of {@code path} (and {@code split} for a dataset),
     * in {@code color}, with block and box-drawing characters when {@code unicode}, else ASCII.
     */
    public record Options(Path path, String split, long index, int count, Color color, boolean unicode) {
        public Options {
            if (index < 0) throw new InputException("--index must be >= 0, got " + index);
            if (count < 1) throw new InputException("--count must be >= 1, got " + count);
        }
    }

    /** What was shown: the detected kind, how many examples, and how many there are in all. */
    public record Summary(String kind, int shown, long total) {}

    /** A titled row of panels. */
    record Item(String title, List<GridView.Panel> panels) {}

    private DataShow() {}

    public static Summary show(Options o, PrintWriter out) {
        Path p = o.path();
        if (!Files.exists(p)) throw new InputException(p + ": no such file or folder");
        GridView view = new GridView(o.color(), o.unicode());
        Summary s;
        if (Files.isDirectory(p)) {
            s = showDataset(o, item -> print(item, view, out));
        } else {
            ShowFiles.Loaded loaded = ShowFiles.load(p, o.index(), o.count());
            loaded.items().forEach(item -> print(item, view, out));
            s = new Summary(loaded.kind(), loaded.items().size(), loaded.total());
        }
        out.flush();
        return s;
    }

    private static void print(Item item, GridView view, PrintWriter out) {
        out.println(Printable.of(item.title())); // titles quote names from the files
        for (String line : view.render(item.panels())) out.println(line);
        out.println();
    }

    /** Checks {@code index} against {@code total} and returns how many items to show from it. */
    static int clamp(Path p, long index, int count, long total, String what) {
        if (index >= total) throw new InputException(p + ": --index " + index + " is past the end (" + total + " " + what + ")");
        return (int) Math.min(count, total - index);
    }

    /** Streams examples one at a time to {@code sink}: any --count works on an ARC-scale split. */
    private static Summary showDataset(Options o, Consumer<Item> sink) {
        PuzzleDataset d = PuzzleDataset.open(o.path(), o.split());
        GridView.Style style = styleOf(d.metadata());
        int n = clamp(o.path(), o.index(), o.count(), d.examples(), "examples in split " + o.split());
        int[] puzzles = new int[n];
        TreeSet<Integer> ids = new TreeSet<>();
        for (int k = 0; k < n; k++) {
            puzzles[k] = lastAtOrBelow(d::puzzleStart, d.puzzles(), o.index() + k);
            ids.add(d.puzzleIdentifier(puzzles[k]));
        }
        Map<Integer, String> names = identifierNames(d.dir().getParent().resolve("identifiers.json"), ids);
        for (int k = 0; k < n; k++) {
            long example = o.index() + k;
            int p = puzzles[k], g = lastAtOrBelow(d::groupStart, d.groups(), p), id = d.puzzleIdentifier(p);
            String name = names.containsKey(id) ? " (" + names.get(id) + ")" : "";
            String title = String.format("%s example %d of %d, puzzle %d, identifier %d%s, group %d", o.split(), example,
                    d.examples(), p, id, name, g);
            sink.accept(new Item(title, panels(style, d.inputs(example, 1), d.labels(example, 1))));
        }
        return new Summary(style.kind() + " dataset", n, d.examples());
    }

    /** The kind of puzzle a dataset holds, from its vocabulary and sequence length. */
    static GridView.Style styleOf(DatasetMetadata m) {
        if (m.vocabSize() == 11 && m.seqLen() == 81) return GridView.Style.SUDOKU;
        if (m.vocabSize() == MazeCell.VOCAB_SIZE && squareSide(m.seqLen()) > 0) return GridView.Style.MAZE;
        if (m.vocabSize() == 12 && m.seqLen() == 900) return GridView.Style.ARC;
        return GridView.Style.TOKENS;
    }

    private static List<GridView.Panel> panels(GridView.Style style, int[] x, int[] y) {
        return switch (style) {
            case SUDOKU -> {
                int[][] given = square(x, t -> Math.max(0, t - 1));
                yield List.of(new GridView.Panel("input", given, GridView.Style.SUDOKU, null),
                        new GridView.Panel("label", square(y, t -> Math.max(0, t - 1)), GridView.Style.SUDOKU, given));
            }
            case MAZE -> List.of(new GridView.Panel("input", square(x, t -> t), GridView.Style.MAZE, null),
                    new GridView.Panel("label", square(y, t -> t), GridView.Style.MAZE, null));
            case ARC -> List.of(arcCanvas("input", x), arcCanvas("label", y));
            case TOKENS -> List.of(new GridView.Panel("input", wrap(x), GridView.Style.TOKENS, null),
                    new GridView.Panel("label", wrap(y), GridView.Style.TOKENS, null));
        };
    }

    /**
     * The grid inside a 30×30 ARC canvas (PAD 0, EOS 1, colour c as c + 2): the bounding box of the
     * colour tokens, which is where the builder placed the grid.
     */
    static GridView.Panel arcCanvas(String caption, int[] canvas) {
        int top = 30, left = 30, bottom = -1, right = -1;
        for (int i = 0; i < 900; i++) {
            if (canvas[i] < 2) continue;
            top = Math.min(top, i / 30);
            bottom = Math.max(bottom, i / 30);
            left = Math.min(left, i % 30);
            right = Math.max(right, i % 30);
        }
        if (bottom < 0) return new GridView.Panel(caption, new int[0][], GridView.Style.ARC, null);
        int[][] rows = new int[bottom - top + 1][right - left + 1];
        for (int r = top; r <= bottom; r++) {
            for (int c = left; c <= right; c++) rows[r - top][c - left] = canvas[r * 30 + c] < 2 ? -1 : canvas[r * 30 + c] - 2;
        }
        String where = rows.length + "x" + rows[0].length + (top == 0 && left == 0 ? "" : " at " + top + "," + left);
        return new GridView.Panel(caption + " (" + where + ")", rows, GridView.Style.ARC, null);
    }

    private static int[][] square(int[] t, IntUnaryOperator f) {
        int side = squareSide(t.length);
        int[][] rows = new int[side][side];
        for (int i = 0; i < t.length; i++) rows[i / side][i % side] = f.applyAsInt(t[i]);
        return rows;
    }

    /** Tokens as rows of ceil(sqrt(n)); a square length gives a square. */
    private static int[][] wrap(int[] t) {
        int w = (int) Math.ceil(Math.sqrt(t.length)), h = (t.length + w - 1) / w;
        int[][] rows = new int[h][];
        for (int r = 0; r < h; r++) rows[r] = Arrays.copyOfRange(t, r * w, Math.min(t.length, (r + 1) * w));
        return rows;
    }

    static int squareSide(int n) {
        int s = (int) Math.round(Math.sqrt(n));
        return s * s == n ? s : -1;
    }

    /** The last i in [0, n) with starts(i) <= value: the CSR bucket holding {@code value}. */
    private static int lastAtOrBelow(IntUnaryOperator starts, int n, long value) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts.applyAsInt(mid) <= value) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /**
     * Names of the {@code wanted} identifiers from identifiers.json, streamed: an ARC list holds
     * close to a million names and only a few are needed. Missing file: no names.
     */
    private static Map<Integer, String> identifierNames(Path file, TreeSet<Integer> wanted) {
        Map<Integer, String> names = new HashMap<>();
        if (!Files.isRegularFile(file)) return names;
        try (JsonParser p = DatasetMetadata.JSON.getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new InputException(file + ": expected a JSON list of names");
            int last = wanted.last();
            for (int i = 0; i <= last && p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (p.currentToken() != JsonToken.VALUE_STRING) throw new InputException(file + ": entry " + i + " is not a string");
                if (wanted.contains(i)) names.put(i, p.getText());
            }
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return names;
    }
}
