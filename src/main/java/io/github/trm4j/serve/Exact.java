package io.github.trm4j.serve;

import io.github.trm4j.data.Grid;
import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeSolver;
import io.github.trm4j.data.SudokuSolver;
import io.github.trm4j.solve.PuzzleKind;
import java.util.Optional;

/**
 * The exact solver's answer beside the model's, so the page can show whether they agree.
 *
 * @param answer the exact solution in the puzzle's alphabet, or null when there is none
 * @param agrees the model's answer equals {@code answer}
 * @param detail one line: "unique solution", "2+ solutions: ...", "no solution", "unique shortest path of 57 moves"
 */
record Exact(String answer, boolean agrees, String detail) {

    static Exact of(PuzzleKind kind, String puzzle, String modelAnswer) {
        return switch (kind) {
            case SUDOKU -> sudoku(puzzle, modelAnswer);
            case MAZE -> maze(puzzle, modelAnswer);
            case ARC -> throw new IllegalArgumentException("ARC has no exact solver");
        };
    }

    private static Exact sudoku(String puzzle, String modelAnswer) {
        byte[] cells = new byte[81];
        for (int i = 0; i < 81; i++) {
            char c = puzzle.charAt(i);
            cells[i] = (byte) (c == '.' ? 0 : c - '0');
        }
        // One solver per call: SudokuSolver is not thread-safe and cheap to make.
        SudokuSolver.Result r = new SudokuSolver().solve(Grid.of(9, 9, cells));
        if (r.status() == SudokuSolver.Status.NONE) return new Exact(null, false, "no solution: the givens contradict each other");
        StringBuilder sb = new StringBuilder(81);
        for (byte b : r.solution().cells()) sb.append((char) ('0' + b));
        String answer = sb.toString();
        String detail = r.status() == SudokuSolver.Status.UNIQUE ? "unique solution" : "more than one solution; this is one of them";
        return new Exact(answer, answer.equals(modelAnswer), detail);
    }

    private static Exact maze(String puzzle, String modelAnswer) {
        Optional<MazeSolver.Solution> s = MazeSolver.solve(Maze.of(Maze.parseGrid(puzzle, "puzzle")));
        if (s.isEmpty()) return new Exact(null, false, "no path: G cannot be reached from S");
        String answer = Maze.text(s.get().answer());
        String detail = (s.get().unique() ? "unique shortest path of " : "one of several shortest paths of ") + s.get().moves() + " moves";
        return new Exact(answer, answer.equals(modelAnswer), detail);
    }
}
