package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SudokuSolverTest {
    private final SudokuSolver solver = new SudokuSolver();

    @Test
    void solvesEveryMagictourPuzzleAndAgreesWithTheAnswer() {
        List<SudokuPuzzle> puzzles = SudokuReader.readAll(SudokuTestData.file("magictour_top1465_solved.csv"));
        assertEquals(1465, puzzles.size());
        long guesses = 0;
        for (SudokuPuzzle p : puzzles) {
            SudokuSolver.Result r = solver.solve(p.question());
            assertEquals(SudokuSolver.Status.UNIQUE, r.status(), () -> SudokuPuzzle.toLine(p.question(), '.'));
            assertEquals(p.answer(), r.solution());
            guesses += r.guesses();
        }
        assertTrue(guesses > 1465, "the hard set needs search: " + guesses);
    }

    @Test
    void ratingReproducesTheSharedCsvRatingColumn() throws Exception {
        // all of magictour (ratings 0..1031) and the first 3000 17-clue puzzles
        for (String name : new String[] {"magictour_top1465_solved.csv", "17_clue_solved.csv"}) {
            Path file = SudokuTestData.file(name);
            List<String> lines = Files.readAllLines(file);
            int n = Math.min(3000, lines.size() - 1), zero = 0;
            List<SudokuPuzzle> puzzles = SudokuReader.readAll(file).subList(0, n);
            for (int i = 0; i < n; i++) {
                String line = lines.get(i + 1);
                int expected = Integer.parseInt(line.substring(line.lastIndexOf(',') + 1));
                assertEquals(expected, solver.rating(puzzles.get(i).question()), name + " row " + (i + 1));
                if (expected == 0) zero++;
            }
            assertTrue(zero > 0 && zero < n, "both easy and hard puzzles are covered");
        }
    }

    @Test
    void propagationAloneSolvesMostSeventeenCluePuzzles() {
        List<SudokuPuzzle> puzzles = SudokuReader.readAll(SudokuTestData.file("17_clue_solved.csv")).subList(0, 300);
        int noGuess = 0;
        for (SudokuPuzzle p : puzzles) {
            SudokuSolver.Result r = solver.solve(p.question());
            assertEquals(p.answer(), r.solution());
            if (r.guesses() == 0) noGuess++;
        }
        assertTrue(noGuess > 150, "singles plus locked candidates solve most 17-clue puzzles: " + noGuess);
    }

    @Test
    void detectsMultipleSolutions() {
        SudokuSolver.Result empty = solver.solve(Grid.zeros(9, 9));
        assertEquals(SudokuSolver.Status.MULTIPLE, empty.status());
        assertTrue(SudokuPuzzle.solutionProblem(empty.solution()).isEmpty());
        // magictour's first puzzle has 18 givens; without any one of them it is no longer unique
        Grid q = SudokuTestData.grid(SudokuTestData.QUESTION);
        Grid a = SudokuTestData.grid(SudokuTestData.ANSWER);
        for (int i = 0; i < 81; i++) {
            if (q.get(i / 9, i % 9) == 0) continue;
            byte[] cells = q.cells();
            cells[i] = 0;
            SudokuSolver.Result r = solver.solve(Grid.of(9, 9, cells));
            assertEquals(SudokuSolver.Status.MULTIPLE, r.status(), "without given " + i);
            assertTrue(SudokuPuzzle.solutionProblem(r.solution()).isEmpty());
            assertTrue(new SudokuPuzzle(Grid.of(9, 9, cells), r.solution()).answerProblem().isEmpty());
        }
        assertTrue(solver.isUnique(q));
        assertEquals(a, solver.solve(q).solution());
    }

    @Test
    void detectsContradictions() {
        byte[] clash = new byte[81];
        clash[0] = 5;
        clash[8] = 5; // same row
        SudokuSolver.Result r = solver.solve(Grid.of(9, 9, clash));
        assertEquals(SudokuSolver.Status.NONE, r.status());
        assertNull(r.solution());
        // a blank set to a digit other than the unique solution's: no direct clash, but no solution
        Grid q = SudokuTestData.grid(SudokuTestData.QUESTION);
        Grid a = SudokuTestData.grid(SudokuTestData.ANSWER);
        int tested = 0;
        for (int i = 0; i < 81 && tested < 20; i++) {
            if (q.get(i / 9, i % 9) != 0) continue;
            for (int v = 1; v <= 9; v++) {
                byte[] cells = q.cells();
                cells[i] = (byte) v;
                if (v == a.get(i / 9, i % 9) || !noDirectClash(cells, i)) continue;
                assertEquals(SudokuSolver.Status.NONE, solver.solve(Grid.of(9, 9, cells)).status());
                tested++;
                break;
            }
        }
        assertEquals(20, tested);
    }

    @Test
    void randomSolutionsAreValidAndFollowTheSeed() {
        Grid g1 = solver.randomSolution(Grid.zeros(9, 9), new SplittableRandom(1));
        Grid g2 = solver.randomSolution(Grid.zeros(9, 9), new SplittableRandom(1));
        Grid g3 = solver.randomSolution(Grid.zeros(9, 9), new SplittableRandom(2));
        assertTrue(SudokuPuzzle.solutionProblem(g1).isEmpty());
        assertTrue(SudokuPuzzle.solutionProblem(g3).isEmpty());
        assertEquals(g1, g2);
        assertNotEquals(g1, g3);
    }

    private static boolean noDirectClash(byte[] cells, int i) {
        for (int unit = 0; unit < 27; unit++) {
            boolean contains = false;
            for (int k = 0; k < 9; k++) contains |= SudokuPuzzle.unitCell(unit, k) == i;
            if (!contains) continue;
            for (int k = 0; k < 9; k++) {
                int j = SudokuPuzzle.unitCell(unit, k);
                if (j != i && cells[j] == cells[i]) return false;
            }
        }
        return true;
    }
}
