package io.github.trm4j.solve;

import java.util.OptionalInt;

/**
 * How to run the model on one puzzle.
 *
 * @param steps supervision steps; empty means the model's N_sup (more than N_sup is test-time scaling)
 * @param adaptive stop at the first step with q_halt > 0 (at most {@code steps} steps)
 */
public record SolveOptions(OptionalInt steps, boolean adaptive) {
    public SolveOptions {
        if (steps == null) steps = OptionalInt.empty();
    }

    /** The paper's protocol: N_sup steps, no early halting. */
    public static SolveOptions defaults() {
        return new SolveOptions(OptionalInt.empty(), false);
    }
}
