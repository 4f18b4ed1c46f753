package io.github.trm4j.serve;

import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Solution;
import io.github.trm4j.solve.SolveOptions;

/**
 * One model the server offers: a {@link io.github.trm4j.solve.Solver} in production
 * ({@link Models#load}); tests pass slow or failing fakes to exercise the limits.
 */
interface Engine {
    /** The name clients pick it by ({@code "model"} in a request). */
    String name();

    /** What it solves. */
    PuzzleKind kind();

    /** Cells of one puzzle (Sudoku 81, 30×30 maze 900). */
    int cells();

    /** Its configuration and provenance, for {@code GET /api/models}. */
    Models.Info info();

    /** Thread-safe; InputException on a puzzle the model cannot take. */
    Solution solve(PuzzleKind kind, String puzzle, SolveOptions options);
}
