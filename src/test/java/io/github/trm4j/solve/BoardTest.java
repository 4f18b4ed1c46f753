package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoardTest {
    @Test
    void plainSudokuMarksCellsWithBrackets() {
        List<String> lines = Board.sudoku(ChecksTest.SOLUTION, ChecksTest.PUZZLE, new int[] {0, 80}, Board.Style.PLAIN);
        assertEquals(11, lines.size());
        assertEquals("[4] 8  3 | 9  2  1 | 6  5  7 ", lines.get(0)); // every line 29 wide
        assertEquals("---------+---------+---------", lines.get(3));
        assertEquals(" 6  9  5 | 4  1  7 | 3  8 [2]", lines.get(10));
        assertEquals(" .  .  3 | .  2  . | 6  .  .", Board.sudoku(ChecksTest.PUZZLE, null, null, Board.Style.PLAIN).get(0).stripTrailing());
    }

    @Test
    void colourMarksWithoutChangingTheWidth() {
        Board.Style colour = new Board.Style(true, true);
        List<String> lines = Board.sudoku(ChecksTest.SOLUTION, ChecksTest.PUZZLE, new int[] {0}, colour);
        assertEquals(29, Board.visibleWidth(lines.get(0)));
        assertEquals(29, Board.visibleWidth(lines.get(3)));
    }

    @Test
    void mazeMarksWithAStar() {
        List<String> lines = Board.maze(ChecksTest.PATH, new int[] {1}, Board.Style.PLAIN);
        assertEquals(List.of("S o*o ####", "####o ####", "####o o o ", "########o ", "########G "), lines);
    }

    @Test
    void panelsSideBySideAlignOnVisibleWidth() {
        List<String> out = Board.sideBySide(List.of("a", "b", "c"), List.of(List.of("\033[1mxy\033[0m"), List.of("long line"), List.of("z")), 2);
        assertEquals(List.of("a           b", "\033[1mxy\033[0m          long line", "", "c", "z"), out);
    }
}
