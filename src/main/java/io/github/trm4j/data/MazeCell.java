package io.github.trm4j.data;

/**
 * The characters of a Maze-Hard grid and their tokens (spec 6.3): PAD is 0, so the vocabulary is 6.
 * {@code PATH} appears only in answers.
 */
public enum MazeCell {
    WALL('#', 1), OPEN(' ', 2), START('S', 3), GOAL('G', 4), PATH('o', 5);

    /** Tokens 0..5: PAD plus the five cells. */
    public static final int VOCAB_SIZE = 6;
    /** The characters in token order, as the official builder's {@code CHARSET}. */
    public static final String CHARSET = "# SGo";

    private static final MazeCell[] BY_TOKEN = {null, WALL, OPEN, START, GOAL, PATH};

    private final char symbol;
    private final int token;

    MazeCell(char symbol, int token) {
        this.symbol = symbol;
        this.token = token;
    }

    public char symbol() {
        return symbol;
    }

    public int token() {
        return token;
    }

    /** The cell written as {@code c}, or null if {@code c} is not one of {@link #CHARSET}. */
    public static MazeCell ofSymbol(char c) {
        int i = CHARSET.indexOf(c);
        return i < 0 ? null : BY_TOKEN[i + 1];
    }

    /** The cell with token 1..5; PAD (0) and anything else give null. */
    public static MazeCell ofToken(int token) {
        return token >= 1 && token <= 5 ? BY_TOKEN[token] : null;
    }

    /** Whether a walker can stand here (everything but a wall). */
    public boolean passable() {
        return this != WALL;
    }
}
