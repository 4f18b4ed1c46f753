package io.github.trm4j.data;

import static io.github.trm4j.data.MazeTest.A;
import static io.github.trm4j.data.MazeTest.Q;
import static io.github.trm4j.data.MazeTest.assertMessage;
import static io.github.trm4j.data.MazeTest.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MazeSolverTest {
    @Test
    void findsTheUniqueShortestPathAndMarksOnlyTheCellsBetween() {
        MazeSolver.Solution s = MazeSolver.solve(Maze.parse(Q, "")).orElseThrow();
        assertEquals(12, s.moves());
        assertTrue(s.unique());
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 13, 12, 11, 16, 21, 22, 23, 24}, s.path());
        assertEquals(A, Maze.text(s.answer()));
    }

    @Test
    void aLongerDetourDoesNotBreakUniqueness() {
        // Two routes from S to G: 2 moves straight across the top, 6 moves around the bottom.
        String q = rows(
                "S G",
                " # ",
                "   ");
        MazeSolver.Solution s = MazeSolver.solve(Maze.parse(q, "")).orElseThrow();
        assertEquals(2, s.moves());
        assertTrue(s.unique());
        assertEquals(rows("SoG", " # ", "   "), Maze.text(s.answer()));
    }

    @Test
    void tiesAreReportedAsNotUnique() {
        String q = rows(
                "S  ",
                " # ",
                "  G");
        MazeSolver.Solution s = MazeSolver.solve(Maze.parse(q, "")).orElseThrow();
        assertEquals(4, s.moves());
        assertFalse(s.unique());
        MazeSolver.checkAnswer(Maze.parse(q, Maze.text(s.answer())));
        // The other shortest path is accepted by the reader too.
        MazeSolver.checkAnswer(Maze.parse(q, rows("S  ", "o# ", "ooG")));
        MazeSolver.checkAnswer(Maze.parse(q, rows("Soo", " #o", "  G")));
    }

    @Test
    void adjacentStartAndGoalHaveNoPathCells() {
        MazeSolver.Solution s = MazeSolver.solve(Maze.parse("SG  ", "")).orElseThrow();
        assertEquals(1, s.moves());
        assertTrue(s.unique());
        assertEquals("SG  ", Maze.text(s.answer()));
    }

    @Test
    void unreachableGoalHasNoSolution() {
        assertTrue(MazeSolver.solve(Maze.parse(rows("S# ", "## ", "  G"), "")).isEmpty());
    }

    @Test
    void rejectsAnswersThatAreNotAShortestPath() {
        assertMessage("answer has 10 path cells 'o' but the shortest path from S to G has 11 (12 moves)", () -> MazeSolver.checkAnswer(Maze.parse(Q, A.replace("#oooG", "# ooG"))));
        assertMessage("answer has 2 path cells 'o' but the shortest path from S to G has 1", () -> MazeSolver.checkAnswer(Maze.parse(rows("S G", " # ", "   "), rows("SoG", "o# ", "   "))));
        // Right count, but not connected: a gap and a stray cell.
        assertMessage("do not connect S to G", () -> MazeSolver.checkAnswer(Maze.parse(rows("S G", " # ", "   "), rows("S G", " # ", "o  "))));
        assertMessage("G cannot be reached", () -> MazeSolver.checkAnswer(Maze.parse(rows("S# ", "## ", "  G"), rows("S# ", "##o", "  G"))));
        MazeSolver.checkAnswer(Maze.parse(Q, "")); // nothing to check
    }
}
