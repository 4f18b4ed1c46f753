package io.github.trm4j.solve;

import io.github.trm4j.data.SudokuGenerator;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.data.SudokuSolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code trm demo}: the shipped model (or any Sudoku checkpoint) solves freshly generated Sudokus at
 * three difficulty levels and three well-known published ones, shows one answer refining over the
 * supervision steps, and ends with a table that compares every answer with the exact solver's; then
 * the shipped maze model finds the path through one generated maze ({@link DemoMaze}).
 * No network, no data files: the published puzzles are constants here.
 */
public final class Demo {
    private Demo() {}

    /** {@code checkpoint} null: the shipped model. {@code perRow}: trace boards side by side. */
    public record Options(Path checkpoint, long seed, boolean colour, boolean unicode, int perRow, io.github.trm4j.model.DtypeChoice dtype) {}

    /** One line of the closing table. {@code cellsWrong} counts cells that differ from the unique solution. */
    public record Row(String puzzle, int givens, int cellsWrong, boolean valid, int steps, double confidence, long modelMillis,
                      double solverMillis) {
        public boolean correct() {
            return cellsWrong == 0;
        }
    }

    /**
     * The maze part's outcome. {@code cellsWrong} counts cells that differ from the exact solver's
     * path (the maze has a unique shortest path of {@code moves}).
     */
    public record MazeRow(int side, int moves, int cellsWrong, boolean valid, int steps, double confidence, long modelMillis,
                          double solverMillis) {
        public boolean correct() {
            return cellsWrong == 0;
        }
    }

    /** {@code loadMillis} counts both models. */
    public record Result(List<Row> rows, MazeRow maze, long loadMillis, long millis) {
        public long correct() {
            return rows.stream().filter(Row::correct).count();
        }
    }

    /** A published puzzle, with where it comes from. */
    record Known(String name, String puzzle) {}

    /** Difficulty bands of the generated puzzles: givens. */
    static final int[] GIVENS = {45, 38, 30};

    static final List<Known> KNOWN = List.of(
            new Known("Project Euler 96, grid 1", "003020600900305001001806400008102900700000008006708200002609500800203009005010300"),
            new Known("top95 #1 (Norvig's essay)", "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......"),
            new Known("Inkala's 'hardest' (2012)", "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4.."));

    public static Result run(Options o, PrintWriter out) {
        long start = System.nanoTime();
        out.println("trm4j demo: Tiny Recursion Models solve Sudokus and a maze on the CPU, refining one answer over their supervision steps.");
        Solver solver = SolvePuzzles.load(PuzzleKind.SUDOKU, o.checkpoint(), null, 81, o.dtype());
        if (solver.kind() != PuzzleKind.SUDOKU)
            throw new io.github.trm4j.InputException(solver.loaded().file() + " is a " + solver.kind().label() + " model; the demo needs a Sudoku model");
        long sudokuLoaded = System.nanoTime();
        Solver mazeSolver = ShippedModel.MAZE.solver(o.dtype());
        long mazeLoaded = System.nanoTime();
        long loadMillis = (mazeLoaded - start) / 1_000_000;
        out.printf(Locale.ROOT, "model: %s, loaded in %d ms%n", SolvePuzzles.describe(solver), (sudokuLoaded - start) / 1_000_000);
        out.printf(Locale.ROOT, "maze model: %s, loaded in %d ms%n", SolvePuzzles.describe(mazeSolver), (mazeLoaded - sudokuLoaded) / 1_000_000);
        out.println(solver.loaded().dtype().line());

        List<String> names = new ArrayList<>();
        List<String> puzzles = new ArrayList<>();
        SudokuGenerator generator = new SudokuGenerator(o.seed());
        for (int g : GIVENS) {
            names.add("generated, " + g + " givens");
            puzzles.add(SudokuPuzzle.toLine(generator.next(SudokuGenerator.Target.givens(g, g)).puzzle().question(), '0'));
        }
        for (Known k : KNOWN) {
            names.add(k.name());
            puzzles.add(k.puzzle().replace('.', '0'));
        }
        out.printf(Locale.ROOT, "puzzles: %d fresh from trm4j's generator (--seed %d repeats them) and %d published ones%n",
                GIVENS.length, o.seed(), KNOWN.size());

        Board.Style style = new Board.Style(o.colour(), o.unicode());
        SudokuSolver exact = new SudokuSolver();
        List<Row> rows = new ArrayList<>();
        List<Solution> solutions = new ArrayList<>();
        for (int i = 0; i < puzzles.size(); i++) {
            String puzzle = puzzles.get(i);
            Solution s = solver.solve(PuzzleKind.SUDOKU, puzzle, SolveOptions.defaults());
            solutions.add(s);
            long t = System.nanoTime();
            SudokuSolver.Result truth = exact.solve(SolvePuzzles.grid(puzzle));
            double solverMillis = (System.nanoTime() - t) / 1e6;
            String solution = SudokuPuzzle.toLine(truth.solution(), '0');
            int[] wrong = Solver.changed(solution, s.answer());
            Row row = new Row(names.get(i), givens(puzzle), wrong.length, s.check().valid(), s.stepsUsed(), s.confidence(), s.millis(), solverMillis);
            rows.add(row);

            out.println();
            String verdict = row.correct() ? "answer: correct" : "answer: WRONG, " + wrong.length + " cells " + (o.colour() ? "highlighted" : "in [brackets]");
            Board.sideBySide(List.of((i + 1) + ". " + names.get(i), verdict),
                    List.of(Board.sudoku(puzzle, null, null, style), Board.sudoku(s.answer(), puzzle, wrong, style)), 2).forEach(out::println);
            out.printf(Locale.ROOT, "%d steps, confidence %.3f, %d ms; check: %s%n", s.stepsUsed(), s.confidence(), s.millis(), s.check().detail());
        }
        int traced = traced(rows, solutions);
        trace(out, traced + 1, puzzles.get(traced), solutions.get(traced), style, o.perRow());
        table(out, rows);
        out.printf(Locale.ROOT, "%nthe model solved %d of %d puzzles; the exact solver solves all of them.%n",
                rows.stream().filter(Row::correct).count(), rows.size());
        MazeRow maze = DemoMaze.run(mazeSolver, style, o.perRow(), out);
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "%nTotal %.1f s (model loading %.1f s).%n", millis / 1000.0, loadMillis / 1000.0);
        return new Result(rows, maze, loadMillis, millis);
    }

    /**
     * The puzzle whose refinement is worth watching: among the correctly solved ones (all, if none
     * is), the one whose answer changes most after the first step.
     */
    static int traced(List<Row> rows, List<Solution> solutions) {
        boolean anyCorrect = rows.stream().anyMatch(Row::correct);
        int best = -1, bestChanges = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (anyCorrect && !rows.get(i).correct()) continue;
            int changes = solutions.get(i).trace().stream().skip(1).mapToInt(v -> v.changed().length).sum();
            if (changes > bestChanges) {
                best = i;
                bestChanges = changes;
            }
        }
        return best;
    }

    /** Every step that changed something, then one line for the steps that only confirmed the answer. */
    private static void trace(PrintWriter out, int number, String puzzle, Solution s, Board.Style style, int perRow) {
        out.println();
        out.printf("How the model refines puzzle %d: its answer after each supervision step, cells changed by the step %s.%n", number,
                style.colour() ? "highlighted" : "in [brackets]");
        List<String> captions = new ArrayList<>();
        List<List<String>> panels = new ArrayList<>();
        int last = s.trace().size();
        while (last > 1 && s.trace().get(last - 1).changed().length == 0) last--;
        for (StepView v : s.trace().subList(0, last)) {
            captions.add(caption(v));
            panels.add(Board.sudoku(v.grid(), puzzle, v.changed(), style));
        }
        Board.sideBySide(captions, panels, Math.max(1, perRow)).forEach(out::println);
        if (last < s.trace().size()) {
            StepView end = s.trace().get(s.trace().size() - 1);
            out.printf(Locale.ROOT, "step%s %s: no change, confidence %.2f at step %d%n", last + 1 < end.step() ? "s" : "",
                    last + 1 < end.step() ? (last + 1) + "-" + end.step() : Integer.toString(end.step()), Solver.sigmoid(end.qHalt()), end.step());
        }
    }

    /** "step 2: 5 changed, conf 0.91": a trace board's caption. */
    static String caption(StepView v) {
        return String.format(Locale.ROOT, "step %d: %d changed, conf %.2f", v.step(), v.changed().length, Solver.sigmoid(v.qHalt()));
    }

    private static void table(PrintWriter out, List<Row> rows) {
        out.println();
        String header = String.format(Locale.ROOT, "%-2s  %-27s %6s  %-8s %11s %6s %11s %9s %10s", "#", "puzzle", "givens", "model", "cells wrong",
                "steps", "confidence", "model ms", "solver ms");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.printf(Locale.ROOT, "%-2d  %-27s %6d  %-8s %11d %6d %11.3f %9d %10.2f%n", i + 1, r.puzzle(), r.givens(),
                    r.correct() ? "correct" : "WRONG", r.cellsWrong(), r.steps(), r.confidence(), r.modelMillis(), r.solverMillis());
        }
    }

    private static int givens(String digits) {
        int n = 0;
        for (int i = 0; i < digits.length(); i++) if (digits.charAt(i) != '0') n++;
        return n;
    }
}
