package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SudokuTransformTest {
    @Test
    void followsTheSpecFormula() {
        // new (r, c) = digitMap[t(old)(rowPerm[r], colPerm[c])], t = transpose when set
        int[] digits = {0, 2, 3, 4, 5, 6, 7, 8, 9, 1};
        int[] rows = {3, 5, 4, 0, 1, 2, 8, 6, 7};
        int[] cols = {6, 7, 8, 2, 0, 1, 4, 5, 3};
        Grid g = SudokuTestData.grid(SudokuTestData.ANSWER);
        for (boolean transpose : new boolean[] {false, true}) {
            Grid out = new SudokuTransform(digits, transpose, rows, cols).apply(g);
            for (int r = 0; r < 9; r++) {
                for (int c = 0; c < 9; c++) {
                    int old = transpose ? g.get(cols[c], rows[r]) : g.get(rows[r], cols[c]);
                    assertEquals(digits[old], out.get(r, c));
                }
            }
        }
        assertEquals(g, SudokuTransform.identity().apply(g));
    }

    @Test
    void inverseUndoesApplyForManyRandomTransforms() {
        SplittableRandom rng = new SplittableRandom(11);
        Random cells = new Random(5);
        for (int i = 0; i < 500; i++) {
            byte[] v = new byte[81];
            for (int k = 0; k < 81; k++) v[k] = (byte) cells.nextInt(10);
            Grid g = Grid.of(9, 9, v);
            SudokuTransform t = SudokuTransform.random(rng);
            assertEquals(g, t.inverse().apply(t.apply(g)), t.toString());
            assertEquals(g, t.apply(t.inverse().apply(g)), t.toString());
            assertEquals(t, t.inverse().inverse());
        }
    }

    @Test
    void augmentationsKeepPuzzlesValidAndConsistent() {
        List<SudokuPuzzle> puzzles = SudokuReader.readAll(SudokuTestData.file("magictour_top1465_solved.csv")).subList(0, 40);
        SplittableRandom rng = new SplittableRandom(3);
        SudokuSolver solver = new SudokuSolver();
        Set<SudokuTransform> seen = new HashSet<>();
        int transposed = 0;
        for (SudokuPuzzle p : puzzles) {
            for (int k = 0; k < 25; k++) {
                SudokuTransform t = SudokuTransform.random(rng);
                seen.add(t);
                if (t.transpose()) transposed++;
                SudokuPuzzle q = t.apply(p);
                assertTrue(q.answerProblem().isEmpty(), () -> q.answerProblem().get());
                assertEquals(p.givens(), q.givens());
                if (k < 3) {
                    SudokuSolver.Result r = solver.solve(q.question());
                    assertEquals(SudokuSolver.Status.UNIQUE, r.status());
                    assertEquals(q.answer(), r.solution());
                }
            }
        }
        assertEquals(1000, seen.size(), "draws are varied");
        assertTrue(transposed > 400 && transposed < 600, "transpose with probability 1/2: " + transposed);
    }

    @Test
    void sameSeedSameTransformsAndInvalidPartsAreRefused() {
        assertEquals(SudokuTransform.random(new SplittableRandom(9)), SudokuTransform.random(new SplittableRandom(9)));
        assertNotEquals(SudokuTransform.random(new SplittableRandom(9)), SudokuTransform.random(new SplittableRandom(10)));
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        int[] digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(new int[] {1, 0, 2, 3, 4, 5, 6, 7, 8, 9}, false, ids, ids));
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(digits, false, new int[] {0, 1, 3, 2, 4, 5, 6, 7, 8}, ids));
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(digits, false, ids, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 7}));
    }
}
