package io.github.trm4j.solve;

import java.util.List;

/**
 * One solved puzzle.
 *
 * @param answer the model's grid at the step used, in the input's alphabet
 * @param check the rule check of {@code answer}
 * @param stepsUsed supervision steps run (adaptive mode may stop early)
 * @param confidence sigmoid(q_halt) at the step used
 * @param trace one entry per step run, {@code trace.size() == stepsUsed}
 * @param millis wall time of the solve
 * @param model the name of the model that solved it
 * @param thought with {@link Thinking}: which candidate won and how many agreed (the trace is the
 *     winner's); null for a plain run
 */
public record Solution(String answer, Check check, int stepsUsed, double confidence, List<StepView> trace, long millis, String model,
                       Thought thought) {
    public Solution {
        trace = List.copyOf(trace);
    }

    /** A plain run's solution. */
    public Solution(String answer, Check check, int stepsUsed, double confidence, List<StepView> trace, long millis, String model) {
        this(answer, check, stepsUsed, confidence, trace, millis, model, null);
    }
}
