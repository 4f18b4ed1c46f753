package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MazeTest {
    /** Rows joined into the row-major string of the CSV. */
    static String rows(String... rows) {
        return String.join("", rows);
    }

    // 5x5, one corridor from S (0,0) to G (4,4): 12 moves, 11 cells between.
    static final String Q = rows(
            "S   #",
            "### #",
            "#   #",
            "# ###",
            "#   G");
    static final String A = rows(
            "Sooo#",
            "###o#",
            "#ooo#",
            "#o###",
            "#oooG");

    @Test
    void squareSideIsTheSideOfSquareNumbersOnly() {
        assertEquals(11, Maze.squareSide(121));
        assertEquals(30, Maze.squareSide(900));
        assertEquals(1, Maze.squareSide(1));
        assertEquals(0, Maze.squareSide(120));
        assertEquals(0, Maze.squareSide(122));
        assertEquals(0, Maze.squareSide(0));
    }

    @Test
    void encodesCharactersAsSpecTokens() {
        // Spec 6.3: PAD 0, '#' 1, ' ' 2, 'S' 3, 'G' 4, 'o' 5; vocab 6.
        Grid q = Maze.parseGrid("# SG", "question");
        assertEquals(2, q.height());
        assertArrayEquals(new int[] {1, 2, 3, 4}, q.toIntArray());
        assertArrayEquals(new int[] {5}, Maze.parseGrid("o", "answer").toIntArray());
        assertEquals(6, MazeCell.VOCAB_SIZE);
        assertEquals("# SGo", MazeCell.CHARSET);
        Maze m = Maze.parse(Q, A);
        assertEquals(5, m.side());
        assertEquals(Q, Maze.text(m.question()));
        assertEquals(A, Maze.text(m.answer().orElseThrow()));
        assertEquals(0, m.start());
        assertEquals(24, m.goal());
    }

    @Test
    void rejectsMalformedGrids() {
        assertMessage("has 24 characters, not a square number", () -> Maze.parseGrid(Q.substring(1), "question"));
        assertMessage("bad character 'x' at row 1, column 2", () -> Maze.parseGrid(Q.substring(0, 7) + "x" + Q.substring(8), "question"));
        assertMessage("question is empty", () -> Maze.parseGrid("", "question"));
        assertMessage("2 start cells", () -> Maze.parse(Q.replace('G', 'S'), ""));
        assertMessage("0 goal cells", () -> Maze.parse(Q.replace('G', ' '), ""));
        assertMessage("holds token 5", () -> Maze.parse(Q.replace("S   ", "Soo "), ""));
        assertMessage("answer differs from question at row 0, column 4: '#' became 'o'", () -> Maze.parse(Q, "Soooo" + A.substring(5)));
        assertMessage("answer is 2x2 but question is 5x5", () -> Maze.parse(Q, "S  G"));
    }

    @Test
    void answerIsOptional() {
        Maze m = Maze.parse(Q, "");
        assertEquals(Optional.empty(), m.answer());
        assertTrue(m.withAnswer(Maze.parseGrid(A, "answer")).answer().isPresent());
    }

    @Test
    void dihedralAugmentationRoundTripsAndKeepsTheMazeValid() {
        Maze m = Maze.parse(Q, A);
        for (MazeAugmentation a : MazeAugmentation.ALL) {
            Maze t = a.apply(m);
            assertEquals(m, a.inverse().apply(t), a.toString());
            MazeSolver.checkAnswer(t); // still the question plus its shortest path
            MazeSolver.Solution s = MazeSolver.solve(t).orElseThrow();
            assertEquals(12, s.moves());
            assertEquals(t.answer().orElseThrow(), s.answer());
        }
        assertEquals(8, MazeAugmentation.ALL.size());
        assertEquals(Dihedral.ROT90, MazeAugmentation.ALL.get(1).dihedral());
        assertEquals(Maze.parse(Q, ""), new MazeAugmentation(Dihedral.TRANSPOSE).apply(new MazeAugmentation(Dihedral.TRANSPOSE).apply(Maze.parse(Q, ""))));
        assertFalse(MazeAugmentation.ALL.get(1).apply(m).equals(m));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }
}
