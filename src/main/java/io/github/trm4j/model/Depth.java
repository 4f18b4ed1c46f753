package io.github.trm4j.model;

/**
 * The recursion depth of one supervision step: T deep recursions of n latent steps each. Training with
 * a depth curriculum runs shallower steps than the model's own (T, n); inference always runs the model's.
 *
 * @param recursions T
 * @param latentSteps n
 */
public record Depth(int recursions, int latentSteps) {
    public Depth {
        if (recursions < 1 || recursions > ModelConfig.MAX_RECURSIONS)
            throw new IllegalArgumentException("T must be in 1.." + ModelConfig.MAX_RECURSIONS + ", got " + recursions);
        if (latentSteps < 1 || latentSteps > ModelConfig.MAX_LATENT_STEPS)
            throw new IllegalArgumentException("n must be in 1.." + ModelConfig.MAX_LATENT_STEPS + ", got " + latentSteps);
    }

    /** The model's own depth. */
    public static Depth of(ModelConfig c) {
        return new Depth(c.recursions(), c.latentSteps());
    }

    /** Network calls per supervision step: T·(n + 1). */
    public int networkCalls() {
        return recursions * (latentSteps + 1);
    }

    @Override
    public String toString() {
        return "T=" + recursions + ", n=" + latentSteps;
    }
}
