package io.github.trm4j.solve;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import io.github.trm4j.data.MazeSolver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The maze part of {@code trm demo}: one maze of the model's size from trm4j's generator (the same
 * every run), the path appearing over the supervision steps (only the steps that changed it), then
 * the answer beside the exact BFS solver's.
 */
final class DemoMaze {
    /** The generator seed of the maze: the demo shows the same maze every run. */
    static final long SEED = 1;
    /** Step boards drawn at most: the first changes and the last one. */
    static final int MAX_FRAMES = 4;

    private DemoMaze() {}

    static Demo.MazeRow run(Solver solver, Board.Style style, int perRow, PrintWriter out) {
        int side = Maze.squareSide(solver.loaded().config().seqLen());
        MazeGenerator.Generated g = new MazeGenerator(MazeGenerator.Settings.forSide(side), SEED).next();
        String puzzle = Maze.text(g.maze().question());
        Solution s = solver.solve(PuzzleKind.MAZE, puzzle, SolveOptions.defaults());
        long t = System.nanoTime();
        MazeSolver.Solution truth = MazeSolver.solve(g.maze()).orElseThrow(); // the generator only keeps mazes with a unique path
        double solverMillis = (System.nanoTime() - t) / 1e6;
        String exact = Maze.text(truth.answer());
        int[] wrong = Solver.changed(exact, s.answer());
        Demo.MazeRow row = new Demo.MazeRow(side, truth.moves(), wrong.length, s.check().valid(), s.stepsUsed(), s.confidence(), s.millis(), solverMillis);

        out.println();
        out.printf(Locale.ROOT, "A maze: %s looks for the way through a %dx%d maze from trm4j's generator (seed %d, shortest path %d moves).%n",
                solver.name(), side, side, SEED, truth.moves());
        out.printf("Its answer after each supervision step that changed it, changed cells %s:%n", style.colour() ? "highlighted" : "marked *");
        frames(out, s, style, perRow);
        out.println();
        out.printf(Locale.ROOT, "%d steps, confidence %.3f, %d ms; check: %s%n", s.stepsUsed(), s.confidence(), s.millis(), s.check().detail());
        if (row.correct()) {
            out.printf(Locale.ROOT, "exact solver (BFS, %.2f ms): the same path, the unique shortest one (%d moves)%n", solverMillis, truth.moves());
        } else {
            out.printf(Locale.ROOT, "exact solver (BFS, %.2f ms): the answer differs from the unique shortest path in %d cells%n", solverMillis, wrong.length);
            Board.sideBySide(List.of("answer: WRONG, " + wrong.length + " cells " + (style.colour() ? "highlighted" : "marked *"),
                    "BFS: shortest path, " + truth.moves() + " moves"), List.of(Board.maze(s.answer(), wrong, style), Board.maze(exact, null, style)),
                    Math.max(2, perRow)).forEach(out::println);
        }
        return row;
    }

    /** The steps that changed the grid (at most {@link #MAX_FRAMES}), then one line for the others. */
    private static void frames(PrintWriter out, Solution s, Board.Style style, int perRow) {
        List<StepView> changed = s.trace().stream().filter(v -> v.changed().length > 0).toList();
        List<StepView> drawn = new ArrayList<>(changed.size() <= MAX_FRAMES ? changed : changed.subList(0, MAX_FRAMES - 1));
        if (changed.size() > MAX_FRAMES) drawn.add(changed.get(changed.size() - 1));
        if (drawn.isEmpty()) drawn.add(s.trace().get(s.trace().size() - 1));
        List<String> captions = new ArrayList<>();
        List<List<String>> panels = new ArrayList<>();
        for (StepView v : drawn) {
            captions.add(Demo.caption(v));
            panels.add(Board.maze(v.grid(), v.changed(), style));
        }
        Board.sideBySide(captions, panels, Math.max(1, perRow)).forEach(out::println);
        List<Integer> unchanged = new ArrayList<>(), notDrawn = new ArrayList<>();
        for (StepView v : s.trace()) {
            if (v.changed().length == 0) unchanged.add(v.step());
            else if (!drawn.contains(v)) notDrawn.add(v.step());
        }
        if (!notDrawn.isEmpty()) out.println(steps(notDrawn) + " also changed the answer (not drawn)");
        if (!unchanged.isEmpty()) out.println(steps(unchanged) + ": no change");
    }

    /** "step 3" or "steps 2, 4-6". */
    static String steps(List<Integer> steps) {
        StringBuilder sb = new StringBuilder(steps.size() == 1 ? "step" : "steps");
        for (int i = 0; i < steps.size(); i++) {
            int j = i;
            while (j + 1 < steps.size() && steps.get(j + 1) == steps.get(j) + 1) j++;
            sb.append(i == 0 ? " " : ", ").append(steps.get(i));
            if (j > i) sb.append(j > i + 1 ? "-" : ", ").append(steps.get(j));
            i = j;
        }
        return sb.toString();
    }
}
