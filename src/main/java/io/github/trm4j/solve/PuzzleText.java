package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeCell;
import io.github.trm4j.data.SudokuEncoding;

/**
 * Puzzles as text and as model tokens. Sudoku: 81 characters, '1'..'9' givens and '.' or '0'
 * blanks, tokens digit + 1 (spec 6.2); answers are 81 digits. Maze: a row-major square grid over
 * {@code "# SG"} (answers add 'o'), tokens 1..5 (spec 6.3); a predicted PAD shows as '?'.
 */
final class PuzzleText {
    static final int SUDOKU_CELLS = SudokuEncoding.SEQ_LEN;

    private PuzzleText() {}

    /** The puzzle with blanks as '0': the alphabet of answers and traces. */
    static String sudokuDigits(String puzzle, String field) {
        if (puzzle == null) throw new InputException(field + ": missing (expected 81 characters, '.' or '0' for blanks)");
        if (puzzle.length() != SUDOKU_CELLS)
            throw new InputException(field + ": expected 81 characters ('1'-'9', '.' or '0' for blanks), got " + puzzle.length());
        StringBuilder sb = new StringBuilder(SUDOKU_CELLS);
        for (int i = 0; i < SUDOKU_CELLS; i++) {
            char ch = puzzle.charAt(i);
            if (ch >= '1' && ch <= '9') sb.append(ch);
            else if (ch == '.' || ch == '0') sb.append('0');
            else throw new InputException(field + ": character " + (i + 1) + " (row " + (i / 9 + 1) + ", column " + (i % 9 + 1) + ") is "
                    + printable(ch) + ", not a digit 1-9, '.' or '0'");
        }
        String digits = sb.toString();
        Checks.sudokuConflict(digits).ifPresent(p -> {
            throw new InputException(field + ": the givens already break the rules: " + p);
        });
        return digits;
    }

    /** Tokens of an 81-digit string (0 = blank). */
    static int[] sudokuTokens(String digits) {
        int[] t = new int[SUDOKU_CELLS];
        for (int i = 0; i < SUDOKU_CELLS; i++) t[i] = digits.charAt(i) - '0' + 1;
        return t;
    }

    /** 81 digits of predicted tokens; PAD and blank both read 0. */
    static String sudokuOf(int[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int t : tokens) sb.append((char) ('0' + Math.max(0, Math.min(9, t - 1))));
        return sb.toString();
    }

    /** Checks a maze question of {@code cells} characters (one S, one G, "# SG" only). */
    static String maze(String puzzle, int cells, String field) {
        if (puzzle == null) throw new InputException(field + ": missing (expected a maze of " + cells + " characters)");
        int side = Maze.squareSide(cells);
        if (puzzle.length() != cells) {
            int given = Maze.squareSide(puzzle.length());
            if (given > 1)
                throw new InputException(field + ": a " + given + "x" + given + " maze, but the model solves " + side + "x" + side
                        + " mazes (seq_len " + cells + ")");
            throw new InputException(field + ": expected " + cells + " characters (a " + side + "x" + side + " maze over '# SG'), got " + puzzle.length());
        }
        try {
            Maze.of(Maze.parseGrid(puzzle, field));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new InputException(m.startsWith(field) ? m : field + ": " + m);
        }
        return puzzle;
    }

    static int[] mazeTokens(String maze) {
        int[] t = new int[maze.length()];
        for (int i = 0; i < t.length; i++) t[i] = MazeCell.ofSymbol(maze.charAt(i)).token();
        return t;
    }

    /** The grid of predicted tokens over "# SGo"; PAD (or anything else) shows as '?'. */
    static String mazeOf(int[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int t : tokens) {
            MazeCell c = MazeCell.ofToken(t);
            sb.append(c == null ? '?' : c.symbol());
        }
        return sb.toString();
    }

    static String printable(char ch) {
        return ch < 0x20 || ch == 0x7F ? String.format("U+%04X", (int) ch) : "'" + ch + "'";
    }
}
