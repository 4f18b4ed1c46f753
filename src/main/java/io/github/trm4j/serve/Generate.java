package io.github.trm4j.serve;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeGenerator;
import io.github.trm4j.data.SudokuGenerator;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.solve.PuzzleKind;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code GET /api/generate?kind=sudoku&givens=30[&seed=N]} and {@code ?kind=maze[&size=15][&seed=N]}: a
 * fresh puzzle from the project's generators, never a file. A maze has the size of the default maze
 * model unless {@code size} says otherwise, and a shortest path as in trm4j's data
 * ({@link MazeGenerator.Settings#forSide}).
 *
 * @param puzzle the question in the API's alphabet (Sudoku '.' for blanks; maze "# SG")
 * @param givens Sudoku clues (0 for a maze)
 * @param moves the maze's shortest path (0 for a Sudoku)
 */
record Generate(String kind, String puzzle, int givens, int moves, long seed) {
    /** Fewer than 22 clues take the generator seconds or fail (random minimal puzzles have about 20-27). */
    static final int MIN_GIVENS = 22;
    static final int MAX_GIVENS = 80;
    static final int DEFAULT_GIVENS = 30;
    /** The paper's Maze-Hard side, the maze size when no maze model is loaded. */
    static final int MAZE_HARD_SIDE = 30;
    /** Maze sides the server generates: from the smallest with room for a path to twice Maze-Hard's. */
    static final int MIN_MAZE_SIDE = 7;
    static final int MAX_MAZE_SIDE = 60;

    /**
     * Checked query parameters (each null when absent), then the job to run on a worker;
     * {@code mazeSide} is the maze size when {@code size} is absent.
     */
    static java.util.concurrent.Callable<Generate> job(String kindParam, String givensParam, String sizeParam, String seedParam, int mazeSide) {
        PuzzleKind kind = kind(kindParam);
        long seed = seedParam == null ? ThreadLocalRandom.current().nextLong() : parseLong("seed", seedParam);
        if (kind == PuzzleKind.MAZE) {
            if (givensParam != null) throw ApiError.badField("givens", "only for kind=sudoku");
            long side = sizeParam == null ? mazeSide : parseLong("size", sizeParam);
            if (side < MIN_MAZE_SIDE || side > MAX_MAZE_SIDE)
                throw ApiError.badField("size", "expected an integer " + MIN_MAZE_SIDE + ".." + MAX_MAZE_SIDE + " (the maze's side), got " + side);
            return () -> maze((int) side, seed);
        }
        if (sizeParam != null) throw ApiError.badField("size", "only for kind=maze");
        int givens = givensParam == null ? DEFAULT_GIVENS : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parseLong("givens", givensParam)));
        if (givens < MIN_GIVENS || givens > MAX_GIVENS)
            throw ApiError.badField("givens", "expected an integer " + MIN_GIVENS + ".." + MAX_GIVENS + ", got " + givens
                    + " (fewer clues take the generator too long; random minimal puzzles have about 20-27)");
        return () -> sudoku(givens, seed);
    }

    private static PuzzleKind kind(String s) {
        if (s == null) return PuzzleKind.SUDOKU;
        return switch (s) {
            case "sudoku" -> PuzzleKind.SUDOKU;
            case "maze" -> PuzzleKind.MAZE;
            default -> throw ApiError.badField("kind", "expected sudoku or maze, got '" + Models.clip(s) + "'");
        };
    }

    private static long parseLong(String field, String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badField(field, "expected an integer, got '" + Models.clip(s) + "'");
        }
    }

    private static Generate sudoku(int givens, long seed) {
        SudokuGenerator.Generated g = new SudokuGenerator(seed).next(SudokuGenerator.Target.givens(givens, givens));
        return new Generate("sudoku", SudokuPuzzle.toLine(g.puzzle().question(), '.'), g.puzzle().givens(), 0, seed);
    }

    private static Generate maze(int side, long seed) {
        MazeGenerator.Generated g = new MazeGenerator(MazeGenerator.Settings.forSide(side), seed).next();
        return new Generate("maze", Maze.text(g.maze().question()), 0, g.moves(), seed);
    }
}
