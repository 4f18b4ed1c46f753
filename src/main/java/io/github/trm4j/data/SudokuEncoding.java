package io.github.trm4j.data;

/**
 * Sudoku tokens (spec 6.2): cell value v (0 blank, 1..9) becomes token v + 1, row-major, so token
 * 0 is PAD (never produced), 1 is blank and 2..10 are the digits. Inputs encode the question,
 * labels the full solution (givens included: all 81 positions are supervised).
 */
public final class SudokuEncoding {
    public static final int VOCAB_SIZE = 11;
    public static final int SEQ_LEN = SudokuPuzzle.CELLS;

    private SudokuEncoding() {}

    /** (81,) tokens v + 1 of a 9×9 grid of values 0..9. */
    public static byte[] encode(Grid g) {
        return encode(g.cells());
    }

    /** (81,) tokens of (81,) row-major values 0..9; the array is not modified. */
    public static byte[] encode(byte[] cells) {
        if (cells.length != SEQ_LEN) throw new IllegalArgumentException("a Sudoku grid has 81 cells, got " + cells.length);
        byte[] tokens = new byte[SEQ_LEN];
        for (int i = 0; i < SEQ_LEN; i++) {
            if (cells[i] < 0 || cells[i] > 9) throw new IllegalArgumentException("cell " + i + " = " + (cells[i] & 0xFF) + " is out of 0..9");
            tokens[i] = (byte) (cells[i] + 1);
        }
        return tokens;
    }

    /** The 9×9 grid of (81,) tokens; PAD (0) and blank (1) both decode to 0, so predictions always decode. */
    public static Grid decode(int[] tokens) {
        if (tokens.length != SEQ_LEN) throw new IllegalArgumentException("a Sudoku sequence has 81 tokens, got " + tokens.length);
        byte[] cells = new byte[SEQ_LEN];
        for (int i = 0; i < SEQ_LEN; i++) {
            int t = tokens[i];
            if (t < 0 || t >= VOCAB_SIZE) throw new IllegalArgumentException("token " + i + " = " + t + " is outside vocab_size " + VOCAB_SIZE);
            cells[i] = (byte) Math.max(0, t - 1);
        }
        return Grid.of(SudokuPuzzle.SIDE, SudokuPuzzle.SIDE, cells);
    }
}
