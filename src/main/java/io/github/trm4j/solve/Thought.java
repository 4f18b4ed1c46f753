package io.github.trm4j.solve;

import java.util.List;

/**
 * How a puzzle solved with {@link Thinking} got its answer.
 *
 * @param select the rule that picked it ("q", "vote" or "rules")
 * @param trajectories K₁ per copy
 * @param augment K₂ copies
 * @param noise σ of the trajectories
 * @param winner the winning candidate, {@code augment index · trajectories + trajectory}
 * @param trajectory the winner's trajectory (0 runs without noise)
 * @param symmetry the winner's copy, described ("identity" for the puzzle itself)
 * @param agree candidates whose answer equals the winner's (the winner included)
 * @param valid candidates whose answer passes the rule check
 * @param netCalls network calls spent on the puzzle, all candidates
 * @param qHalt per candidate, its halting logit after each step (the confidence chart's lines)
 */
public record Thought(String select, int trajectories, int augment, double noise, int winner, int trajectory, String symmetry,
                      int agree, int valid, long netCalls, List<double[]> qHalt) {
    public Thought {
        qHalt = List.copyOf(qHalt);
    }

    /** Candidates, K₁·K₂. */
    public int candidates() {
        return trajectories * augment;
    }
}
