package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Symmetries of every puzzle kind: apply then undo is the identity, and a symmetric copy of a valid answer stays valid. */
class SymmetryTest {
    static final String SOLUTION = "483921657967345821251876493548132976729564138136798245372689514814253769695417382";

    @Test
    void sudokuCopiesRoundTripAndKeepTheRules() {
        int[] puzzle = PuzzleText.sudokuTokens(ChecksTest.PUZZLE);
        int[] answer = PuzzleText.sudokuTokens(SOLUTION);
        List<Symmetry> all = Symmetry.of(PuzzleKind.SUDOKU, 32, 81, 5);
        assertEquals(32, all.size());
        assertEquals("identity", all.get(0).describe());
        assertArrayEquals(puzzle, all.get(0).apply(puzzle));
        assertTrue(Checks.valid(PuzzleKind.SUDOKU, puzzle, answer));
        for (Symmetry s : all) {
            assertArrayEquals(puzzle, s.undo(s.apply(puzzle)), s.describe());
            assertArrayEquals(answer, s.undo(s.apply(answer)), s.describe());
            assertArrayEquals(answer, s.apply(s.undo(answer)), s.describe());
            int[] q = s.apply(puzzle), a = s.apply(answer);
            assertTrue(Checks.valid(PuzzleKind.SUDOKU, q, a), "the copy's answer solves the copy: " + s.describe());
        }
        assertFalse(Arrays.equals(all.get(1).apply(puzzle), puzzle));
        assertEquals(Symmetry.of(PuzzleKind.SUDOKU, 8, 81, 5), Symmetry.of(PuzzleKind.SUDOKU, 8, 81, 5), "seeded");
    }

    @Test
    void mazeCopiesAreTheEightDihedralMaps() {
        Maze maze = new MazeGenerator(new MazeGenerator.Settings(9, 4, 2), 3).next().maze();
        int[] q = PuzzleText.mazeTokens(Maze.text(maze.question()));
        int[] a = PuzzleText.mazeTokens(Maze.text(maze.answer().orElseThrow()));
        List<Symmetry> all = Symmetry.of(PuzzleKind.MAZE, 8, q.length, 0);
        for (Symmetry s : all) {
            assertArrayEquals(q, s.undo(s.apply(q)), s.describe());
            assertArrayEquals(a, s.undo(s.apply(a)), s.describe());
            assertTrue(Checks.valid(PuzzleKind.MAZE, s.apply(q), s.apply(a)), s.describe());
        }
        assertEquals("identity", all.get(0).describe());
        assertEquals("augment: a maze has 8 symmetries, got 9",
                assertThrows(InputException.class, () -> Symmetry.of(PuzzleKind.MAZE, 9, q.length, 0)).getMessage());
    }

    @Test
    void otherKindsOnlyHaveTheIdentity() {
        int[] t = {1, 2, 3};
        assertArrayEquals(t, Symmetry.of(PuzzleKind.ARC, 1, 3, 0).get(0).undo(t));
        assertEquals("augment: only for Sudoku and maze puzzles",
                assertThrows(InputException.class, () -> Symmetry.of(PuzzleKind.ARC, 2, 3, 0)).getMessage());
    }
}
