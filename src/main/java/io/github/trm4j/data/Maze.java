package io.github.trm4j.data;

import java.util.Optional;

/**
 * One maze: a square question grid with one start and one goal, and optionally its answer, the same
 * grid with the cells strictly between start and goal on the shortest path marked {@code o}.
 * Grids hold {@link MazeCell} tokens (1..5), so {@link Grid#toIntArray()} is the model's encoding.
 *
 * <p>The constructor checks the shape and the characters; whether the answer's path is a shortest
 * path is checked by {@link MazeSolver#checkAnswer(Maze)}, which needs a search.
 */
public record Maze(Grid question, Optional<Grid> answer) {

    public Maze {
        int side = question.height();
        if (question.width() != side) throw new IllegalArgumentException("question is " + side + "x" + question.width() + ", not square");
        int starts = 0, goals = 0;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                MazeCell cell = MazeCell.ofToken(question.get(r, c));
                if (cell == null || cell == MazeCell.PATH)
                    throw new IllegalArgumentException("question cell (" + r + "," + c + ") holds token " + question.get(r, c) + ", not one of # space S G");
                if (cell == MazeCell.START) starts++;
                if (cell == MazeCell.GOAL) goals++;
            }
        }
        if (starts != 1) throw new IllegalArgumentException("question has " + starts + " start cells 'S', expected exactly 1");
        if (goals != 1) throw new IllegalArgumentException("question has " + goals + " goal cells 'G', expected exactly 1");
        answer.ifPresent(a -> checkAgrees(question, a));
    }

    /** A maze without answer. */
    public static Maze of(Grid question) {
        return new Maze(question, Optional.empty());
    }

    public static Maze of(Grid question, Grid answer) {
        return new Maze(question, Optional.of(answer));
    }

    /** Parses the row-major question and answer strings ({@code answer} may be empty for none). */
    public static Maze parse(String question, String answer) {
        Grid q = parseGrid(question, "question");
        return answer.isEmpty() ? of(q) : of(q, parseGrid(answer, "answer"));
    }

    /** The side of a square grid of {@code cells} cells; 0 when {@code cells} is not a square number. */
    public static int squareSide(int cells) {
        int side = (int) Math.round(Math.sqrt(cells));
        return side * side == cells ? side : 0;
    }

    /**
     * A row-major string over {@code "# SGo"} as a square grid of tokens; side = sqrt(length).
     * Errors name {@code field} and the offending row and column.
     */
    public static Grid parseGrid(String text, String field) {
        int n = text.length();
        int side = (int) Math.round(Math.sqrt(n));
        if (n == 0) throw new IllegalArgumentException(field + " is empty");
        if (side * side != n) throw new IllegalArgumentException(field + " has " + n + " characters, not a square number (side = sqrt(length))");
        byte[] cells = new byte[n];
        for (int i = 0; i < n; i++) {
            MazeCell cell = MazeCell.ofSymbol(text.charAt(i));
            if (cell == null)
                throw new IllegalArgumentException(field + " has bad character " + quote(text.charAt(i)) + " at row " + i / side + ", column " + i % side
                        + " (allowed: '#', ' ', 'S', 'G', 'o')");
            cells[i] = (byte) cell.token();
        }
        return Grid.of(side, side, cells);
    }

    /** The grid as its row-major string over {@code "# SGo"}. */
    public static String text(Grid g) {
        StringBuilder sb = new StringBuilder(g.height() * g.width());
        for (int r = 0; r < g.height(); r++) for (int c = 0; c < g.width(); c++) sb.append(MazeCell.ofToken(g.get(r, c)).symbol());
        return sb.toString();
    }

    public int side() {
        return question.height();
    }

    /** Row-major index of the only {@code S}. */
    public int start() {
        return indexOf(MazeCell.START);
    }

    /** Row-major index of the only {@code G}. */
    public int goal() {
        return indexOf(MazeCell.GOAL);
    }

    /** This maze with {@code answer} (checked like the constructor). */
    public Maze withAnswer(Grid answer) {
        return of(question, answer);
    }

    private int indexOf(MazeCell cell) {
        int side = side();
        for (int i = 0; i < side * side; i++) if (question.get(i / side, i % side) == cell.token()) return i;
        throw new IllegalStateException("checked in the constructor");
    }

    /** The answer may differ from the question only by open cells that became path cells. */
    private static void checkAgrees(Grid question, Grid answer) {
        if (answer.height() != question.height() || answer.width() != question.width())
            throw new IllegalArgumentException("answer is " + answer.height() + "x" + answer.width() + " but question is "
                    + question.height() + "x" + question.width());
        for (int r = 0; r < question.height(); r++) {
            for (int c = 0; c < question.width(); c++) {
                int q = question.get(r, c), a = answer.get(r, c);
                if (a == q) continue;
                if (q == MazeCell.OPEN.token() && a == MazeCell.PATH.token()) continue;
                throw new IllegalArgumentException("answer differs from question at row " + r + ", column " + c + ": "
                        + quote(MazeCell.ofToken(q).symbol()) + " became " + quote(MazeCell.ofToken(a).symbol())
                        + " (only open cells may become path 'o')");
            }
        }
    }

    private static String quote(char c) {
        return c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
