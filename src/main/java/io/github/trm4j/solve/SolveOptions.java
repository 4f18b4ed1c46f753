package io.github.trm4j.solve;

import java.util.OptionalInt;

/**
 * How to run the model on one puzzle.
 *
 * @param steps supervision steps; empty means the model's N_sup (more than N_sup is test-time scaling)
 * @param adaptive stop at the first step with q_halt > 0 (at most {@code steps} steps); with
 *     {@code thinking}, once any candidate halts (with a valid answer under {@code rules})
 * @param thinking noisy trajectories and symmetric copies, and the rule that picks the answer
 */
public record SolveOptions(OptionalInt steps, boolean adaptive, Thinking thinking) {
    public SolveOptions {
        if (steps == null) steps = OptionalInt.empty();
        if (thinking == null) thinking = Thinking.none();
    }

    public SolveOptions(OptionalInt steps, boolean adaptive) {
        this(steps, adaptive, Thinking.none());
    }

    /** The paper's protocol: N_sup steps, no early halting. */
    public static SolveOptions defaults() {
        return new SolveOptions(OptionalInt.empty(), false);
    }
}
