package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import java.util.Locale;

/** What a model solves, judged from its vocabulary and sequence length. */
public enum PuzzleKind {
    /** 9×9 Sudoku: vocab 11, 81 cells. */
    SUDOKU,
    /** Maze-Hard: vocab 6, a square grid (30×30 = 900 cells). */
    MAZE,
    /** ARC-AGI: vocab 12 on a 30×30 canvas; a task is known only through its trained puzzle embedding. */
    ARC;

    /** Lower-case name, as the REST API and the outputs write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code sudoku|maze|arc} (any case); {@code field} names the flag or JSON field in the error. */
    public static PuzzleKind parse(String name, String field) {
        if (name != null) {
            for (PuzzleKind k : values()) if (k.label().equals(name.toLowerCase(Locale.ROOT))) return k;
        }
        throw new InputException(field + ": expected sudoku, maze or arc, got " + (name == null ? "nothing" : "'" + name + "'"));
    }
}
