package io.github.trm4j.serve;

import io.github.trm4j.solve.PuzzleKind;
import io.github.trm4j.solve.Solution;
import io.github.trm4j.solve.StepView;
import io.github.trm4j.solve.Thought;
import java.util.List;

/**
 * The 200 answer of {@code POST /api/solve}: the Solution in the shape, plus the rule
 * check's one-line {@code check} and the exact solver's answer ({@code exact}).
 *
 * @param trace one entry per step run; {@code trace.size() == stepsUsed} (with thinking: the winner's)
 * @param thinking with trajectories or augment: which candidate won, how many agreed, every candidate's q_halt curve; else null
 */
record SolveResponse(String kind, String answer, boolean valid, String check, int stepsUsed, double confidence,
                     List<StepView> trace, String model, long millis, Exact exact, Thought thinking) {

    static SolveResponse of(PuzzleKind kind, String puzzle, Solution s) {
        return new SolveResponse(kind.label(), s.answer(), s.check().valid(), s.check().detail(), s.stepsUsed(), s.confidence(),
                s.trace(), s.model(), s.millis(), Exact.of(kind, puzzle, s.answer()), s.thought());
    }
}
