package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChecksTest {
    // Project Euler problem 96, grid 01, and its solution.
    static final String PUZZLE = "003020600900305001001806400008102900700000008006708200002609500800203009005010300";
    static final String SOLUTION = "483921657967345821251876493548132976729564138136798245372689514814253769695417382";

    @Test
    void sudokuSolutionIsValid() {
        Check c = Checks.sudoku(PUZZLE, SOLUTION);
        assertTrue(c.valid());
        assertEquals("rules ok, agrees with 32 givens", c.detail());
    }

    @Test
    void brokenRowIsNamed() {
        // row 2 (index 9..17): swap in a second 9 at column 8, a blank in the puzzle
        String bad = SOLUTION.substring(0, 16) + "9" + SOLUTION.substring(17);
        Check c = Checks.sudoku(PUZZLE, bad);
        assertFalse(c.valid());
        assertEquals("row 2 has two 9s", c.detail());
    }

    @Test
    void disagreeingGivenIsNamed() {
        // the given 3 at row 1, column 3 replaced by a 4: the answer still passes the rules
        String other = "000000000000000000000000000000000000000000000000000000000000000000000000000000000";
        String puzzle = other.substring(0, 2) + "3" + other.substring(3);
        Check c = Checks.sudoku(puzzle, SOLUTION.replace('3', 'x').replace('4', '3').replace('x', '4'));
        assertFalse(c.valid());
        assertEquals("given 3 at row 1, column 3 became 4", c.detail());
    }

    @Test
    void blankCellIsNamed() {
        Check c = Checks.sudoku(PUZZLE, SOLUTION.substring(0, 40) + "0" + SOLUTION.substring(41));
        assertEquals(new Check(false, "row 5, column 5 is blank"), c);
    }

    @Test
    void columnAndBoxConflicts() {
        assertEquals("column 1 has two 5s", Checks.sudokuConflict("5" + "0".repeat(8) + "5" + "0".repeat(71)).orElseThrow());
        assertEquals("box 1 has two 5s", Checks.sudokuConflict("5" + "0".repeat(9) + "5" + "0".repeat(70)).orElseThrow());
        assertTrue(Checks.sudokuConflict(PUZZLE).isEmpty());
    }

    // A 5x5 maze: S top-left, G bottom-right, one corridor.
    static final String MAZE = ""
            + "S  ##"
            + "## ##"
            + "##   "
            + "#### "
            + "####G";
    static final String PATH = ""
            + "Soo##"
            + "##o##"
            + "##ooo"
            + "####o"
            + "####G";

    @Test
    void mazePathIsValidAndShortest() {
        Check c = Checks.maze(MAZE, PATH);
        assertTrue(c.valid(), c.detail());
        assertEquals("path of 7 cells connects S to G, a shortest path", c.detail());
    }

    @Test
    void mazeGapSaysWhereItBreaks() {
        String gap = PATH.substring(0, 12) + " " + PATH.substring(13); // row 3, column 3 left open
        Check c = Checks.maze(MAZE, gap);
        assertFalse(c.valid());
        assertEquals("the path from S breaks after row 2, column 3 (3 cells from S); G at row 5, column 5 is not reached", c.detail());
    }

    @Test
    void mazeWithoutAnyPath() {
        assertEquals(new Check(false, "no path cell 'o' next to S at row 1, column 1"), Checks.maze(MAZE, MAZE));
    }

    @Test
    void mazeWallOverwritten() {
        String bad = PATH.substring(0, 3) + "o" + PATH.substring(4);
        assertEquals(new Check(false, "row 1, column 4: wall '#' became path 'o'"), Checks.maze(MAZE, bad));
    }

    @Test
    void mazeStrayPathCells() {
        String maze = "S    " + "     " + "     " + "     " + "    G";
        String answer = "Soooo" + "    o" + "    o" + "o   o" + "    G";
        Check c = Checks.maze(maze, answer);
        assertFalse(c.valid());
        assertEquals("a path of 7 cells connects S to G, but 1 more cells 'o' are off it (first at row 4, column 1)", c.detail());
    }

    @Test
    void mazeLongerPathIsValidButSaysSo() {
        String maze = "S    " + "     " + "     " + "     " + "    G";
        String detour = "So   " + " o   " + " ooo " + "   oo" + "    G";
        Check c = Checks.maze(maze, detour);
        assertTrue(c.valid(), c.detail());
        assertEquals("path of 7 cells connects S to G, a shortest path", c.detail());
        String snake = "Soooo" + "    o" + "ooooo" + "o    " + "ooooG";
        Check l = Checks.maze(maze, snake);
        assertTrue(l.valid(), l.detail());
        assertEquals("path of 15 cells connects S to G, 8 cells longer than the shortest (7)", l.detail());
    }
}
