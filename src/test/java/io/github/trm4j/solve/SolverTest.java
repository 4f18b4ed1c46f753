package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Solver on tiny randomly initialised models: shapes, traces, options and errors (answers are noise). */
class SolverTest {
    private static final DtypeChoice FP32 = DtypeChoice.fixed(ModelConfig.ForwardDtype.FLOAT32, "test");
    static Solver sudoku;
    static Solver maze;

    @BeforeAll
    static void models() {
        Backend.init();
        TrmModel s = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 1, ComputeDevice.CPU);
        sudoku = Solver.of(new ModelLoader.Loaded(s, Path.of("tiny-sudoku"), Map.of(), FP32), "tiny");
        // a 5x5-maze model: vocab 6, 25 cells, attention, no puzzle embedding
        ModelConfig m = new ModelConfig(32, 2, 2, 1, 1, 1, 3, 0.1, 0, 0, ModelConfig.PosEncoding.ROPE, 10000, 1e-5,
                ModelConfig.Mixer.ATTENTION, ModelConfig.ForwardDtype.FLOAT32, 6, 25, 1);
        maze = Solver.of(new ModelLoader.Loaded(TrmModel.initialise(m, 2, ComputeDevice.CPU), Path.of("tiny-maze"), Map.of(), FP32), "maze");
    }

    @Test
    void kindsFromVocabularyAndLength() {
        assertEquals(PuzzleKind.SUDOKU, sudoku.kind());
        assertEquals(PuzzleKind.MAZE, maze.kind());
        assertEquals(PuzzleKind.ARC, Solver.kindOf(ModelConfig.preset("arc1-att"), "x"));
        ModelConfig odd = new ModelConfig(32, 2, 2, 1, 1, 1, 3, 0.1, 0, 0, ModelConfig.PosEncoding.ROPE, 10000, 1e-5,
                ModelConfig.Mixer.ATTENTION, ModelConfig.ForwardDtype.FLOAT32, 9, 30, 1);
        InputException e = assertThrows(InputException.class, () -> Solver.kindOf(odd, "odd.safetensors"));
        assertEquals("odd.safetensors: a model with vocab_size 9 and seq_len 30 is neither a Sudoku (11, 81), maze (6, side*side) nor ARC (12, 900) model",
                e.getMessage());
    }

    @Test
    void sudokuSolutionIsConsistent() {
        Solution s = sudoku.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE.replace('0', '.'), SolveOptions.defaults());
        assertEquals(4, s.stepsUsed()); // the tiny preset's N_sup
        assertEquals(s.stepsUsed(), s.trace().size());
        assertEquals("tiny", s.model());
        assertEquals(81, s.answer().length());
        assertTrue(s.answer().chars().allMatch(Character::isDigit));
        assertEquals(s.trace().get(3).grid(), s.answer());
        assertTrue(s.confidence() > 0 && s.confidence() < 1);
        assertEquals(Solver.sigmoid(s.trace().get(3).qHalt()), s.confidence(), 1e-12);
        String previous = ChecksTest.PUZZLE;
        for (int i = 0; i < s.trace().size(); i++) {
            StepView v = s.trace().get(i);
            assertEquals(i + 1, v.step());
            List<Integer> diff = new ArrayList<>();
            for (int c = 0; c < 81; c++) if (v.grid().charAt(c) != previous.charAt(c)) diff.add(c);
            assertArrayEquals(diff.stream().mapToInt(Integer::intValue).toArray(), v.changed());
            previous = v.grid();
        }
        assertEquals(Checks.sudoku(ChecksTest.PUZZLE, s.answer()), s.check());
    }

    @Test
    void stepsAndAdaptiveHalting() {
        Solution more = sudoku.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, new SolveOptions(OptionalInt.of(7), false));
        assertEquals(7, more.stepsUsed());
        assertEquals(7, more.trace().size());

        TrmModel halting = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 1, ComputeDevice.CPU);
        try (NoGradGuard g = new NoGradGuard()) {
            halting.state().get("q_head.bias").select(0, 0).fill_(new Scalar(5.0)); // q_halt > 0 at once
        }
        Solver eager = Solver.of(new ModelLoader.Loaded(halting, Path.of("halting"), Map.of(), FP32), "halting");
        Solution s = eager.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, new SolveOptions(OptionalInt.of(6), true));
        assertEquals(1, s.stepsUsed());
        assertEquals(1, s.trace().size());
        assertTrue(s.confidence() > 0.5);
        assertEquals(6, eager.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, new SolveOptions(OptionalInt.of(6), false)).stepsUsed());
    }

    @Test
    void mazeSolutionUsesTheMazeAlphabet() {
        Solution s = maze.solve(PuzzleKind.MAZE, ChecksTest.MAZE, SolveOptions.defaults());
        assertEquals(3, s.stepsUsed());
        assertEquals(25, s.answer().length());
        assertTrue(s.answer().chars().allMatch(c -> "# SGo?".indexOf(c) >= 0), s.answer());
        assertEquals(Checks.maze(ChecksTest.MAZE, s.answer()), s.check());
    }

    @Test
    void badPuzzlesNameTheField() {
        SolveOptions d = SolveOptions.defaults();
        assertEquals("puzzle: expected 81 characters ('1'-'9', '.' or '0' for blanks), got 80",
                assertThrows(InputException.class, () -> sudoku.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE.substring(1), d)).getMessage());
        assertEquals("puzzle: character 3 (row 1, column 3) is 'x', not a digit 1-9, '.' or '0'",
                assertThrows(InputException.class, () -> sudoku.solve(PuzzleKind.SUDOKU, "00x" + ChecksTest.PUZZLE.substring(3), d)).getMessage());
        assertEquals("puzzle: the givens already break the rules: row 1 has two 3s",
                assertThrows(InputException.class, () -> sudoku.solve(PuzzleKind.SUDOKU, "3" + ChecksTest.PUZZLE.substring(1), d)).getMessage());
        assertEquals("kind: model 'tiny' solves sudoku puzzles, not maze",
                assertThrows(InputException.class, () -> sudoku.solve(PuzzleKind.MAZE, ChecksTest.MAZE, d)).getMessage());
        assertEquals("steps: must be between 1 and 1024 (ModelConfig.MAX_SUPERVISION_STEPS), got 0",
                assertThrows(InputException.class, () -> sudoku.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, new SolveOptions(OptionalInt.of(0), false))).getMessage());
        assertEquals("puzzle: expected 25 characters (a 5x5 maze over '# SG'), got 24",
                assertThrows(InputException.class, () -> maze.solve(PuzzleKind.MAZE, ChecksTest.MAZE.substring(1), d)).getMessage());
        String twoStarts = "S" + ChecksTest.MAZE.substring(1, 24) + "S";
        assertTrue(assertThrows(InputException.class, () -> maze.solve(PuzzleKind.MAZE, twoStarts, d)).getMessage()
                .startsWith("puzzle: question has 2 start cells"));
    }

    @Test
    void concurrentSolvesAgreeWithSequentialOnes() throws Exception {
        String[] puzzles = {ChecksTest.PUZZLE, ChecksTest.PUZZLE.replace('3', '0'), ChecksTest.PUZZLE.replace('9', '0')};
        String[] expected = new String[puzzles.length];
        for (int i = 0; i < puzzles.length; i++) expected[i] = sudoku.solve(PuzzleKind.SUDOKU, puzzles[i], SolveOptions.defaults()).answer();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int round = 0; round < 2; round++)
                for (String p : puzzles) answers.add(pool.submit(() -> sudoku.solve(PuzzleKind.SUDOKU, p, SolveOptions.defaults()).answer()));
            for (int i = 0; i < answers.size(); i++) assertEquals(expected[i % puzzles.length], answers.get(i).get());
        } finally {
            pool.shutdownNow();
        }
    }
}
