package io.github.trm4j.solve;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Noise;
import java.util.Locale;

/**
 * Thinking harder at test time, without retraining: each puzzle runs as {@code augment} symmetric
 * copies (Sudoku relabellings and band permutations, maze dihedral maps), each copy as
 * {@code trajectories} noisy trajectories (Gaussian noise of {@code noise} on the latent state before
 * every deep recursion), all in one batch; one answer per puzzle is then picked by {@code select}.
 * Trajectory 0 of every copy runs without noise and copy 0 is the puzzle itself, so one trajectory and
 * one copy is the plain run.
 *
 * @param trajectories K₁ ≥ 1 noisy trajectories per copy
 * @param noise sigma ≥ 0 of the noise
 * @param noiseOn the state the noise is added to
 * @param noiseFirst first supervision step (1-based) whose deep recursions get noise
 * @param noiseLast last such step; 0 means every step
 * @param augment K₂ ≥ 1 symmetric copies (a maze has 8)
 * @param select how the answer is picked among the K₁·K₂ candidates
 * @param seed of the noise and of the drawn Sudoku symmetries
 */
public record Thinking(int trajectories, double noise, Noise.Target noiseOn, int noiseFirst, int noiseLast, int augment,
                       Select select, long seed) {
    /**
     * The σ found best for the shipped Sudoku model by the sweep of {@code trm bench think --sigmas
     * 0.1,0.3,0.5,1,2} (models/sudoku/MODEL.md).
     */
    public static final double DEFAULT_NOISE = 1.0;

    /** How one answer is picked among the candidates of a puzzle. */
    public enum Select {
        /** the highest q_halt at the candidate's last step (Probabilistic TRM's rule) */
        Q,
        /** the most frequent answer; ties go to the group with the highest q_halt */
        VOTE,
        /** the first candidate whose answer passes the puzzle's rule check, else {@code Q}; uses the rules of the puzzle */
        RULES;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "q", "vote" or "rules"; anything else is an InputException naming {@code field}. */
        public static Select parse(String s, String field) {
            for (Select v : values()) if (v.label().equals(s == null ? null : s.toLowerCase(Locale.ROOT))) return v;
            throw new InputException(field + ": expected q, vote or rules, got '" + s + "'");
        }
    }

    public Thinking {
        if (trajectories < 1) throw new InputException("trajectories: must be at least 1, got " + trajectories);
        if (augment < 1) throw new InputException("augment: must be at least 1, got " + augment);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new InputException("noise: must be a number >= 0, got " + noise);
        if (noiseOn == null) noiseOn = Noise.Target.Z;
        if (select == null) select = Select.Q;
        if (noiseFirst < 1 || noiseLast < 0 || (noiseLast > 0 && noiseLast < noiseFirst))
            throw new InputException("noise-steps: expected FIRST-LAST with 1 <= FIRST <= LAST, got " + noiseFirst + "-" + noiseLast);
    }

    /** The plain run: one trajectory, one copy. */
    public static Thinking none() {
        return new Thinking(1, DEFAULT_NOISE, Noise.Target.Z, 1, 0, 1, Select.Q, 0);
    }

    /** {@code trajectories} noisy trajectories with the default σ on z at every step, picked by {@code select}. */
    public static Thinking trajectories(int trajectories, Select select) {
        return new Thinking(trajectories, DEFAULT_NOISE, Noise.Target.Z, 1, 0, 1, select, 0);
    }

    public Thinking withAugment(int k) {
        return new Thinking(trajectories, noise, noiseOn, noiseFirst, noiseLast, k, select, seed);
    }

    public Thinking withNoise(double sigma) {
        return new Thinking(trajectories, sigma, noiseOn, noiseFirst, noiseLast, augment, select, seed);
    }

    public Thinking withSeed(long s) {
        return new Thinking(trajectories, noise, noiseOn, noiseFirst, noiseLast, augment, select, s);
    }

    /** Candidates per puzzle, K₁·K₂. */
    public int candidates() {
        return trajectories * augment;
    }

    /** Whether more than the plain run is asked for. */
    public boolean active() {
        return candidates() > 1;
    }

    /** "2-5", or "all". */
    public String noiseSteps() {
        return noiseLast == 0 && noiseFirst == 1 ? "all" : noiseFirst + "-" + (noiseLast == 0 ? "last" : Integer.toString(noiseLast));
    }

    /**
     * "all", "N" or "FIRST-LAST" as (first, last), last 0 meaning the final step; anything else an
     * InputException naming {@code field}.
     */
    public static int[] parseNoiseSteps(String s, String field) {
        if (s == null || s.equals("all")) return new int[] {1, 0};
        try {
            int dash = s.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(s.substring(dash + 1));
            if (first >= 1 && last >= first) return new int[] {first, last};
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException(field + ": expected all, N or FIRST-LAST (supervision steps, 1-based), got '" + s + "'");
    }

    /** The model-side noise for a batch whose trajectories of one copy are {@code trajectories} rows apart. */
    Noise noiseFor(int steps) {
        int last = noiseLast == 0 ? steps : Math.min(noiseLast, steps);
        return trajectories < 2 || noise == 0 || noiseFirst > last ? null
                : new Noise(noise, noiseOn, noiseFirst, last, trajectories, seed);
    }
}
