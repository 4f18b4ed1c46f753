package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudokuGeneratorTest {
    private final SudokuSolver solver = new SudokuSolver();

    @Test
    void minimalPuzzlesHaveExactlyOneSolutionAndNoRemovableClue() {
        SudokuGenerator gen = new SudokuGenerator(42);
        for (int i = 0; i < 20; i++) {
            SudokuGenerator.Generated g = gen.next(SudokuGenerator.Target.minimal());
            SudokuPuzzle p = g.puzzle();
            assertTrue(p.answerProblem().isEmpty());
            SudokuSolver.Result r = solver.solve(p.question());
            assertEquals(SudokuSolver.Status.UNIQUE, r.status());
            assertEquals(p.answer(), r.solution());
            assertEquals(solver.rating(p.question()), g.rating());
            if (i < 3) {
                for (int cell = 0; cell < 81; cell++) {
                    if (p.question().get(cell / 9, cell % 9) == 0) continue;
                    byte[] cells = p.question().cells();
                    cells[cell] = 0;
                    assertEquals(SudokuSolver.Status.MULTIPLE, solver.solve(Grid.of(9, 9, cells)).status(), "minimal: clue " + cell + " is needed");
                }
            }
        }
    }

    @Test
    void honoursTheGivensRangeAndTheMinimumRating() {
        SudokuGenerator gen = new SudokuGenerator(7);
        for (int i = 0; i < 20; i++) {
            SudokuPuzzle p = gen.next(SudokuGenerator.Target.givens(30, 34)).puzzle();
            assertEquals(30, p.givens(), "removal stops at the range's lower end when it can");
            assertEquals(SudokuSolver.Status.UNIQUE, solver.solve(p.question()).status());
        }
        for (int i = 0; i < 10; i++) {
            SudokuPuzzle p = gen.next(SudokuGenerator.Target.givens(22, 24)).puzzle();
            assertTrue(p.givens() >= 22 && p.givens() <= 24, "givens " + p.givens());
            assertEquals(SudokuSolver.Status.UNIQUE, solver.solve(p.question()).status());
        }
        for (int i = 0; i < 3; i++) {
            SudokuGenerator.Generated g = gen.next(SudokuGenerator.Target.rating(5));
            assertEquals(SudokuSolver.Status.UNIQUE, solver.solve(g.puzzle().question()).status());
            int rating = solver.rating(g.puzzle().question());
            assertTrue(rating >= 5, "rating " + rating);
            assertEquals(rating, g.rating());
        }
    }

    @Test
    void sameSeedSameCsvAndTheCsvReadsBack(@TempDir Path tmp) throws Exception {
        SudokuGenerator.Summary s = SudokuGenerator.writeCsv(tmp.resolve("a.csv"), false, 15, SudokuGenerator.Target.givens(24, 28), 5);
        assertEquals(15, s.puzzles());
        SudokuGenerator.writeCsv(tmp.resolve("b.csv"), false, 15, SudokuGenerator.Target.givens(24, 28), 5);
        SudokuGenerator.writeCsv(tmp.resolve("c.csv"), false, 15, SudokuGenerator.Target.givens(24, 28), 6);
        String a = Files.readString(tmp.resolve("a.csv"));
        assertEquals(a, Files.readString(tmp.resolve("b.csv")));
        assertNotEquals(a, Files.readString(tmp.resolve("c.csv")));
        assertTrue(a.startsWith("source,question,answer,rating\ntrm4j-gen,"), a);
        List<SudokuPuzzle> back = SudokuReader.readAll(tmp.resolve("a.csv"));
        assertEquals(15, back.size());
        List<String> ratings = new ArrayList<>();
        for (String line : a.split("\n")) ratings.add(line.substring(line.lastIndexOf(',') + 1));
        for (int i = 0; i < back.size(); i++) {
            SudokuSolver.Result r = solver.solve(back.get(i).question());
            assertEquals(back.get(i).answer(), r.solution());
            assertEquals(String.valueOf(solver.rating(back.get(i).question())), ratings.get(i + 1));
        }
    }

    @Test
    void refusesImpossibleTargetsAndExistingFiles(@TempDir Path tmp) throws Exception {
        assertThrows(InputException.class, () -> SudokuGenerator.Target.givens(16, 20));
        assertThrows(InputException.class, () -> SudokuGenerator.Target.givens(30, 25));
        assertThrows(InputException.class, () -> SudokuGenerator.Target.rating(-1));
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "keep");
        InputException e = assertThrows(InputException.class, () -> SudokuGenerator.writeCsv(f, false, 1, SudokuGenerator.Target.minimal(), 1));
        assertTrue(e.getMessage().contains("--force"));
        assertEquals("keep", Files.readString(f));
        SudokuGenerator.writeCsv(f, true, 1, SudokuGenerator.Target.minimal(), 1);
        assertEquals(2, Files.readAllLines(f).size());
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
        }
    }
}
