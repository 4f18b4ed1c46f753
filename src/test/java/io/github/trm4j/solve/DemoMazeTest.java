package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import io.github.trm4j.data.MazeSolver;
import io.github.trm4j.model.Backend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's maze part on the shipped maze model: the drawn steps, and a verdict that is BFS's. */
class DemoMazeTest {
    @Test
    void showsTheStepsThatChangedTheAnswerAndComparesWithBfs() {
        Backend.init();
        Solver solver = ShippedModel.MAZE.solver(null);
        StringWriter text = new StringWriter();
        Demo.MazeRow row = DemoMaze.run(solver, Board.Style.PLAIN, 2, new PrintWriter(text, true));
        String out = text.toString();

        MazeGenerator.Generated g = new MazeGenerator(MazeGenerator.Settings.forSide(11), DemoMaze.SEED).next();
        assertEquals(11, row.side());
        assertEquals(g.moves(), row.moves());
        assertTrue(row.moves() > 16, "moves " + row.moves());
        assertEquals(MazeSolver.solve(g.maze()).orElseThrow().moves(), row.moves());
        // the verdict is the exact solver's: a cell count of 0 means the model drew the very BFS path
        Solution s = solver.solve(PuzzleKind.MAZE, Maze.text(g.maze().question()), SolveOptions.defaults());
        assertEquals(Solver.changed(Maze.text(MazeSolver.solve(g.maze()).orElseThrow().answer()), s.answer()).length, row.cellsWrong());
        assertEquals(row.correct(), out.contains("the same path, the unique shortest one"), out);
        assertEquals(!row.correct(), out.contains("answer: WRONG, " + row.cellsWrong() + " cells marked *"), out);
        assertEquals(solver.loaded().config().supervisionSteps(), row.steps());

        // every step that changed the answer is drawn (up to MAX_FRAMES) or listed; the others are listed as no change
        long changed = s.trace().stream().filter(v -> v.changed().length > 0).count();
        long drawn = s.trace().stream().filter(v -> out.contains(Demo.caption(v))).count();
        assertEquals(Math.max(1, Math.min(changed, DemoMaze.MAX_FRAMES)), drawn, out);
        assertEquals(changed < s.trace().size(), out.contains(": no change\n"), out);
    }

    @Test
    void stepListsFoldRuns() {
        assertEquals("step 3", DemoMaze.steps(List.of(3)));
        assertEquals("steps 2, 3", DemoMaze.steps(List.of(2, 3)));
        assertEquals("steps 1, 4-6, 8", DemoMaze.steps(List.of(1, 4, 5, 6, 8)));
    }
}
