package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import io.github.trm4j.data.ArcReader;
import io.github.trm4j.data.Grid;
import io.github.trm4j.data.MazeCsv;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.data.SudokuReader;
import io.github.trm4j.data.SudokuSolver;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code trm solve}: one model on single puzzles, drawn for a human with the steps used, the
 * confidence, the rule check and (for Sudoku) the exact solver's verdict; {@code --trace} adds every
 * supervision step with its changed cells marked.
 */
public final class SolvePuzzles {
    private SolvePuzzles() {}

    /** Exactly one of sudoku, sudokuFile, maze, arc is set; checkpoint null means the shipped model of the puzzles' kind. */
    public record Request(Path checkpoint, Path config, String sudoku, Path sudokuFile, Path maze, Path arc, Path identifiers,
                          OptionalInt steps, boolean adaptive, boolean trace, DtypeChoice dtype,
                          boolean colour, boolean unicode, Thinking thinking) {}

    /** Puzzles solved, how many answers passed the rule check, and how many agree with the exact solver (Sudoku and ARC with known outputs). */
    public record Result(int puzzles, int valid, int agree) {}

    public static Result run(Request r, PrintWriter out) {
        Board.Style style = new Board.Style(r.colour(), r.unicode());
        SolveOptions options = new SolveOptions(r.steps(), r.adaptive(), r.thinking());
        PuzzleKind wanted = r.arc() != null ? PuzzleKind.ARC : r.maze() != null ? PuzzleKind.MAZE : PuzzleKind.SUDOKU;
        List<Item> items = wanted == PuzzleKind.ARC ? List.of() : items(r);
        // bad puzzles are reported before the model is loaded
        if (wanted == PuzzleKind.SUDOKU) items.forEach(item -> PuzzleText.sudokuDigits(item.text(), item.field()));
        if (wanted == PuzzleKind.ARC) ArcReader.read(r.arc(), false);
        int seqLen = wanted == PuzzleKind.SUDOKU ? 81 : wanted == PuzzleKind.ARC ? 900 : items.get(0).text().length();
        if (r.checkpoint() == null && wanted == PuzzleKind.ARC) throw new InputException("trm4j ships no ARC model. " + ARC_NEEDS_ITS_TASKS);
        Solver solver = load(wanted, r.checkpoint(), r.config(), seqLen, r.dtype());
        out.println("model: " + describe(solver));
        out.println(solver.loaded().dtype().line());
        if (solver.kind() != wanted) throw new InputException(mismatch(solver, wanted));
        // every maze is checked against the model's size before the first is solved
        if (wanted == PuzzleKind.MAZE) items.forEach(item -> PuzzleText.maze(item.text(), solver.loaded().config().seqLen(), item.field()));
        if (wanted == PuzzleKind.ARC && options.thinking().active())
            throw new InputException("--trajectories, --augment: not for ARC tasks (the ARC evaluation already votes over augmentations)");
        if (wanted == PuzzleKind.ARC) return ArcSolve.run(solver, r.arc(), r.identifiers(), options, style, out);

        int valid = 0, agree = 0;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            out.println();
            Solution s = solver.solve(wanted, item.text(), options, item.field());
            String label = (items.size() > 1 ? "puzzle " + (i + 1) : "puzzle") + (item.where().isEmpty() ? "" : " (" + item.where() + ")");
            if (wanted == PuzzleKind.SUDOKU) {
                String input = PuzzleText.sudokuDigits(item.text(), item.field());
                Exact exact = exact(input, s.answer());
                String caption = exact.wrong().length == 0 ? "answer" : "answer (" + exact.wrong().length + " wrong cells marked)";
                Board.sideBySide(List.of(label, caption), List.of(Board.sudoku(input, null, null, style),
                        Board.sudoku(s.answer(), input, exact.wrong(), style)), 2).forEach(out::println);
                summary(out, s, stepsNote(solver, options));
                out.println("exact solver: " + exact.verdict());
                if (exact.agrees()) agree++;
                if (r.trace()) printTrace(out, wanted, input, s, style);
            } else {
                Board.sideBySide(List.of(label, "answer"), List.of(Board.maze(item.text(), null, style), Board.maze(s.answer(), null, style)), 1)
                        .forEach(out::println);
                summary(out, s, stepsNote(solver, options));
                if (r.trace()) printTrace(out, wanted, item.text(), s, style);
            }
            if (s.check().valid()) valid++;
        }
        if (items.size() > 1) {
            out.println();
            out.printf(Locale.ROOT, "%d puzzles: %d valid, %d invalid%s%n", items.size(), valid, items.size() - valid,
                    wanted == PuzzleKind.SUDOKU ? "; " + agree + " agree with the exact solver" : "");
        }
        return new Result(items.size(), valid, agree);
    }

    /** One puzzle to solve: its text, the field errors name, and where it came from. */
    private record Item(String text, String field, String where) {}

    private static List<Item> items(Request r) {
        List<Item> out = new ArrayList<>();
        if (r.sudoku() != null) {
            out.add(new Item(r.sudoku(), "--sudoku", ""));
        } else if (r.sudokuFile() != null) {
            try (SudokuReader in = SudokuReader.open(r.sudokuFile())) {
                for (SudokuPuzzle p = in.next(); p != null; p = in.next()) {
                    String where = r.sudokuFile() + ":" + in.lineNumber();
                    out.add(new Item(SudokuPuzzle.toLine(p.question(), '.'), where, "line " + in.lineNumber()));
                }
            }
            if (out.isEmpty()) throw new InputException(r.sudokuFile() + ": no puzzles in the file");
        } else {
            out.addAll(mazes(r.maze()));
        }
        return out;
    }

    /** A maze CSV (every row), or a text file holding one maze drawn as rows (or as one line). */
    private static List<Item> mazes(Path file) {
        List<Item> out = new ArrayList<>();
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            for (MazeCsv.Entry e : MazeCsv.read(file)) {
                out.add(new Item(io.github.trm4j.data.Maze.text(e.maze().question()), file + ":" + e.line(), "line " + e.line()));
            }
            if (out.isEmpty()) throw new InputException(file + ": no mazes in the file");
            return out;
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        if (lines.isEmpty()) throw new InputException(file + ": empty file, expected a maze over '# SG'");
        if (lines.size() > 1) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).length() != lines.size())
                    throw new InputException(file + ":" + (i + 1) + ": expected " + lines.size() + " characters (a square maze of "
                            + lines.size() + " rows), got " + lines.get(i).length());
            }
        }
        return List.of(new Item(String.join("", lines), file.toString(), ""));
    }

    /** Loads a checkpoint (or the shipped model for {@code kind}); {@code seqLen} is only used when the weights do not fix it. */
    static Solver load(PuzzleKind kind, Path checkpoint, Path config, int seqLen, DtypeChoice dtype) {
        if (checkpoint == null) return ShippedModel.of(kind).solver(dtype);
        ModelLoader.Loaded loaded;
        try {
            loaded = ModelLoader.load(checkpoint, config, OptionalInt.empty(), dtype, ComputeDevice.CPU);
        } catch (InputException e) {
            if (!e.getMessage().startsWith("seq_len: cannot be inferred")) throw e;
            loaded = ModelLoader.load(checkpoint, config, OptionalInt.of(seqLen), dtype, ComputeDevice.CPU);
        }
        return Solver.of(loaded, checkpoint.getFileName().toString());
    }

    /** "shipped-sudoku (models/sudoku/model.safetensors, step 250; D 128, n 4, T 2, N_sup 8, MLP, bf16)". */
    static String describe(Solver solver) {
        ModelConfig c = solver.loaded().config();
        String step = solver.loaded().provenance().get("step");
        return String.format(Locale.ROOT, "%s (%s%s; %s, D %d, n %d, T %d, N_sup %d, %s, %s)", solver.name(), solver.loaded().file(),
                step == null ? "" : ", step " + Printable.of(step), solver.kind().label(), c.hiddenSize(), c.latentSteps(), c.recursions(),
                c.supervisionSteps(), c.mixer().name().toLowerCase(Locale.ROOT), solver.loaded().dtype().label());
    }

    private static final String ARC_NEEDS_ITS_TASKS = "An ARC model knows a task only through the puzzle embedding it learned "
            + "for that task in training; pass --checkpoint with an ARC checkpoint trained on this task";

    private static String mismatch(Solver solver, PuzzleKind wanted) {
        ModelConfig c = solver.loaded().config();
        String what = solver.loaded().file() + " is " + (solver.kind() == PuzzleKind.ARC ? "an ARC" : "a " + solver.kind().label())
                + " model (vocab " + c.vocabSize() + ", " + c.seqLen() + " cells)";
        return switch (wanted) {
            case ARC -> what + ": it cannot solve ARC tasks. " + ARC_NEEDS_ITS_TASKS;
            case SUDOKU, MAZE -> what + ": it cannot solve a " + wanted.label() + "; pass --checkpoint with a " + wanted.label() + " model";
        };
    }

    /** " (adaptive, at most 8)" or " of 8" after the steps used. */
    static String stepsNote(Solver solver, SolveOptions o) {
        int max = o.steps().orElse(solver.loaded().config().supervisionSteps());
        return o.adaptive() ? " (adaptive, at most " + max + ")" : " of " + max;
    }

    private static void summary(PrintWriter out, Solution s, String stepsNote) {
        out.printf(Locale.ROOT, "steps %d%s, confidence %.3f (sigmoid q_halt), %d ms%n", s.stepsUsed(), stepsNote, s.confidence(), s.millis());
        out.println("check: " + (s.check().valid() ? "valid" : "INVALID") + " (" + s.check().detail() + ")");
        if (s.thought() != null) out.println("thinking: " + thought(s.thought()));
    }

    /** "16 trajectories × 4 copies (σ 0.30), rule q: trajectory 3 of copy 'rot90' won, 9 of 64 agree, 12 valid; 5,120 net calls". */
    static String thought(Thought t) {
        return String.format(Locale.ROOT, "%d trajector%s × %d cop%s (σ %.2f), rule %s: trajectory %d%s of copy '%s' won, %d of %d agree, "
                        + "%d valid; %,d net calls", t.trajectories(), t.trajectories() == 1 ? "y" : "ies", t.augment(),
                t.augment() == 1 ? "y" : "ies", t.noise(), t.select(), t.trajectory(), t.trajectory() == 0 ? " (no noise)" : "",
                t.symmetry(), t.agree(), t.candidates(), t.valid(), t.netCalls());
    }

    /** The exact solver on a Sudoku: its verdict on the model's answer and the cells where they differ (none unless unique). */
    record Exact(String verdict, boolean agrees, int[] wrong) {}

    static Exact exact(String input, String answer) {
        SudokuSolver.Result exact = new SudokuSolver().solve(grid(input));
        return switch (exact.status()) {
            case NONE -> new Exact("the puzzle has no solution", false, new int[0]);
            case MULTIPLE -> {
                boolean ok = Checks.sudoku(input, answer).valid();
                yield new Exact("the puzzle has several solutions" + (ok ? "; the model's is one of them" : ""), ok, new int[0]);
            }
            case UNIQUE -> {
                int[] wrong = Solver.changed(SudokuPuzzle.toLine(exact.solution(), '0'), answer);
                yield new Exact(wrong.length == 0 ? "same answer" : "differs in " + wrong.length + " cells", wrong.length == 0, wrong);
            }
        };
    }

    static Grid grid(String digits) {
        byte[] cells = new byte[81];
        for (int i = 0; i < 81; i++) cells[i] = (byte) (digits.charAt(i) - '0');
        return Grid.of(9, 9, cells);
    }

    private static void printTrace(PrintWriter out, PuzzleKind kind, String input, Solution s, Board.Style style) {
        out.println();
        out.println("trace: the grid after every supervision step, cells changed by the step "
                + (style.colour() ? "highlighted" : kind == PuzzleKind.SUDOKU ? "in [brackets]" : "marked *"));
        List<String> captions = new ArrayList<>();
        List<List<String>> panels = new ArrayList<>();
        for (StepView v : s.trace()) {
            captions.add(String.format(Locale.ROOT, "step %d: q_halt %+.2f, %d changed", v.step(), v.qHalt(), v.changed().length));
            panels.add(kind == PuzzleKind.SUDOKU ? Board.sudoku(v.grid(), input, v.changed(), style) : Board.maze(v.grid(), v.changed(), style));
        }
        Board.sideBySide(captions, panels, kind == PuzzleKind.SUDOKU ? 2 : 1).forEach(out::println);
    }
}
