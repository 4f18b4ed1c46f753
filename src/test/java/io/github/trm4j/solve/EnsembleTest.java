package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Noise;
import io.github.trm4j.model.TrmModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** K trajectories as one batch on a tiny random Sudoku model: σ = 0 is the plain run, a seed repeats, noise moves trajectories. */
class EnsembleTest {
    static TrmModel model;
    static int[][] puzzles;

    @BeforeAll
    static void model() {
        Backend.init();
        model = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 3, ComputeDevice.CPU);
        puzzles = new int[][] {PuzzleText.sudokuTokens(ChecksTest.PUZZLE), PuzzleText.sudokuTokens(ChecksTest.PUZZLE.replace('5', '0'))};
    }

    private static List<Ensemble.Candidates> run(int k, double sigma, long seed, int augment) {
        Thinking t = new Thinking(k, sigma, Noise.Target.BOTH, 1, 0, augment, Thinking.Select.Q, seed);
        return Ensemble.run(model, PuzzleKind.SUDOKU, puzzles, new int[2], t, 3, false, true, null);
    }

    @Test
    void sigmaZeroTrajectoriesEqualThePlainRunBitForBit() {
        List<Ensemble.Candidates> plain = run(1, 0, 0, 1);
        List<Ensemble.Candidates> many = run(4, 0, 0, 1);
        for (int p = 0; p < 2; p++) {
            for (int c = 0; c < 4; c++) {
                for (int s = 0; s < 3; s++) {
                    assertArrayEquals(plain.get(p).history().get(s)[0], many.get(p).history().get(s)[c], "puzzle " + p + " trajectory " + c + " step " + s);
                    assertEquals(Float.floatToIntBits(plain.get(p).qHistory().get(s)[0]), Float.floatToIntBits(many.get(p).qHistory().get(s)[c]));
                }
            }
            assertEquals(4, many.get(p).agree());
        }
    }

    @Test
    void aSeededNoisyRunRepeatsAndTrajectoryZeroStaysPlain() {
        List<Ensemble.Candidates> plain = run(1, 0, 0, 1);
        List<Ensemble.Candidates> a = run(4, 2.0, 7, 1);
        List<Ensemble.Candidates> b = run(4, 2.0, 7, 1);
        boolean moved = false;
        for (int p = 0; p < 2; p++) {
            assertArrayEquals(a.get(p).qHalt(), b.get(p).qHalt());
            for (int c = 0; c < 4; c++) assertArrayEquals(a.get(p).answers()[c], b.get(p).answers()[c]);
            assertArrayEquals(plain.get(p).answers()[0], a.get(p).answers()[0], "trajectory 0 runs without noise");
            assertEquals(plain.get(p).qHalt()[0], a.get(p).qHalt()[0]);
            for (int c = 1; c < 4; c++) moved |= !Arrays.equals(a.get(p).answers()[c], a.get(p).answers()[0]); // (q_head starts at zero)
        }
        assertTrue(moved, "noise changes the noisy trajectories");
        List<Ensemble.Candidates> other = run(4, 2.0, 8, 1);
        assertFalse(Arrays.deepEquals(a.get(0).answers(), other.get(0).answers()) && Arrays.deepEquals(a.get(1).answers(), other.get(1).answers()),
                "another seed, other trajectories");
    }

    @Test
    void theSolverReturnsTheWinnersTraceAndHowItWon() {
        Solver solver = Solver.of(new ModelLoader.Loaded(model, java.nio.file.Path.of("tiny"), java.util.Map.of(), io.github.trm4j.model.DtypeChoice.fixed(io.github.trm4j.model.ModelConfig.ForwardDtype.FLOAT32, "test")), "tiny");
        Thinking t = new Thinking(4, 0.5, Noise.Target.Z, 1, 0, 2, Thinking.Select.VOTE, 3);
        Solution s = solver.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, new SolveOptions(java.util.OptionalInt.of(3), false, t));
        Thought th = s.thought();
        assertEquals(8, th.candidates());
        assertEquals(th.winner() % 4, th.trajectory());
        assertEquals(3, s.trace().size());
        assertEquals(s.answer(), s.trace().get(2).grid());
        assertEquals(8, th.qHalt().size());
        assertEquals(th.qHalt().get(th.winner())[2], s.trace().get(2).qHalt());
        assertTrue(th.agree() >= 1 && th.agree() <= 8);
        assertEquals(8L * 3 * Ensemble.netCallsPerStep(model.config()), th.netCalls());
        assertEquals(null, solver.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE, SolveOptions.defaults()).thought());
        Thinking huge = new Thinking(1025, 0.5, Noise.Target.Z, 1, 0, 1, Thinking.Select.Q, 0);
        assertEquals("trajectories: trajectories × augment must be at most 1024, got 1025", org.junit.jupiter.api.Assertions.assertThrows(
                io.github.trm4j.InputException.class, () -> solver.solve(PuzzleKind.SUDOKU, ChecksTest.PUZZLE,
                        new SolveOptions(java.util.OptionalInt.of(1), false, huge))).getMessage());
    }

    @Test
    void adaptiveStopsAtTheFirstHaltButRulesWaitForAValidAnswer() {
        TrmModel eager = TrmModel.initialise(ModelConfig.preset("sudoku-mlp-tiny"), 3, ComputeDevice.CPU);
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            eager.state().get("q_head.bias").select(0, 0).fill_(new org.bytedeco.pytorch.Scalar(20.0)); // q_halt > 0 at once
        }
        Thinking q = new Thinking(2, 0.5, Noise.Target.Z, 1, 0, 1, Thinking.Select.Q, 0);
        for (Ensemble.Candidates c : Ensemble.run(eager, PuzzleKind.SUDOKU, puzzles, new int[2], q, 3, true, false, null))
            assertEquals(1, c.stepsUsed());
        // a random model's answers break the rules, so under rules no candidate halts with a valid answer
        Thinking rules = new Thinking(2, 0.5, Noise.Target.Z, 1, 0, 1, Thinking.Select.RULES, 0);
        for (Ensemble.Candidates c : Ensemble.run(eager, PuzzleKind.SUDOKU, puzzles, new int[2], rules, 3, true, false, null)) {
            assertEquals(3, c.stepsUsed());
            assertFalse(c.valid()[0]);
        }
    }

    @Test
    void copiesAreMappedBackAndCopyZeroIsThePuzzle() {
        List<Ensemble.Candidates> plain = run(1, 0, 0, 1);
        List<Ensemble.Candidates> aug = run(2, 0.5, 1, 3);
        assertEquals(6, aug.get(0).answers().length);
        assertArrayEquals(plain.get(0).answers()[0], aug.get(0).answers()[0]);
        // a given stays in place in every mapped-back answer when the model copies givens (checked on the input tokens)
        for (int[] answer : aug.get(1).answers()) assertEquals(81, answer.length);
    }
}
