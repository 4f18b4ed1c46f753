package io.github.trm4j.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real Sudoku files: {@code ../shared/data/sudoku} from the repo root, else {@code /work/shared/data/sudoku}. */
final class SudokuTestData {
    private SudokuTestData() {}

    static Path file(String name) {
        for (Path dir : new Path[] {Path.of("..", "shared", "data", "sudoku"), Path.of("/work/shared/data/sudoku")}) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) return f;
        }
        assumeTrue(false, "shared Sudoku data not found: " + name);
        return null;
    }

    /** One row of magictour_top1465_solved.csv (puzzle and solution). */
    static final String QUESTION = "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";
    static final String ANSWER = "468931527751624839392578461134756298289413675675289314846192753513867942927345186";

    static Grid grid(String line) {
        byte[] cells = new byte[81];
        for (int i = 0; i < 81; i++) {
            char ch = line.charAt(i);
            cells[i] = (byte) (ch == '.' ? 0 : ch - '0');
        }
        return Grid.of(9, 9, cells);
    }
}
