package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import io.github.trm4j.data.SudokuPuzzle;
import io.github.trm4j.data.SudokuSolver;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed models, end to end through the Solver, and the errors for a missing or broken model file. */
class ShippedModelTest {
    static Solver solver;
    static Solver maze;

    @BeforeAll
    static void load() {
        Backend.init();
        solver = ShippedModel.SUDOKU.solver(null);
        maze = ShippedModel.MAZE.solver(null);
    }

    @Test
    void oneShippedModelPerKindFoundInTheRepository() {
        assertEquals(List.of(ShippedModel.SUDOKU, ShippedModel.MAZE), ShippedModel.ALL);
        for (ShippedModel m : ShippedModel.ALL) {
            assertEquals(m, ShippedModel.of(m.kind()));
            assertEquals("models/" + m.kind().label() + "/model.safetensors", m.relative());
            assertEquals("shipped-" + m.kind().label(), m.name());
            assertEquals(Path.of("").toAbsolutePath().resolve(m.relative()), m.path());
        }
        assertEquals(PuzzleKind.SUDOKU, solver.kind());
        assertEquals("shipped-sudoku", solver.name());
        assertEquals("trm4j ships no arc model; pass --checkpoint FILE",
                assertThrows(InputException.class, () -> ShippedModel.of(PuzzleKind.ARC)).getMessage());
    }

    @Test
    void theMazeModelSolves11x11MazesWithTheMlpMixer() {
        ModelConfig c = maze.loaded().config();
        assertEquals(PuzzleKind.MAZE, maze.kind());
        assertEquals("shipped-maze", maze.name());
        assertEquals(6, c.vocabSize());
        assertEquals(121, c.seqLen());
        assertEquals(ModelConfig.Mixer.MLP, c.mixer());
    }

    @Test
    void metadataNamesNoPathOfTheMachineThatTrainedIt() {
        for (Solver s : List.of(solver, maze)) {
            s.loaded().provenance().forEach((k, v) -> {
                if (k.equals("config") || k.equals("train_config")) return;
                assertTrue(!v.startsWith("/") && !v.contains(" /") && !v.contains(":\\"), s.name() + ": " + k + " holds a machine path: " + v);
            });
        }
    }

    @Test
    void runsInTheDtypeAutoPicksNotTheStoredOne() {
        // stored bf16 by its trainer; auto computes in what this machine does natively
        assertEquals(io.github.trm4j.model.DtypeChoice.auto(io.github.trm4j.model.ComputeDevice.CPU).dtype(),
                solver.loaded().config().forwardDtype());
    }

    @Test
    void solvesASudokuWithAConsistentTrace() {
        String puzzle = Demo.KNOWN.get(0).puzzle();
        Solution s = solver.solve(PuzzleKind.SUDOKU, puzzle, SolveOptions.defaults());
        int nSup = solver.loaded().config().supervisionSteps();
        assertEquals(nSup, s.stepsUsed());
        assertEquals(s.stepsUsed(), s.trace().size());
        assertEquals(ShippedModel.SUDOKU.name(), s.model());
        assertTrue(s.confidence() > 0 && s.confidence() < 1, "confidence " + s.confidence());
        assertEquals(s.answer(), s.trace().get(nSup - 1).grid());
        String previous = puzzle.replace('.', '0');
        for (StepView v : s.trace()) {
            assertArrayEquals(Solver.changed(previous, v.grid()), v.changed());
            previous = v.grid();
        }
        assertEquals(Checks.sudoku(puzzle, s.answer()), s.check());
        // The check is the exact solver's verdict: valid exactly when the answer is the unique solution.
        String truth = SudokuPuzzle.toLine(new SudokuSolver().solve(SolvePuzzles.grid(puzzle)).solution(), '0');
        assertEquals(truth.equals(s.answer()), s.check().valid(), s.check().detail());

        Solution adaptive = solver.solve(PuzzleKind.SUDOKU, puzzle, new SolveOptions(OptionalInt.of(2 * nSup), true));
        assertTrue(adaptive.stepsUsed() >= 1 && adaptive.stepsUsed() <= 2 * nSup);
        assertEquals(adaptive.stepsUsed(), adaptive.trace().size());
        assertEquals(adaptive.trace().get(adaptive.stepsUsed() - 1).qHalt() > 0 || adaptive.stepsUsed() == 2 * nSup, true);
    }

    @Test
    void aMazeOfAnotherSizeIsRefusedNamingTheModelsSize() {
        String maze5 = "S  ####   ####   ####   G";
        InputException e = assertThrows(InputException.class, () -> maze.solve(PuzzleKind.MAZE, maze5, SolveOptions.defaults()));
        assertEquals("puzzle: a 5x5 maze, but the model solves 11x11 mazes (seq_len 121)", e.getMessage());
    }

    @Test
    void missingModelSaysWhereItLooked(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> ShippedModel.MAZE.find(List.of(dir.resolve("a/model.safetensors"))));
        assertEquals("shipped maze model not found (looked for " + dir.resolve("a/model.safetensors")
                + "); run from the trm4j folder or pass --checkpoint FILE", e.getMessage());
    }

    @Test
    void aModelOfAnotherKindIsRefused() {
        Path sudoku = ShippedModel.SUDOKU.path();
        assertEquals("shipped maze model is missing or broken: " + sudoku + ": holds a sudoku model, not a maze model",
                assertThrows(InputException.class, () -> ShippedModel.MAZE.load(sudoku, null)).getMessage());
    }

    @Test
    void brokenModelIsOneLine(@TempDir Path dir) throws Exception {
        Path truncated = dir.resolve("truncated.safetensors");
        byte[] whole = Files.readAllBytes(ShippedModel.SUDOKU.path());
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        String m = assertThrows(InputException.class, () -> ShippedModel.SUDOKU.load(truncated, null)).getMessage();
        assertTrue(m.startsWith("shipped sudoku model is missing or broken: " + truncated + ": "), m);
        assertTrue(!m.contains("\n"), m);

        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "this is not a model");
        assertEquals("shipped sudoku model is missing or broken: " + garbage + ": neither a safetensors file nor a PyTorch checkpoint",
                assertThrows(InputException.class, () -> ShippedModel.SUDOKU.load(garbage, null)).getMessage());

        Path lfs = Files.writeString(dir.resolve("lfs.safetensors"), "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 2780912\n");
        assertEquals("shipped maze model is missing or broken: " + lfs + ": is a Git LFS pointer, not the model; fetch it with 'git lfs pull'",
                assertThrows(InputException.class, () -> ShippedModel.MAZE.load(lfs, null)).getMessage());
    }
}
