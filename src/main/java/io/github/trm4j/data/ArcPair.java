package io.github.trm4j.data;

import java.util.Objects;

/**
 * One ARC example: an input grid and its output grid. {@code output} is null only for a test pair
 * whose answer is not known (a Kaggle challenge read without its solutions file).
 */
public record ArcPair(Grid input, Grid output) {
    public ArcPair {
        Objects.requireNonNull(input, "input");
    }

    public boolean hasOutput() {
        return output != null;
    }
}
