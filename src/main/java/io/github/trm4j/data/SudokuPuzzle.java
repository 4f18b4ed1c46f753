package io.github.trm4j.data;

import java.util.Optional;

/**
 * A 9×9 Sudoku: the question (0 = blank, 1..9 = given) and, when known, its full solution.
 * Both are 9×9 {@link Grid}s. The constructor checks shapes and value ranges only; whether the
 * answer is a valid solution that agrees with the givens is {@link #answerProblem()}.
 */
public record SudokuPuzzle(Grid question, Grid answer) {
    public static final int SIDE = 9;
    public static final int CELLS = 81;

    public SudokuPuzzle {
        checkShape(question, "question", 0);
        if (answer != null) checkShape(answer, "answer", 1);
    }

    public static SudokuPuzzle of(Grid question) {
        return new SudokuPuzzle(question, null);
    }

    /** Row-major cells, one character each: digits for givens, {@code blank} for 0. */
    public static String toLine(Grid g, char blank) {
        StringBuilder sb = new StringBuilder(CELLS);
        for (int i = 0; i < CELLS; i++) {
            int v = g.get(i / SIDE, i % SIDE);
            sb.append(v == 0 ? blank : (char) ('0' + v));
        }
        return sb.toString();
    }

    public boolean hasAnswer() {
        return answer != null;
    }

    /** Number of given (non-blank) cells. */
    public int givens() {
        int n = 0;
        for (int i = 0; i < CELLS; i++) if (question.get(i / SIDE, i % SIDE) != 0) n++;
        return n;
    }

    /**
     * Why the answer is unusable, or empty when it is a valid solution that keeps every given.
     * Also empty when there is no answer.
     */
    public Optional<String> answerProblem() {
        if (answer == null) return Optional.empty();
        Optional<String> invalid = solutionProblem(answer);
        if (invalid.isPresent()) return invalid;
        for (int i = 0; i < CELLS; i++) {
            int q = question.get(i / SIDE, i % SIDE);
            int a = answer.get(i / SIDE, i % SIDE);
            if (q != 0 && q != a)
                return Optional.of("given " + q + " at row " + (i / SIDE + 1) + ", column " + (i % SIDE + 1) + " contradicts the answer's " + a);
        }
        return Optional.empty();
    }

    /** Why {@code g} is not a complete valid Sudoku grid, or empty when it is one. */
    public static Optional<String> solutionProblem(Grid g) {
        for (int unit = 0; unit < 27; unit++) {
            int seen = 0;
            for (int k = 0; k < SIDE; k++) {
                int cell = unitCell(unit, k);
                int v = g.get(cell / SIDE, cell % SIDE);
                if (v < 1 || v > 9) return Optional.of("answer has no digit at row " + (cell / SIDE + 1) + ", column " + (cell % SIDE + 1));
                if ((seen & (1 << v)) != 0) return Optional.of("answer repeats " + v + " in " + unitName(unit));
                seen |= 1 << v;
            }
        }
        return Optional.empty();
    }

    /** Cell index of the k-th cell of unit u: units 0..8 are rows, 9..17 columns, 18..26 boxes. */
    static int unitCell(int unit, int k) {
        if (unit < 9) return unit * SIDE + k;
        if (unit < 18) return k * SIDE + (unit - 9);
        int box = unit - 18;
        return (box / 3 * 3 + k / 3) * SIDE + box % 3 * 3 + k % 3;
    }

    private static String unitName(int unit) {
        if (unit < 9) return "row " + (unit + 1);
        if (unit < 18) return "column " + (unit - 8);
        return "box " + (unit - 17);
    }

    private static void checkShape(Grid g, String what, int minValue) {
        if (g == null) throw new IllegalArgumentException(what + " is missing");
        if (g.height() != SIDE || g.width() != SIDE) throw new IllegalArgumentException(what + " must be 9x9, got " + g.height() + "x" + g.width());
        for (int i = 0; i < CELLS; i++) {
            int v = g.get(i / SIDE, i % SIDE);
            if (v < minValue || v > 9) throw new IllegalArgumentException(what + " cell " + i + " = " + v + " is out of " + minValue + "..9");
        }
    }
}
